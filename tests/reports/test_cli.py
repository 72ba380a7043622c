"""`laksana report ...`, `laksana documents`, `laksana document export`: files out, one-line errors."""

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from complaints.cli import log_pengaduan
from reports import topics as service
from reports.cli import EXIT_NOT_VERIFIED, document, documents, report

from .helpers import MINI_BPMN, START, make_call, pdf_text, request_data


@pytest.fixture
def cli_env(settings, db, monkeypatch):
    monkeypatch.setenv("LAKSANA_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LAKSANA_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("LAKSANA_BASE_URL", settings.base_url)
    return settings


@pytest.fixture
def signed_letter(cli_env, db, seeded, tmp_path):
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        data = request_data() | {"dataset_id": dataset_id}
        made = service.render(
            make_call(session, cli_env, instance_id, data, {"document": "surat_dan_lampiran"})
        )
        signed = service.sign(
            make_call(
                session,
                cli_env,
                instance_id,
                data | made,
                {"documents": "dokumen_surat_id"},
                actor="kadin",
                now=START + timedelta(hours=3),
            )
        )
    return instance_id, signed["dokumen_surat_id"]


def run(command, *args):
    return CliRunner().invoke(command, [str(a) for a in args])


def test_sop_command_writes_the_sop_pdf(cli_env, tmp_path):
    out = tmp_path / "sop.pdf"
    result = run(report, "sop", MINI_BPMN, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Jumlah waktu penyelesaian 55 menit" in " ".join(pdf_text(out.read_bytes()).split())


def test_export_then_verify_an_untouched_document(signed_letter, tmp_path):
    instance_id, document_id = signed_letter
    exported = tmp_path / "surat.pdf"
    assert run(document, "export", document_id, "-o", exported).exit_code == 0
    result = run(report, "verify", exported)
    assert result.exit_code == 0, result.output
    assert "signer: Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara" in result.output
    assert "signed at:" in result.output and result.output.strip().endswith("OK")


def test_verify_fails_for_a_changed_byte_and_an_unknown_file(signed_letter, tmp_path):
    _instance_id, document_id = signed_letter
    exported = tmp_path / "surat.pdf"
    run(document, "export", document_id, "-o", exported)
    content = bytearray(exported.read_bytes())
    content[len(content) // 3] ^= 0x20
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(content))
    result = run(report, "verify", tampered)
    assert result.exit_code == EXIT_NOT_VERIFIED and "FAILED" in result.output
    unsigned = tmp_path / "other.pdf"
    unsigned.write_bytes(b"%PDF-1.4 not really")
    assert run(report, "verify", unsigned).exit_code != 0


def test_documents_lists_ids_kinds_hashes(signed_letter):
    instance_id, document_id = signed_letter
    result = run(documents, instance_id, "--json")
    rows = json.loads(result.output)
    assert {r["kind"] for r in rows} >= {"surat_data", "lampiran_data", "lampiran_data_xlsx"}
    signed = next(r for r in rows if r["id"] == document_id)
    assert signed["signed"] and len(signed["sha256"]) == 64 and signed["created"]
    table = run(documents, instance_id).output
    assert document_id in table and "yes" in table


def test_history_command(cli_env, seeded, tmp_path):
    instance_id, _dataset = seeded
    out = tmp_path / "riwayat.pdf"
    result = run(report, "history", instance_id, "-o", out)
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text(out.read_bytes()).split())
    assert "RIWAYAT PELAKSANAAN LAYANAN" in text and "Disposisi Kabid" in text


def test_log_pengaduan_of_an_empty_month(cli_env, tmp_path):
    out = tmp_path / "log.pdf"
    result = run(log_pengaduan, "--from", "2026-07-01", "--to", "2026-07-31", "-o", out)
    assert result.exit_code == 0
    assert "Tidak ada pengaduan pada periode ini." in pdf_text(out.read_bytes())


def test_agenda_lists_registered_letters(cli_env, seeded, tmp_path):
    out = tmp_path / "agenda.pdf"
    assert (
        run(report, "agenda", "--from", "2026-07-01", "--to", "2026-07-31", "-o", out).exit_code
        == 0
    )
    assert "Kabid PIAK" in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    "args",
    [
        ("report", "history", "999", "-o", "x.pdf"),
        ("log-pengaduan", "--from", "juli", "--to", "2026-07-31", "-o", "x.pdf"),
        ("documents", "999"),
        ("document", "export", "nope", "-o", "x.pdf"),
    ],
)
def test_errors_are_one_line_without_traceback(cli_env, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    command = {
        "report": report,
        "documents": documents,
        "document": document,
        "log-pengaduan": log_pengaduan,
    }[args[0]]
    result = CliRunner().invoke(command, list(args[1:]))
    assert result.exit_code != 0
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_pki_command_creates_the_local_office_certificate(cli_env):
    result = run(report, "pki")
    assert result.exit_code == 0, result.output
    assert "signer: Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara" in result.output
    assert (cli_env.instance_dir / "pki" / "signing.crt").is_file()


def test_uninitialised_store_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKSANA_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = run(documents, 1)
    assert result.exit_code != 0
    assert (
        result.output.strip()
        == "Error: the engine store has no tables yet: run `laksana init-db` first"
    )
