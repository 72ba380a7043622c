"""Processes the public may start from the portal, without a Python view per process.

A ``bpmn:process`` whose ``camunda:properties`` carry ``publik`` = ``ya`` (or ``true``) is listed
on the public portal; its form is the start event's ``camunda:formData`` (as on the staff
"Layanan" page, ``engine.starting``), and a start from the portal is a start without a user,
with the requester's cover letter kept as the new instance's document in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from .bpmn_info import process_properties
from .clock import office_date
from .db import Database
from .definitions import DefinitionRepository
from .documents import NewDocument
from .errors import NotFound
from .forms import FormFieldView, validate_form
from .models import ProcessDefinition
from .records import InstanceView
from .starting import StartableView, startable_view

#: the process property that opens a process to the public portal
PUBLIC_PROPERTY = "publik"
PUBLIC_VALUES = ("ya", "true", "1")


def is_public(xml: str, process_id: str) -> bool:
    value = process_properties(xml, process_id).get(PUBLIC_PROPERTY, "")
    return value.strip().lower() in PUBLIC_VALUES


class PublicForms:
    """The portal's half of the facade, mixed into BpmnEngine (which provides these)."""

    db: Database
    definitions: DefinitionRepository
    clock: Callable[[], datetime]
    start: Callable[..., InstanceView]

    def public_services(self) -> list[StartableView]:
        """The latest versions of the processes marked public, by name."""
        found = []
        with self.db.Session() as session:
            latest: dict[str, ProcessDefinition] = {}
            for definition in self.definitions.list(session):
                latest[definition.process_id] = definition  # ordered by version
            for definition in latest.values():
                if is_public(definition.bpmn_xml, definition.process_id):
                    found.append(self._view(definition))
        return sorted(found, key=lambda v: v.name.lower())

    def public_form(self, process_id: str) -> StartableView:
        """One public process with its start form; NotFound when there is none or it is not
        public (the same answer: the portal does not tell internal processes apart)."""
        with self.db.Session() as session:
            definition = self.definitions.latest(session, process_id, required=False)
            if definition is None or not is_public(definition.bpmn_xml, definition.process_id):
                raise NotFound(f"layanan '{process_id}' tidak ada")
            return self._view(definition)

    def check_public_form(self, fields: list[FormFieldView], values: Any) -> dict[str, Any]:
        """The values cleaned by the form's rules (FormInvalid by field)."""
        return validate_form(fields, values, office_date(self.clock()))

    def start_public(
        self,
        process_id: str,
        values: Any,
        business_key: str,
        key_field: str,
        documents: Sequence[NewDocument] = (),
    ) -> InstanceView:
        """Start a public process for a requester (no user): the values checked by its start
        form, the tracking code as business key and under ``key_field``, the documents kept."""
        view = self.public_form(process_id)
        cleaned = self.check_public_form(view.fields, values)
        return self.start(
            process_id,
            {**cleaned, key_field: business_key},
            None,
            business_key=business_key,
            documents=documents,
        )

    @staticmethod
    def _view(definition: ProcessDefinition) -> StartableView:
        return startable_view(
            definition.bpmn_xml, definition.process_id, definition.name, definition.version, {}
        )
