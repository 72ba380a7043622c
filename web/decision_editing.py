"""Editing a deployed DMN decision table in the browser (dmn-js) and deploying it.

The edited ``.dmn`` is deployed as a bundle with the latest version of its process's diagram,
through the same validation as ``laksana deploy`` (``web.diagrams``): a new version of the
process carries the new table; running instances keep theirs.
"""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _

from engine.errors import NotFound

from . import diagrams
from .i18n import select_locale
from .modeler_labels import deploy_dialog_labels


def decision_text(engine, process_id: str, version: int, filename: str) -> str:
    """The DMN text of ``filename`` deployed with that version (404 when there is none)."""
    try:
        texts = engine.definition_decision_files(process_id, version)
    except NotFound:
        abort(404)
    if filename not in texts:
        abort(404)
    return texts[filename]


def latest_definition(engine, process_id: str):
    """The latest deployed version of the process (its diagram goes with the edited table)."""
    found = [d for d in engine.list_definitions() if d.process_id == process_id]
    if not found:
        abort(404)
    return max(found, key=lambda d: d.version)


def editor_config(engine, process_id: str, version: int, filename: str) -> dict:
    latest = latest_definition(engine, process_id)
    return {
        "xml": decision_text(engine, process_id, version, filename),
        "filename": filename,
        "validate_url": url_for(
            "models.decision_validate", process_id=process_id, version=version, filename=filename
        ),
        "deploy_url": url_for(
            "models.decision_deploy", process_id=process_id, version=version, filename=filename
        ),
        "labels": {
            "loaded": _("Tabel keputusan dimuat."),
            "failed": _("Tabel keputusan tidak dapat dibuka"),
            "validating": _("Memeriksa…"),
            "deploying": _("Menerapkan…"),
            "element": _("elemen"),
            "line": _("baris"),
            **deploy_dialog_labels(),
        },
        "latest_version": latest.version,
        "language": select_locale(),
    }


def _bundle(engine, process_id: str, filename: str, dmn: bytes):
    latest = latest_definition(engine, process_id)
    bpmn = engine.definition_xml(process_id, latest.version).encode("utf-8")
    return bpmn, latest.filename or f"{process_id}.bpmn", [(filename, dmn)]


def validate(engine, process_id: str, filename: str, dmn: bytes) -> diagrams.Outcome:
    bpmn, bpmn_name, decisions = _bundle(engine, process_id, filename, dmn)
    return diagrams.validate(engine, bpmn, bpmn_name, decisions)


def deploy(engine, process_id: str, filename: str, dmn: bytes, user: str, note: str):
    bpmn, bpmn_name, decisions = _bundle(engine, process_id, filename, dmn)
    return diagrams.deploy(engine, bpmn, bpmn_name, user, decisions, note=note)
