"""Restoring an archive onto an installation: verified first, never over data unless forced.

The target is what the settings name (``LAKSANA_DATABASE_URL``, ``LAKSANA_INSTANCE_DIR``). A
store that holds any row refuses the restore unless ``force``; the instance files of the archive
(secret key, local PKI) replace those of the folder, since they belong to the store they were
saved with (the signatures in it verify against that CA). After the restore the store is read
back and compared with the manifest (row counts, documents).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory

from engine.config import Settings
from engine.migrate import alembic_config

from . import store
from .archive import BackupError, Checked, compare, verify


@dataclass
class Restored:
    manifest: dict[str, Any]
    #: set when the store's schema is older than this version of Laksana (run init-db)
    upgrade_from: str | None = None


def _revisions(url: str) -> tuple[set[str], set[str]]:
    """Every revision this version of Laksana knows, and its heads."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return {rev.revision for rev in script.walk_revisions()}, set(script.get_heads())


def restore(archive: Path, settings: Settings, *, force: bool = False) -> Restored:
    url = str(settings.database_url)
    backend = store.backend_of(url)
    with tempfile.TemporaryDirectory(prefix="laksana-restore-") as work:
        workdir = Path(work)
        checked = verify(archive, workdir)
        if not checked.ok or checked.manifest is None:
            raise BackupError(f"cadangan tidak dapat dipulihkan: {checked.message()}")
        manifest = checked.manifest
        info = manifest["store"]
        if info["backend"] != backend:
            raise BackupError(
                f"cadangan ini dari {info['backend']}, basis data tujuan {backend}: "
                "pulihkan ke jenis basis data yang sama"
            )
        revision = info.get("alembic_revision")
        known, heads = _revisions(url)
        if revision is not None and revision not in known:
            raise BackupError(
                f"skema cadangan (revisi {revision}) lebih baru dari aplikasi ini: "
                "perbarui Laksana dulu"
            )
        try:
            if not force and store.has_content(url):
                raise BackupError(
                    "basis data tujuan sudah berisi data; pakai --force untuk menimpanya"
                )
            store.restore(workdir / info["member"], url)
            facts = store.facts_of(url)
        except store.StoreError as exc:
            raise BackupError(str(exc)) from None
        _write_instance_files(manifest, workdir, Path(settings.instance_dir))
    after = Checked(manifest)
    compare(manifest, facts, after, "basis data hasil pemulihan")
    if after.problems:
        raise BackupError(f"pemulihan tidak lengkap: {after.message()}")
    outdated = revision is not None and revision not in heads
    return Restored(manifest, upgrade_from=revision if outdated else None)


def _write_instance_files(manifest: dict[str, Any], workdir: Path, instance_dir: Path) -> None:
    root = instance_dir.resolve()
    for entry in manifest["members"]:
        name = entry["name"]
        if not name.startswith("instance/"):
            continue
        target = (instance_dir / name.removeprefix("instance/")).resolve()
        if not target.is_relative_to(root):  # verify() refused such names already
            raise BackupError(f"anggota arsip tidak sah: {name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((workdir / name).read_bytes())
        target.chmod(int(entry.get("mode", 0o600)) & 0o777)
