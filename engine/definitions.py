"""Deployed process definitions: numbered versions, each spec stored once and cached."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, overload

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from .bpmn_info import field_list, process_properties
from .decisions import decision_texts
from .errors import DiagramInvalid, DiagramIssue, NotFound
from .form_pickers import unknown_picker_issues, unknown_picker_role_issues
from .models import ProcessDefinition, utcnow
from .role_checks import unknown_role_issues
from .roles import ensure_roles, known_codes
from .serialization import WorkflowCodec, decisions_in_spec
from .standard_time import standard_time_warnings
from .templates import (
    CheckedTemplate,
    TemplateFormat,
    Templates,
    TemplateView,
    check_templates,
    checksum_parts,
    store_templates,
    template_views,
    templates_of,
)
from .validation import ParsedDiagram, validate_diagram

#: roles a bundle brings (its ``peran.csv``): (code, name, bidang)
BundleRoles = Sequence[tuple[str, str, str]]


@dataclass(frozen=True)
class SummaryPlan:
    title_fields: tuple[str, ...] = ()
    summary_fields: tuple[str, ...] = ()

    def title(self, data: dict, default: str) -> str:
        for key in self.title_fields:
            if data.get(key):
                return str(data[key])[:255]
        return default

    def summary(self, data: dict) -> dict:
        return {key: data[key] for key in self.summary_fields if key in data}


@dataclass
class DeployResult:
    process_id: str
    version: int
    name: str
    definition_id: int
    unchanged: bool
    #: what deploys but is probably a mistake (``engine.standard_time``), one per element
    warnings: list[DiagramIssue] = field(default_factory=list)


#: the latest version's identity without its XML and spec text (starting an instance needs no more)
_SELECT_LATEST_REF = (
    select(
        ProcessDefinition.id,
        ProcessDefinition.process_id,
        ProcessDefinition.version,
        ProcessDefinition.name,
    )
    .where(ProcessDefinition.process_id == bindparam("pid"))
    .order_by(ProcessDefinition.version.desc())
    .limit(1)
)


def unsaveable(process_id: str, exc: Exception, filename: str) -> DiagramIssue:
    return DiagramIssue(
        f"proses '{process_id}' memakai elemen yang belum dapat disimpan mesin proses; "
        "sederhanakan diagramnya",
        process_id,
        None,
        filename,
    )


def _checksum(xml: bytes, decisions: dict[str, str]) -> str:
    """The diagram's SHA-256; with decisions, of the diagram and each DMN file in name order."""
    digest = hashlib.sha256(xml)
    if not decisions:
        return digest.hexdigest()
    for name in sorted(decisions):
        digest.update(b"\0" + name.encode("utf-8") + b"\0" + decisions[name].encode("utf-8"))
    return digest.hexdigest()


def _not_deployed(process_id: str) -> NotFound:
    return NotFound(f"no deployed process '{process_id}' (deploy it first: laksana deploy)")


class DefinitionRepository:
    def __init__(
        self,
        codec: WorkflowCodec,
        topics: Callable[[], Collection[str]] = tuple,
        template_formats: Callable[[], dict[str, TemplateFormat]] = dict,
        form_pickers: Callable[[], Collection[str]] = tuple,
    ) -> None:
        self.codec = codec
        #: the registered service topics (read at each deploy)
        self.topics = topics
        #: the registered letter template formats by suffix (read at each deploy)
        self.template_formats = template_formats
        #: the names a form field's ``picker`` may take (read at each deploy; empty: unchecked)
        self.form_pickers = form_pickers
        self._specs: dict[int, tuple] = {}
        self._plans: dict[int, SummaryPlan] = {}
        self._lock = threading.Lock()

    def deploy(
        self,
        session: Session,
        xml: bytes,
        filename: str,
        user: str | None = None,
        force: bool = False,
        decisions: Sequence[tuple[str, bytes]] = (),
        create_roles: bool = False,
        note: str = "",
        templates: Templates = (),
        roles: BundleRoles = (),
    ) -> list[DeployResult]:
        """Validate and store each executable process of the file as a new version.

        ``decisions`` are the ``.dmn`` files deployed with it, as (filename, bytes): the ones its
        business rule tasks name are kept with each version's spec (``engine.decisions``).
        An unchanged diagram (same checksum as the latest version, its decisions included) is
        not stored again unless ``force``. ``note`` is the analyst's change note, kept with each
        new version. A role the diagram names that the ``roles`` table does
        not know is refused, unless ``create_roles``: then it is added (named as its lane).
        ``templates`` are the letter templates of the bundle (``engine.templates``), kept with
        each version; ``roles`` the roles its ``peran.csv`` declares, added first.
        """
        ensure_roles(session, roles)
        parsed, chosen, issues = self._checked(session, xml, filename, decisions, templates)
        if issues or parsed is None:
            raise DiagramInvalid(issues)
        role_issues, missing = unknown_role_issues(parsed.root, filename, known_codes(session))
        if role_issues and not create_roles:
            raise DiagramInvalid(role_issues)
        ensure_roles(session, [(code, name, "") for code, name in missing.items()])
        text = xml.decode(parsed.encoding or "utf-8")
        warnings = standard_time_warnings(xml, filename)
        results = []
        for pid in parsed.process_ids:
            kept = decision_texts(parsed.decisions_of(pid).values())
            checksum = _checksum(xml, {**kept, **checksum_parts(chosen)})
            latest = self.latest(session, pid, required=False)
            if latest is not None and latest.checksum == checksum and not force:
                results.append(
                    DeployResult(pid, latest.version, latest.name, latest.id, True, warnings)
                )
                continue
            spec = parsed.parser.get_spec(pid)
            subprocess_specs = parsed.parser.get_subprocess_specs(pid)
            version = (
                session.scalar(
                    select(func.max(ProcessDefinition.version)).where(
                        ProcessDefinition.process_id == pid
                    )
                )
                or 0
            ) + 1
            definition = ProcessDefinition(
                process_id=pid,
                version=version,
                name=parsed.names.get(pid, pid),
                filename=Path(filename).name,
                bpmn_xml=text,
                spec_json="",
                checksum=checksum,
                deployed_at=utcnow(),
                deployed_by=user,
                change_note=note.strip(),
            )
            try:
                definition.spec_json = self.codec.spec_to_json(spec, subprocess_specs, kept)
            except (TypeError, ValueError) as exc:  # a spec SpiffWorkflow cannot save
                raise DiagramInvalid([unsaveable(pid, exc, filename)]) from None
            session.add(definition)
            session.flush()
            store_templates(session, definition.id, chosen)
            results.append(
                DeployResult(pid, version, definition.name, definition.id, False, warnings)
            )
        return results

    def validate(
        self,
        session: Session,
        xml: bytes,
        filename: str,
        decisions: Sequence[tuple[str, bytes]] = (),
        templates: Templates = (),
    ) -> tuple[ParsedDiagram | None, list[DiagramIssue]]:
        """``validate_diagram`` with call activities resolved against the deployed processes,
        and the letter templates of the bundle (or of the deployed version) checked."""
        parsed, _chosen, issues = self._checked(session, xml, filename, decisions, templates)
        return parsed, issues

    def _checked(
        self,
        session: Session,
        xml: bytes,
        filename: str,
        decisions: Sequence[tuple[str, bytes]],
        templates: Templates,
    ) -> tuple[ParsedDiagram | None, dict[str, CheckedTemplate], list[DiagramIssue]]:
        parsed, issues = validate_diagram(
            xml,
            filename,
            lambda pid, version: self._called_xml(session, pid, version),
            self.topics(),
            decisions,
            lambda pid: self._latest_decisions(session, pid),
        )
        if parsed is None:
            return None, {}, issues
        issues = issues + unknown_picker_issues(parsed.root, filename, self.form_pickers())
        roles_known = known_codes(session)
        lanes_name = unknown_role_issues(parsed.root, filename, roles_known)[1]
        issues += unknown_picker_role_issues(parsed.root, filename, roles_known | set(lanes_name))
        kept: dict[str, CheckedTemplate] = {}
        for pid in parsed.process_ids:
            latest = self.latest(session, pid, required=False)
            kept.update(templates_of(session, latest.id if latest is not None else None))
        chosen, template_issues = check_templates(
            parsed.root, filename, templates, kept, self.template_formats()
        )
        return parsed, chosen, issues + template_issues

    def templates(self, session: Session, definition_id: int) -> list[TemplateView]:
        """The letter templates deployed with a version (the model page lists them)."""
        return template_views(session, definition_id)

    def _latest_decisions(self, session: Session, process_id: str) -> dict[str, str]:
        text = session.scalar(
            select(ProcessDefinition.spec_json)
            .where(ProcessDefinition.process_id == process_id)
            .order_by(ProcessDefinition.version.desc())
            .limit(1)
        )
        return decisions_in_spec(text) if text else {}

    def decisions(self, session: Session, definition_id: int) -> dict[str, str]:
        """{filename: DMN text} deployed with a version (empty when it has none)."""
        text = session.scalar(
            select(ProcessDefinition.spec_json).where(ProcessDefinition.id == definition_id)
        )
        if text is None:
            raise NotFound(f"process definition {definition_id} does not exist")
        return decisions_in_spec(text)

    def _called_xml(self, session: Session, process_id: str, version: int | None) -> str | None:
        """The XML of a called process: the pinned ``version``, or the latest."""
        query = select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.process_id == process_id)
        if version is not None:
            query = query.where(ProcessDefinition.version == version)
        return session.scalar(query.order_by(ProcessDefinition.version.desc()).limit(1))

    @overload
    def latest(
        self, session: Session, process_id: str, required: Literal[True] = True
    ) -> ProcessDefinition: ...

    @overload
    def latest(
        self, session: Session, process_id: str, required: bool
    ) -> ProcessDefinition | None: ...

    def latest(
        self, session: Session, process_id: str, required: bool = True
    ) -> ProcessDefinition | None:
        definition = session.scalars(
            select(ProcessDefinition)
            .where(ProcessDefinition.process_id == process_id)
            .order_by(ProcessDefinition.version.desc())
            .limit(1)
        ).first()
        if definition is None and required:
            raise _not_deployed(process_id)
        return definition

    def latest_ref(self, session: Session, process_id: str):
        """(id, process_id, version, name) of the latest version; NotFound when none is deployed."""
        found = session.connection().execute(_SELECT_LATEST_REF, {"pid": process_id}).first()
        if found is None:
            raise _not_deployed(process_id)
        return found

    def get(self, session: Session, process_id: str, version: int) -> ProcessDefinition:
        definition = session.scalars(
            select(ProcessDefinition).where(
                ProcessDefinition.process_id == process_id, ProcessDefinition.version == version
            )
        ).first()
        if definition is None:
            raise NotFound(f"process '{process_id}' has no version {version}")
        return definition

    def list(self, session: Session) -> list[ProcessDefinition]:
        return list(
            session.scalars(
                select(ProcessDefinition).order_by(
                    ProcessDefinition.process_id, ProcessDefinition.version
                )
            )
        )

    def summary_plan(self, session: Session, definition_id: int) -> SummaryPlan:
        """Which task-data keys name an instance and fill its summary, from the diagram.

        The process's ``camunda:properties`` say so: ``title_fields`` (the first key with a value
        becomes the instance's title) and ``summary_fields`` (copied into its summary column for
        lists and search). The engine itself knows no task-data key.
        """
        plan = self._plans.get(definition_id)
        if plan is None:
            found = session.execute(
                select(ProcessDefinition.process_id, ProcessDefinition.bpmn_xml).where(
                    ProcessDefinition.id == definition_id
                )
            ).first()
            if found is None:
                raise NotFound(f"process definition {definition_id} does not exist")
            props = process_properties(found.bpmn_xml, found.process_id)
            plan = SummaryPlan(
                field_list(props.get("title_fields")), field_list(props.get("summary_fields"))
            )
            with self._lock:
                self._plans[definition_id] = plan
        return plan

    def spec(self, session: Session, definition_id: int) -> tuple:
        """(spec, subprocess_specs) of a version, restored once per process and cached."""
        cached = self._specs.get(definition_id)
        if cached is None:
            text = session.scalar(
                select(ProcessDefinition.spec_json).where(ProcessDefinition.id == definition_id)
            )
            if text is None:
                raise NotFound(f"process definition {definition_id} does not exist")
            cached = self.codec.spec_from_json(text)
            with self._lock:
                self._specs[definition_id] = cached
        return cached
