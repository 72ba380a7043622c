"""The task page: the request's letter, documents and history, the step's panels, the form."""

from __future__ import annotations

import logging
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from engine import bpmn_info
from engine.clock import office_date
from engine.errors import Conflict, EngineError, Forbidden, NotFound
from engine.services import ServiceError
from office.roles import REASSIGNERS
from warehouse.datasets import kept_result
from warehouse.topics import preview
from webkit.current import get_engine

from . import letter_intake, requestinfo, taskform
from .policy import redact

log = logging.getLogger(__name__)


def posted_data(form) -> dict[str, Any]:
    """What the HTML form sent, minus the CSRF token and buttons (names starting with '_')."""
    return {
        key: value.strip()
        for key, value in form.items()
        if key != "csrf_token" and not key.startswith("_")
    }


def explain(exc: EngineError) -> str:
    if isinstance(exc, Conflict):
        return _("sudah dikerjakan atau diambil orang lain")
    if isinstance(exc, Forbidden):
        return _("bukan tugas peran Anda")
    if isinstance(exc, NotFound):
        return _("tidak ditemukan")
    return str(exc)


def completed_message(engine, instance) -> str:
    if instance.status == "completed":
        return _("Tugas selesai. Permohonan ini sudah tuntas.")
    nexts = engine.tasks(instance_id=instance.id)
    if not nexts:
        return _("Tugas selesai.")
    labels = engine.accounts.role_labels()
    where = "; ".join(f"{task.name} ({labels.get(task.role, task.role)})" for task in nexts)
    return _("Tugas selesai. Permohonan diteruskan ke: %(next)s", next=where)


def _with_unticked_boxes(fields, values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {**{f.id: False for f in fields if f.type == "boolean"}, **values}


def _preview_or_refusal(session, settings, instance_id: int, username: str, values: dict[str, Any]):
    """In the engine's transaction: a refusal is logged there too, and that one commits."""
    try:
        return preview(session, settings, instance_id, username, values), None
    except ServiceError as exc:
        return None, str(exc)


def run_preview(engine, instance_id: int, values: dict[str, Any]) -> tuple[dict | None, str | None]:
    """The operator's preview table from the warehouse (the grant is checked and the query logged there)."""
    try:
        return engine.in_transaction(
            _preview_or_refusal, engine.settings, instance_id, current_user.username, values
        )
    except Exception:  # noqa: BLE001 - a broken warehouse must not break the operator's page
        log.exception("warehouse preview failed for instance %s", instance_id)
        return None, _("Gudang data tidak dapat dibuka saat ini. Hubungi administrator.")


def _panels(
    engine,
    task,
    data: dict[str, Any],
    values: dict[str, Any] | None,
    preview: bool,
    documents,
    instance_version: int,
) -> dict[str, Any]:
    field_ids = {f.id for f in task.fields}
    panels: dict[str, Any] = {"can_preview": "permintaan_preset" in field_ids}
    if preview and panels["can_preview"]:
        panels["preview"], panels["preview_error"] = run_preview(
            engine, task.instance_id, values or {}
        )
    if data.get("dataset_id") is not None:
        panels["dataset"] = kept_result(engine.db, task.instance_id, data["dataset_id"])
    if any(f.startswith("ttd_") for f in field_ids):
        xml = bpmn_info.deployed_xml(engine, task.process_id, instance_version)
        to_sign = {data.get(key) for key in bpmn_info.signed_document_keys(xml)} - {None}
        panels["to_sign"] = [doc for doc in documents if doc.id in to_sign]
    return panels


def render(
    task_id: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    preview: bool = False,
    status: int = 200,
):
    engine = get_engine()
    user = current_user._get_current_object()
    task = engine.task(task_id, user.username)
    instance = engine.instance(task.instance_id)
    info = requestinfo.gather(engine, user, instance, task.data)
    data = redact(task.data, user)
    for field in task.fields:
        if field.id in data and field.default is not None:
            field.default = data[field.id]
    values = _with_unticked_boxes(task.fields, values)
    return render_template(
        "inbox/task.html",
        task=task,
        instance=instance,
        info=info,
        role_labels=engine.accounts.role_labels(),
        may_reassign=user.has_any(REASSIGNERS),
        widgets=taskform.widgets(
            task.fields, values, errors, office_date(engine.clock()), letter_intake.FIELD_HINTS
        ),
        errors=errors or {},
        panels=_panels(engine, task, task.data, values, preview, info.documents, instance.version),
        overdue=task.overdue(engine.clock()),
    ), status
