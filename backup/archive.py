"""One backup archive (tar.gz): the store dump, the instance's secrets and a manifest.

Members: ``manifest.json`` first, then ``store/laksana.sqlite3`` or ``store/laksana.pgdump``,
then ``instance/secret_key`` and ``instance/pki/...`` (the local office CA and signing
certificate). The manifest records the SHA-256 and size of every other member, the Alembic
revision of the store, its row counts per table and a fingerprint of the documents (they live in
the store). ``verify`` checks all of it; ``restore`` verifies first, refuses a store that already
holds data unless forced, and checks the restored store against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from engine.config import Settings

from . import store

FORMAT = "laksana-backup/1"
MANIFEST = "manifest.json"
#: what of the instance folder is kept (the SQLite store there is dumped, not copied)
INSTANCE_FILES = ("secret_key",)
INSTANCE_DIRS = ("pki",)
SAFE_NAME = re.compile(r"^(store/[A-Za-z0-9_.-]+|instance/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*)$")
CHUNK = 1 << 20


class BackupError(Exception):
    """The backup cannot be made, read or restored; the message is one line for people."""


@dataclass
class Checked:
    """What ``verify`` found: the manifest (None if unreadable) and the problems, in order."""

    manifest: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems

    def message(self, limit: int = 3) -> str:
        shown = "; ".join(self.problems[:limit])
        more = len(self.problems) - limit
        return shown + (f" (dan {more} masalah lain)" if more > 0 else "")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _version() -> str:
    try:
        return metadata.version("laksana")
    except metadata.PackageNotFoundError:
        return "unknown"


def instance_members(instance_dir: Path) -> list[tuple[str, Path]]:
    """(archive name, file) for the secret key and the local PKI, when present."""
    members = [
        (f"instance/{name}", instance_dir / name)
        for name in INSTANCE_FILES
        if (instance_dir / name).is_file()
    ]
    for folder in INSTANCE_DIRS:
        root = instance_dir / folder
        if root.is_dir():
            members += [
                (f"instance/{path.relative_to(instance_dir).as_posix()}", path)
                for path in sorted(root.rglob("*"))
                if path.is_file()
            ]
    return members


# ---------------------------------------------------------------------------------------- create
def create(settings: Settings, output: Path) -> dict[str, Any]:
    """Write the archive to ``output`` (atomically, mode 0600) and return its manifest."""
    url = str(settings.database_url)
    backend = store.backend_of(url)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="laksana-backup-", dir=output.parent) as work:
        dump_file = Path(work) / "store.dump"
        try:
            facts = store.dump(url, dump_file)
        except store.StoreError as exc:
            raise BackupError(str(exc)) from None
        members = [(store.member_for(backend), dump_file)]
        members += instance_members(Path(settings.instance_dir))
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "laksana_version": _version(),
            "store": {
                "backend": backend,
                "member": store.member_for(backend),
                "alembic_revision": facts.revision,
            },
            "counts": facts.counts,
            # damaged: documents whose bytes already did not match their SHA-256 in the store
            # (kept as they are, and named, rather than leaving the office without a backup)
            "documents": {k: facts.documents[k] for k in ("count", "sha256", "damaged")},
            "members": [
                {
                    "name": name,
                    "size": path.stat().st_size,
                    "sha256": _sha256_file(path),
                    "mode": path.stat().st_mode & 0o777,
                }
                for name, path in members
            ],
        }
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            for name, path in members:
                info = tar.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
        partial.chmod(0o600)  # the archive holds the secret key and the signing key
        os.replace(partial, output)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(content))


# ---------------------------------------------------------------------------------------- verify
def verify(archive: Path, workdir: Path | None = None) -> Checked:
    """Every member against the manifest, and the store dump readable and matching its counts.

    With ``workdir``, every member is also extracted there (under its archive name).
    """
    checked = Checked(manifest=None)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            _read_members(tar, checked, workdir)
    except FileNotFoundError:
        return Checked(None, [f"berkas {archive} tidak ada"])
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as exc:
        checked.problems.insert(0, f"arsip rusak atau terpotong ({_reason(exc)})")
        return checked
    if checked.manifest is not None and not checked.problems and workdir is not None:
        _check_store(checked.manifest, workdir, checked)
    return checked


def _reason(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]


def _read_members(tar: tarfile.TarFile, checked: Checked, workdir: Path | None) -> None:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        checked.problems.append("bukan cadangan Laksana: manifest.json tidak ada di awal arsip")
        return
    manifest = _load_manifest(tar.extractfile(first))
    if manifest is None:
        checked.problems.append("manifest.json tidak terbaca atau bukan format " + FORMAT)
        return
    checked.manifest = manifest
    expected = {entry["name"]: entry for entry in manifest["members"]}
    seen: set[str] = set()
    for member in tar:  # from the start again: the manifest is already read
        if member is first:
            continue
        name = member.name
        if not member.isfile() or not SAFE_NAME.match(name) or ".." in name.split("/"):
            checked.problems.append(f"anggota arsip tidak sah: {name}")
            continue
        if name not in expected:
            checked.problems.append(f"berkas tidak tercatat di manifest: {name}")
            continue
        seen.add(name)
        digest = _copy_hashing(tar.extractfile(member), workdir / name if workdir else None)
        if digest != expected[name]["sha256"]:
            checked.problems.append(f"isi {name} berubah (SHA-256 tidak cocok dengan manifest)")
    for name in expected:
        if name not in seen:
            checked.problems.append(f"berkas hilang dari arsip: {name}")


def _load_manifest(handle) -> dict[str, Any] | None:
    try:
        manifest = json.loads(handle.read())
    except (ValueError, AttributeError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    if not isinstance(manifest.get("members"), list) or "store" not in manifest:
        return None
    return manifest


def _copy_hashing(source, target: Path | None) -> str:
    digest = hashlib.sha256()
    out = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("wb")
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return digest.hexdigest()


def _check_store(manifest: dict[str, Any], workdir: Path, checked: Checked) -> None:
    info = manifest["store"]
    dump_file = workdir / info["member"]
    try:
        if info["backend"] == "sqlite":
            facts = store.sqlite_facts(dump_file)
            known = set(manifest["documents"].get("damaged", []))
            damaged = [doc for doc in facts.documents["damaged"] if doc not in known]
            if damaged:
                checked.problems.append(
                    "dokumen dalam salinan basis data rusak: " + ", ".join(map(str, damaged))
                )
            compare(manifest, facts, checked, "salinan basis data")
        else:
            missing = set(manifest["counts"]) - store.postgres_listing(dump_file)
            if missing:
                checked.problems.append(
                    "dump PostgreSQL tidak memuat tabel: " + ", ".join(sorted(missing))
                )
    except store.StoreError as exc:
        checked.problems.append(str(exc))


def compare(manifest: dict[str, Any], facts: store.StoreFacts, checked: Checked, what: str) -> None:
    """Row counts per table (a table missing on one side counts as empty) and the documents."""
    expected = manifest["counts"]
    diff = sorted(
        f"{table}: {expected.get(table, 0)} -> {facts.counts.get(table, 0)}"
        for table in set(facts.counts) | set(expected)
        if facts.counts.get(table, 0) != expected.get(table, 0)
    )
    if diff:
        checked.problems.append(
            f"jumlah baris {what} tidak cocok dengan manifest ({', '.join(diff)})"
        )
    if facts.documents.get("sha256") != manifest["documents"]["sha256"]:
        checked.problems.append(f"dokumen {what} tidak sama dengan yang tercatat di manifest")
