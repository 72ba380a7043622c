"""Who may start a process, and the form its start event asks for.

A ``bpmn:process`` may carry ``camunda:candidateStarterGroups`` (a comma list of role codes,
as Camunda 7 has it). When it does, ``BpmnEngine.start`` refuses a user holding none of them
(administrators excepted); a process without it is started only by its own callers (a letter's
registration, the complaint intake, the CLI) and, from the "Layanan" page, by administrators.
The start event's ``camunda:formData`` is read from the deployed XML into the same
``FormFieldView`` records a task form has, so ``engine.forms.validate_form`` checks it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from lxml import etree

from .accounts import Accounts
from .bpmn_info import BPMN, CAMUNDA, process_properties
from .clock import office_date
from .db import Database
from .definitions import DefinitionRepository
from .errors import FieldError, Forbidden, FormInvalid, NotFound
from .forms import FormFieldView, validate_form
from .models import ProcessDefinition
from .parser import safe_xml_parser
from .records import InstanceView
from .users import active_roles

#: the role that may start any process from the services page
ADMIN = "admin"


@dataclass
class StartableView:
    """A deployed process (its latest version) as the services page and the API show it."""

    process_id: str
    name: str
    version: int
    sop_number: str | None
    bidang: str
    starter_groups: tuple[str, ...]
    fields: list[FormFieldView] = field(default_factory=list)


def _process(root, process_id: str):
    for process in root.iter(f"{BPMN}process"):
        if process.get("id") == process_id:
            return process
    return None


@lru_cache(maxsize=64)
def starter_groups(xml: str, process_id: str) -> tuple[str, ...]:
    """The role codes of the process's ``camunda:candidateStarterGroups`` (empty: none named)."""
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    process = _process(root, process_id)
    text = process.get(f"{CAMUNDA}candidateStarterGroups") if process is not None else None
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def may_start(groups: tuple[str, ...], roles: set[str]) -> bool:
    """Whether a user with ``roles`` may start a process naming ``groups`` from the page."""
    return ADMIN in roles or bool(set(groups) & roles)


def _field(xml_field) -> FormFieldView:
    constraints: dict[str, str | None] = {}
    properties: dict[str, str] = {}
    options = []
    for child in xml_field:
        if child.tag == f"{CAMUNDA}validation":
            for rule in child:
                if rule.get("name"):
                    constraints[rule.get("name")] = rule.get("config")
        elif child.tag == f"{CAMUNDA}properties":
            for prop in child:
                properties[prop.get("id") or ""] = prop.get("value") or ""
        elif child.tag == f"{CAMUNDA}value":
            options.append({"id": child.get("id") or "", "name": child.get("name") or ""})
    field_id = xml_field.get("id") or ""
    return FormFieldView(
        id=field_id,
        label=xml_field.get("label") or field_id,
        type=xml_field.get("type") or "string",
        required="required" in constraints,
        options=options,
        default=xml_field.get("defaultValue"),
        constraints=constraints,
        readonly="readonly" in constraints,
        properties=properties,
    )


def start_fields(xml: str, process_id: str) -> list[FormFieldView]:
    """The form fields of the process's (plain, top-level) start event; a fresh list per call."""
    return [_field(f) for f in _start_form(xml, process_id)]


@lru_cache(maxsize=64)
def _start_form(xml: str, process_id: str) -> tuple:
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    process = _process(root, process_id)
    if process is None:
        return ()
    for start in process.findall(f"{BPMN}startEvent"):
        if len(start.findall(f"{BPMN}*")) > len(start.findall(f"{BPMN}extensionElements")) + len(
            start.findall(f"{BPMN}outgoing")
        ) + len(start.findall(f"{BPMN}documentation")):
            continue  # a message, timer or signal start event: not started by a person
        return tuple(start.iter(f"{CAMUNDA}formField"))
    return ()


def startable_view(
    xml: str, process_id: str, name: str, version: int, role_bidang: dict[str, str]
) -> StartableView:
    """The view of one deployed version; its bidang is the process's ``bidang`` property, else
    the bidang of its first starter group's role."""
    groups = starter_groups(xml, process_id)
    properties = process_properties(xml, process_id)
    bidang = properties.get("bidang") or next(
        (role_bidang[g] for g in groups if role_bidang.get(g)), ""
    )
    return StartableView(
        process_id=process_id,
        name=name,
        version=version,
        sop_number=properties.get("sop_number") or None,
        bidang=bidang,
        starter_groups=groups,
        fields=start_fields(xml, process_id),
    )


class StartForms:
    """The services page's half of the facade, mixed into BpmnEngine (which provides these)."""

    db: Database
    definitions: DefinitionRepository
    accounts: Accounts
    clock: Callable[[], datetime]
    start: Callable[..., InstanceView]

    def startable(self, user: str) -> list[StartableView]:
        """The deployed processes (latest versions) ``user`` may start from the services page:
        those whose ``camunda:candidateStarterGroups`` name one of their roles; every process
        for an administrator. By bidang, then name."""
        roles = self._starter_roles(user)
        bidang = {r.code: r.bidang for r in self.accounts.roles.list()}
        found = []
        with self.db.Session() as session:
            latest: dict[str, ProcessDefinition] = {}
            for definition in self.definitions.list(session):
                latest[definition.process_id] = definition  # ordered by version
            for definition in latest.values():
                view = startable_view(
                    definition.bpmn_xml,
                    definition.process_id,
                    definition.name,
                    definition.version,
                    bidang,
                )
                if may_start(view.starter_groups, roles):
                    found.append(view)
        return sorted(found, key=lambda v: (v.bidang.lower(), v.name.lower()))

    def start_form(self, process_id: str, user: str) -> StartableView:
        """One process ``user`` may start, with its start form; NotFound or Forbidden otherwise."""
        roles = self._starter_roles(user)
        with self.db.Session() as session:
            definition = self.definitions.latest(session, process_id)
            view = startable_view(
                definition.bpmn_xml, definition.process_id, definition.name, definition.version, {}
            )
        if not may_start(view.starter_groups, roles):
            raise Forbidden(f"Anda tidak berwenang memulai layanan '{view.name}'")
        return view

    def start_with_form(
        self, process_id: str, values: Any, user: str, business_key: str, key_field: str
    ) -> InstanceView:
        """Start a process from its start form as ``user``: the values are checked by the form's
        rules (FormInvalid by field) and become the instance's data, with the business key
        (a tracking code) under ``key_field``."""
        view = self.start_form(process_id, user)
        if not isinstance(values, dict):
            raise FormInvalid([FieldError("data", "type", "data harus berupa objek JSON")])
        cleaned = validate_form(view.fields, values, office_date(self.clock()))
        return self.start(
            process_id, {**cleaned, key_field: business_key}, user, business_key=business_key
        )

    def _starter_roles(self, user: str) -> set[str]:
        with self.db.Session() as session:
            roles = active_roles(session, user)
        if roles is None:
            raise NotFound(f"unknown user '{user}'")
        return set(roles)
