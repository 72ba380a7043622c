"""Comparing two deployed versions of a process, and moving running instances between them.

SpiffWorkflow aligns the task specs of two versions by BPMN id (``SpecDiff``) and re-points a
workflow's tasks at the new version's specs (``migrate_workflow``). An instance can move when
every task in its tree (finished ones included: they are restored against the new version's
specs) has a counterpart in the new version, and so have its sub-processes; otherwise the
preview names the steps that stop it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.util.diff import SpecDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .call_binding import in_own_scope, replace_own_specs
from .errors import DiagramInvalid, EngineError
from .forms import fields_of
from .instances import FINISHED
from .locks import lock_instance
from .models import ProcessDefinition, ProcessInstance
from .runner import audit, element_name

#: states of a task that is or was really there (predicted ones are predicted again)
_DEFINITE = (
    TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
)
#: task spec classes SpiffWorkflow adds around the diagram's own elements (not shown to people)
_INTERNAL = ("Start", "End", "Root")


@dataclass
class ElementChange:
    element_id: str
    name: str
    what: list[str] = field(default_factory=list)


@dataclass
class VersionDiff:
    """What changed from one deployed version to another, in the analyst's words."""

    process_id: str
    old_version: int
    new_version: int
    added: list[ElementChange]
    removed: list[ElementChange]
    changed: list[ElementChange]

    def to_dict(self) -> dict[str, Any]:
        def rows(items):
            return [{"element_id": c.element_id, "name": c.name, "what": c.what} for c in items]

        return {
            "process_id": self.process_id,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": rows(self.added),
            "removed": rows(self.removed),
            "changed": rows(self.changed),
        }


@dataclass
class MigrationCandidate:
    instance_id: int
    title: str
    current_tasks: list[str]
    can_move: bool
    reason: str = ""


def _shown(spec) -> bool:
    return bool(getattr(spec, "bpmn_id", None)) and spec.name not in _INTERNAL


def _change(spec) -> ElementChange:
    return ElementChange(spec.bpmn_id, element_name(spec))


def _describe(old, new) -> list[str]:
    """The differences people care about: name, standard time, form fields, role."""
    what = []
    if element_name(old) != element_name(new):
        what.append(f"nama: '{element_name(old)}' → '{element_name(new)}'")
    old_props, new_props = old.extensions or {}, new.extensions or {}
    old_min, new_min = old_props.get("standard_minutes"), new_props.get("standard_minutes")
    if old_min != new_min:
        what.append(f"waktu baku: {old_min or '-'} → {new_min or '-'} menit")
    old_fields = {f.id: f.label for f in fields_of(old)}
    new_fields = {f.id: f.label for f in fields_of(new)}
    for key in new_fields.keys() - old_fields.keys():
        what.append(f"isian baru: {new_fields[key]}")
    for key in old_fields.keys() - new_fields.keys():
        what.append(f"isian dihapus: {old_fields[key]}")
    if getattr(old, "lane", None) != getattr(new, "lane", None):
        what.append(f"peran: {old.lane or '-'} → {new.lane or '-'}")
    other = sorted(
        set(old_props) ^ set(new_props)
        | {k for k in set(old_props) & set(new_props) if old_props[k] != new_props[k]}
        - {"standard_minutes"}
    )
    if other:
        what.append("properti: " + ", ".join(other))
    return what


def spec_diff(registry, old_spec, new_spec, process_id, old_version, new_version) -> VersionDiff:
    diff = SpecDiff(registry, old_spec, new_spec)
    changed = []
    for old, new in diff.alignment.items():
        if new is None or not _shown(old):
            continue
        what = _describe(old, new)
        if what or old in diff.changed:
            changed.append(ElementChange(old.bpmn_id, element_name(new), what or ["atribut lain"]))
    return VersionDiff(
        process_id,
        old_version,
        new_version,
        added=[_change(s) for s in diff.added if _shown(s)],
        removed=[_change(s) for s in diff.removed if _shown(s)],
        changed=changed,
    )


def _definition(session: Session, process_id: str, version: int) -> ProcessDefinition:
    found = session.scalars(
        select(ProcessDefinition).where(
            ProcessDefinition.process_id == process_id, ProcessDefinition.version == version
        )
    ).first()
    if found is None:
        raise EngineError(f"proses '{process_id}' tidak punya versi {version}")
    return found


class Migrator:
    """Diff, preview and migration for ``BpmnEngine`` (which passes itself)."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def diff(self, process_id: str, old_version: int, new_version: int) -> VersionDiff:
        engine = self.engine
        with engine.db.Session() as session:
            old = _definition(session, process_id, old_version)
            new = _definition(session, process_id, new_version)
            old_spec, _ = engine.definitions.spec(session, old.id)
            new_spec, _ = engine.definitions.spec(session, new.id)
        registry = engine.codec.serializer.registry
        return spec_diff(registry, old_spec, new_spec, process_id, old_version, new_version)

    def against_deployed(
        self, xml: bytes, filename: str, decisions: Sequence[tuple[str, bytes]] = ()
    ) -> list[VersionDiff]:
        """What deploying this diagram would change, per process of it already deployed (the
        latest version against the one it would become); a process new to the store is left
        out. A diagram that does not pass validation raises ``DiagramInvalid``."""
        engine = self.engine
        registry = engine.codec.serializer.registry
        diffs = []
        with engine.db.Session() as session:
            parsed, issues = engine.definitions.validate(session, xml, filename, decisions)
            if issues:
                raise DiagramInvalid(issues)
            for pid in parsed.process_ids:
                latest = engine.definitions.latest(session, pid, required=False)
                if latest is None:
                    continue
                old_spec, _ = engine.definitions.spec(session, latest.id)
                new_spec = parsed.parser.get_spec(pid)
                diffs.append(
                    spec_diff(registry, old_spec, new_spec, pid, latest.version, latest.version + 1)
                )
        return diffs

    def preview(
        self, process_id: str, old_version: int, new_version: int
    ) -> list[MigrationCandidate]:
        engine = self.engine
        candidates = []
        with engine.db.Session() as session:
            old = _definition(session, process_id, old_version)
            new = _definition(session, process_id, new_version)
            ids = session.scalars(
                select(ProcessInstance.id)
                .where(
                    ProcessInstance.definition_id == old.id,
                    ProcessInstance.status.not_in(FINISHED),
                )
                .order_by(ProcessInstance.id)
            ).all()
            for instance_id in ids:
                row = engine._instance_row(session, instance_id)
                workflow = engine.instances.load(session, row)
                reason = self._obstacle(session, workflow, new.id)
                candidates.append(
                    MigrationCandidate(
                        row.id, row.title, list(row.current_tasks), reason is None, reason or ""
                    )
                )
        return candidates

    def migrate(
        self,
        process_id: str,
        old_version: int,
        new_version: int,
        user: str,
        instance_ids: list[int] | None = None,
    ) -> list[MigrationCandidate]:
        """Move the chosen (default: every movable) running instances; each in its own
        transaction, so one that cannot move leaves the others moved."""
        engine = self.engine
        with engine.db.Session() as session:
            engine._console_user(session, user, "admin")
        chosen = [
            c
            for c in self.preview(process_id, old_version, new_version)
            if instance_ids is None or c.instance_id in instance_ids
        ]
        for candidate in chosen:
            if candidate.can_move:
                try:
                    self._move_one(candidate, process_id, old_version, new_version, user)
                except EngineError as exc:
                    candidate.can_move, candidate.reason = False, str(exc)
        return chosen

    def _move_one(self, candidate, process_id, old_version, new_version, user) -> None:
        engine = self.engine
        now: datetime = engine.clock()
        with engine.db.transaction() as session:
            lock_instance(session, candidate.instance_id)
            new = _definition(session, process_id, new_version)
            row = engine._instance_row(session, candidate.instance_id)
            workflow = engine.instances.load(session, row)
            reason = self._obstacle(session, workflow, new.id)
            if reason is not None:
                candidate.can_move, candidate.reason = False, reason
                return
            new_spec, new_deps = engine.definitions.spec(session, new.id)
            top, subs = _own_diffs(engine, workflow, new_spec, new_deps)
            migrate_workflow(top, workflow, new_spec)
            for sp_id, sp_diff in subs.items():
                sub = workflow.subprocesses[sp_id]
                migrate_workflow(sp_diff, sub, new_deps[sub.spec.name])
            replace_own_specs(workflow, new_deps)
            _check_every_task_moved(workflow, new_spec, new_deps)
            session.execute(
                update(ProcessInstance)
                .where(ProcessInstance.id == row.id)
                .values(definition_id=new.id, version=new_version)
            )
            row.definition_id, row.version = new.id, new_version
            audit(
                session,
                row,
                "migrated",
                actor=user,
                at=now,
                element_id=row.process_id,
                data={"from_version": old_version, "to_version": new_version},
            )
            row.open_task_ids = None
            engine._save(session, row, workflow, now, user)
        engine.instances.remember(row, workflow)

    def _obstacle(self, session: Session, workflow, new_definition_id: int) -> str | None:
        """Why this instance cannot move to that version, or None."""
        engine = self.engine
        new_spec, new_deps = engine.definitions.spec(session, new_definition_id)
        top, subs = _own_diffs(engine, workflow, new_spec, new_deps)
        removed = [t for t in top.removed if t.state & _DEFINITE]
        for sp_id, sp_diff in subs.items():
            if sp_diff is None:
                name = workflow.subprocesses[sp_id].spec.name
                return f"sub-proses '{name}' tidak ada di versi baru"
            removed += [t for t in sp_diff.removed if t.state & _DEFINITE]
        if removed:
            names = sorted({element_name(t.task_spec) for t in removed if _shown(t.task_spec)})
            return "langkah yang sudah atau sedang dijalani tidak ada di versi baru: " + (
                ", ".join(names) or "langkah internal"
            )
        return None


def _own_diffs(engine, workflow, new_spec, new_deps):
    """SpiffWorkflow's diff of the instance against the new version, without the sub-workflows
    of called versions a call bound at run time (``engine.call_binding``): they keep theirs."""
    top, subs = diff_workflow(engine.codec.serializer.registry, workflow, new_spec, new_deps)
    return top, {
        sp_id: sp_diff
        for sp_id, sp_diff in subs.items()
        if in_own_scope(workflow.subprocesses[sp_id])
    }


def _check_every_task_moved(workflow, new_spec, new_deps) -> None:
    """After SpiffWorkflow's re-pointing, every task of the tree must use the new version's
    specs (a stray one could not be restored later): otherwise the move is rolled back."""
    own = [sp for sp in workflow.subprocesses.values() if in_own_scope(sp)]
    for wf in (workflow, *own):
        specs = new_spec.task_specs if wf is workflow else new_deps[wf.spec.name].task_specs
        for task in wf.tasks.values():
            if specs.get(task.task_spec.name) is not task.task_spec:
                raise EngineError(
                    f"langkah '{element_name(task.task_spec)}' tidak dapat dipindahkan ke "
                    "versi baru"
                )
