"""Checking and deploying uploaded diagrams through the engine, never crashing on a strange file.

The engine's validation parses with its safe parser (no entities, no network);
nothing here parses the uploaded XML another way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from engine.errors import DiagramInvalid, EngineError
from engine.standard_time import standard_time_warnings

log = logging.getLogger(__name__)
#: the ``.dmn`` files uploaded with a diagram, as (file name, bytes)
Decisions = Sequence[tuple[str, bytes]]

NEW_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="definisi_baru"
  targetNamespace="http://dindukcapil.banjarnegarakab.go.id/bpmn">
  <bpmn:process id="proses_baru" name="Proses baru" isExecutable="true">
    <bpmn:startEvent id="mulai" name="Mulai" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram_baru">
    <bpmndi:BPMNPlane id="bidang_baru" bpmnElement="proses_baru">
      <bpmndi:BPMNShape id="mulai_di" bpmnElement="mulai">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


@dataclass
class Issue:
    message: str
    element_id: str | None = None
    line: int | None = None


@dataclass
class Outcome:
    ok: bool
    message: str
    issues: list[Issue]
    deployed: list[dict]
    #: what runs but is probably a mistake (an escalation timer that differs from the standard time)
    warnings: list[Issue] = field(default_factory=list)
    #: before deploying: per process already deployed, what would change (``engine.migration``)
    changes: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "message": self.message,
            "issues": [asdict(i) for i in self.issues],
            "warnings": [asdict(i) for i in self.warnings],
            "deployed": self.deployed,
            "changes": self.changes,
        }


def _decoding_issue(xml: bytes) -> Issue | None:
    try:
        xml.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Issue(
            _("Berkas harus berenkode UTF-8 (byte tidak sah pada posisi %(pos)d).", pos=exc.start)
        )
    return None


def _issues(found) -> list[Issue]:
    return [
        Issue(
            # an issue in a .dmn file of the bundle names the file (the diagram's go without)
            f"{i.filename}: {i.message}" if (i.filename or "").endswith(".dmn") else i.message,
            i.element_id,
            i.line,
        )
        for i in found
    ]


def _refused(issues: list[Issue]) -> Outcome:
    return Outcome(
        False,
        ngettext(
            "Diagram belum dapat dijalankan: %(num)d masalah.",
            "Diagram belum dapat dijalankan: %(num)d masalah.",
            len(issues),
        ),
        issues,
        [],
    )


def validate(
    engine, xml: bytes, filename: str, decisions: Decisions = (), templates: Decisions = ()
) -> Outcome:
    """Check a diagram with the ``.dmn`` files and letter templates (name, bytes) uploaded
    beside it."""
    problem = _decoding_issue(xml)
    if problem:
        return _refused([problem])
    try:
        issues = _issues(engine.validate(xml, filename, decisions, templates))
    except Exception as exc:  # noqa: BLE001 - a strange file is the user's problem, not a crash
        log.warning("validation of %s failed: %r", filename, exc)
        issues = [
            Issue(
                _("Berkas tidak dapat dibaca sebagai diagram BPMN: %(e)s", e=exc.__class__.__name__)
            )
        ]
    if issues:
        return _refused(issues)
    warnings = _issues(standard_time_warnings(xml, filename))
    message = (
        _("Diagram sah dan siap diterapkan, dengan %(n)d peringatan.", n=len(warnings))
        if warnings
        else _("Diagram sah dan siap diterapkan.")
    )
    return Outcome(True, message, [], [], warnings)


def preview(engine, xml: bytes, filename: str, decisions: Decisions = ()) -> Outcome:
    """Validation, and what deploying would change from each deployed version (with its XML)."""
    checked = validate(engine, xml, filename, decisions)
    if not checked.ok:
        return checked
    try:
        diffs = engine.versions.against_deployed(xml, filename, decisions)
    except DiagramInvalid as exc:
        return _refused(_issues(exc.issues))
    except EngineError as exc:
        return _refused([Issue(str(exc))])
    names = {d.process_id: d.name for d in engine.list_definitions()}
    for diff in diffs:
        old_xml = engine.definition_xml(diff.process_id, diff.old_version)
        name = names.get(diff.process_id, diff.process_id)
        checked.changes.append({**diff.to_dict(), "name": name, "old_xml": old_xml})
    return checked


def deploy(
    engine,
    xml: bytes,
    filename: str,
    username: str,
    decisions: Decisions = (),
    create_roles: bool = False,
    note: str = "",
    templates: Decisions = (),
) -> Outcome:
    """Deploy; a role the diagram names that is not known is refused unless ``create_roles``;
    ``note`` is the change note kept with the new version."""
    checked = validate(engine, xml, filename, decisions, templates)
    if not checked.ok:
        return checked
    try:
        results = engine.deploy(
            xml,
            filename,
            username,
            decisions=decisions,
            create_roles=create_roles,
            note=note,
            templates=templates,
        )
    except DiagramInvalid as exc:
        return _refused(_issues(exc.issues))
    except EngineError as exc:
        return _refused([Issue(str(exc))])
    deployed = [
        {"process_id": r.process_id, "version": r.version, "name": r.name, "unchanged": r.unchanged}
        for r in results
    ]
    parts = [
        (
            _("%(name)s versi %(v)d (tidak berubah)", name=r["name"], v=r["version"])
            if r["unchanged"]
            else _("%(name)s versi %(v)d", name=r["name"], v=r["version"])
        )
        for r in deployed
    ]
    return Outcome(
        True,
        _(
            "Diterapkan: %(list)s. Permohonan yang sedang berjalan tetap pada versinya.",
            list="; ".join(parts),
        ),
        [],
        deployed,
        checked.warnings,
    )
