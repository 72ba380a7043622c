"""`laksana backup create|verify|restore` on SQLite: a restored office has the same requests, the
same documents, and its signed letters still verify; a damaged archive is named and refused."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

from alembic.script import ScriptDirectory

from engine.migrate import alembic_config
from engine.models import Document
from reports.topics import verify_document
from tests.factories import ROLE_OF_STEP, gen_form

from .conftest import Installation, engine_on, run, settings_for


def _instances(engine) -> list[dict]:
    return [i.to_dict() for i in engine.list_instances()]


def _documents(database) -> list[tuple]:
    with database.transaction() as session:
        docs = session.query(Document).order_by(Document.id).all()
        return [(d.id, d.kind, d.instance_id, d.sha256, d.signed, d.content) for d in docs]


def _backup(office: Installation, tmp_path: Path, monkeypatch) -> Path:
    archive = tmp_path / "cadangan.tar.gz"
    result = run(office.settings, monkeypatch, "create", "-o", str(archive))
    assert result.exit_code == 0, result.output
    assert "cadangan dibuat" in result.output and "3 instance proses, 1 dokumen" in result.output
    return archive


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` with ``change(name, bytes) -> bytes | None`` applied (None drops it)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            content = change(member.name, source.extractfile(member).read())
            if content is None:
                continue
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    return target


def test_restore_into_a_fresh_instance_gives_the_same_office(office, tmp_path, monkeypatch):
    archive = _backup(office, tmp_path, monkeypatch)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it holds the signing key

    fresh = settings_for(tmp_path / "kantor-baru")
    result = run(fresh, monkeypatch, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "dipulihkan dari" in result.output

    restored = engine_on(fresh)
    assert _instances(restored) == _instances(office.engine)
    assert _documents(restored.db) == _documents(office.database)
    for name in ("secret_key", "pki/ca.crt", "pki/signing.key", "pki/signing.crt"):
        assert (fresh.instance_dir / name).read_bytes() == (
            office.settings.instance_dir / name
        ).read_bytes()
    assert oct((fresh.instance_dir / "pki/signing.key").stat().st_mode & 0o777) == "0o600"
    with restored.db.transaction() as session:
        verdict = verify_document(session, fresh, office.document_id)
    assert verdict.ok, verdict.message

    # the restored requests go on: the next step can be done on the new installation
    instance_id = office.instance_ids[1]
    task = restored.tasks(instance_id=instance_id)[0]
    before = restored.instance(instance_id).current_tasks
    restored.complete(task.id, ROLE_OF_STEP[task.element_id], gen_form(task.element_id))
    assert before == [task.element_id] != restored.instance(instance_id).current_tasks
    restored.db.dispose()


def test_verify_accepts_the_archive_and_names_its_contents(office, tmp_path, monkeypatch):
    archive = _backup(office, tmp_path, monkeypatch)
    result = run(office.settings, monkeypatch, "verify", str(archive))
    assert result.exit_code == 0, result.output
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert "cadangan utuh" in result.output and f"revisi skema {head}" in result.output

    folder = tmp_path / "harian"
    folder.mkdir()
    result = run(office.settings, monkeypatch, "create", "--verify", "-o", str(folder))
    assert result.exit_code == 0, result.output
    [written] = folder.glob("laksana-*.tar.gz")  # a folder gets a dated file name
    assert f"cadangan utuh: {written}" in result.output
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    names = {m["name"] for m in manifest["members"]}
    assert {"store/laksana.sqlite3", "instance/secret_key", "instance/pki/ca.crt"} <= names
    assert manifest["store"]["alembic_revision"] == head
    assert manifest["counts"]["process_instances"] == 3 and manifest["documents"]["count"] == 1


def test_a_changed_member_fails_verify_naming_it(office, tmp_path, monkeypatch):
    archive = _backup(office, tmp_path, monkeypatch)

    def forge(name, content):
        return content.replace(b"BEGIN", b"BEGAN") if name == "instance/pki/ca.crt" else content

    forged = _rewrite(archive, tmp_path / "palsu.tar.gz", forge)
    result = run(office.settings, monkeypatch, "verify", str(forged))
    assert result.exit_code == 3
    assert result.output.strip() == (
        f"Error: cadangan {forged} tidak valid: "
        "isi instance/pki/ca.crt berubah (SHA-256 tidak cocok dengan manifest)"
    )


def test_a_missing_member_and_a_truncated_archive_fail_verify(office, tmp_path, monkeypatch):
    archive = _backup(office, tmp_path, monkeypatch)
    without_key = _rewrite(
        archive, tmp_path / "tanpa.tar.gz", lambda n, c: None if n == "instance/secret_key" else c
    )
    result = run(office.settings, monkeypatch, "verify", str(without_key))
    assert (
        result.exit_code == 3 and "berkas hilang dari arsip: instance/secret_key" in result.output
    )

    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    result = run(office.settings, monkeypatch, "verify", str(truncated))
    assert result.exit_code == 3 and "arsip rusak atau terpotong" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output

    not_ours = tmp_path / "lain.tar.gz"
    not_ours.write_bytes(gzip.compress(b"bukan tar"))
    result = run(office.settings, monkeypatch, "verify", str(not_ours))
    assert result.exit_code == 3 and "tidak valid" in result.output


def test_a_document_changed_inside_the_store_dump_fails_verify(office, tmp_path, monkeypatch):
    """Even with the manifest's hash rewritten to match, the dump's document bytes are checked."""
    archive = _backup(office, tmp_path, monkeypatch)
    signed = _documents(office.database)[0][-1]
    marker = signed[2000:2040]
    with tarfile.open(archive, "r:gz") as tar:
        dump = tar.extractfile("store/laksana.sqlite3").read()
    assert marker in dump
    forged_dump = dump.replace(marker, marker[::-1])

    def forge(name, content):
        if name == "store/laksana.sqlite3":
            return forged_dump
        if name == "manifest.json":
            manifest = json.loads(content)
            import hashlib

            for entry in manifest["members"]:
                if entry["name"] == "store/laksana.sqlite3":
                    entry["sha256"] = hashlib.sha256(forged_dump).hexdigest()
            return json.dumps(manifest).encode()
        return content

    forged = _rewrite(archive, tmp_path / "dokumen-palsu.tar.gz", forge)
    result = run(office.settings, monkeypatch, "verify", str(forged))
    assert result.exit_code == 3
    assert f"dokumen dalam salinan basis data rusak: {office.document_id}" in result.output


def test_restore_refuses_a_store_with_data_unless_forced(office, tmp_path, monkeypatch):
    archive = _backup(office, tmp_path, monkeypatch)
    office.engine.start(
        "permohonan_data_agregat", None, "sekretariat"
    )  # a fourth, after the backup

    result = run(office.settings, monkeypatch, "restore", str(archive))
    assert result.exit_code == 1
    assert "sudah berisi data; pakai --force" in result.output
    assert len(office.engine.list_instances()) == 4

    result = run(office.settings, monkeypatch, "restore", str(archive), "--force")
    assert result.exit_code == 0, result.output
    assert len(engine_on(office.settings).list_instances()) == 3


def test_restore_refuses_a_damaged_archive_and_touches_nothing(office, tmp_path, monkeypatch):
    archive = _backup(office, tmp_path, monkeypatch)
    forged = _rewrite(
        archive,
        tmp_path / "palsu.tar.gz",
        lambda n, c: c + b"\n" if n == "store/laksana.sqlite3" else c,
    )
    fresh = settings_for(tmp_path / "kantor-baru")
    result = run(fresh, monkeypatch, "restore", str(forged))
    assert result.exit_code == 1
    assert "cadangan tidak dapat dipulihkan: isi store/laksana.sqlite3 berubah" in result.output
    assert not (fresh.instance_dir / "laksana.db").exists()
    assert not (fresh.instance_dir / "pki").exists()


def test_restore_onto_another_kind_of_database_is_refused(office, tmp_path, monkeypatch):
    archive = _backup(office, tmp_path, monkeypatch)
    elsewhere = settings_for(
        tmp_path / "server", "postgresql+psycopg://laksana@127.0.0.1:1/laksana"
    )
    result = run(elsewhere, monkeypatch, "restore", str(archive))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: cadangan ini dari sqlite, basis data tujuan postgresql: "
        "pulihkan ke jenis basis data yang sama"
    )
    assert not (elsewhere.instance_dir / "secret_key").exists()


def test_a_document_damaged_before_the_backup_is_named_but_backed_up(office, tmp_path, monkeypatch):
    """A lost disk is worse than one bad document: the backup is made, and says which one."""
    with office.database.transaction() as session:
        doc = session.get(Document, office.document_id)
        doc.content = doc.content[:-10] + b"0123456789"
    archive = tmp_path / "cadangan.tar.gz"
    result = run(office.settings, monkeypatch, "create", "--verify", "-o", str(archive))
    assert result.exit_code == 0, result.output
    assert "peringatan: 1 dokumen" in result.stderr and office.document_id in result.stderr
    assert "cadangan utuh" in result.stdout
