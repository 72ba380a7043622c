"""The task page: the request's letter, documents and history, the step's panels, the form."""

from __future__ import annotations

import logging
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine import bpmn_info
from engine.clock import office_date
from engine.errors import Conflict, EngineError, Forbidden, NotFound
from engine.services import ServiceError
from reports import preview as pdf_preview
from warehouse.datasets import kept_result
from warehouse.topics import preview
from webkit.current import get_engine

from . import letter_intake, pickers, requestinfo, taskform
from .policy import redact
from .requestinfo import words_for

log = logging.getLogger(__name__)


def posted_data(form) -> dict[str, Any]:
    """What the HTML form sent, minus the CSRF token and buttons (names starting with '_')."""
    return {
        key: value.strip()
        for key, value in form.items()
        if key != "csrf_token" and not key.startswith("_")
    }


def picked_data(engine, task_id: str, form) -> tuple[dict[str, Any], dict[str, str]]:
    """The posted data with the pickers' values composed from their parts, and their errors."""
    task = engine.task(task_id, current_user.username)
    return pickers.gather(engine, task.fields, form, posted_data(form))


def explain(exc: EngineError) -> str:
    if isinstance(exc, Conflict):
        return _("sudah dikerjakan atau diambil orang lain")
    if isinstance(exc, Forbidden):
        return _("bukan tugas peran Anda")
    if isinstance(exc, NotFound):
        return _("tidak ditemukan")
    return str(exc)


def completed_message(engine, instance) -> str:
    """The flash after a step: what the instance is (its process's noun and key) and where it went."""
    name = words_for(engine, instance, current_user).title
    if instance.status == "completed":
        return _("Tugas selesai. %(name)s sudah tuntas.", name=name)
    nexts = engine.tasks(instance_id=instance.id)
    if not nexts:
        return _("Tugas selesai: %(name)s.", name=name)
    labels = engine.accounts.role_labels()
    where = "; ".join(f"{task.name} ({labels.get(task.role, task.role)})" for task in nexts)
    return _("Tugas selesai. %(name)s diteruskan ke: %(next)s", name=name, next=where)


def _with_unticked_boxes(fields, values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {**{f.id: False for f in fields if f.type == "boolean"}, **values}


def _preview_or_refusal(
    session, settings, instance_id: int, username: str, values: dict[str, Any], now
):
    """In the engine's transaction: a refusal is logged there too, and that one commits."""
    try:
        return preview(session, settings, instance_id, username, values, now), None
    except ServiceError as exc:
        return None, str(exc)


def run_preview(engine, instance_id: int, values: dict[str, Any]) -> tuple[dict | None, str | None]:
    """The operator's preview table from the warehouse (the grant is checked and the query logged there)."""
    try:
        return engine.in_transaction(
            _preview_or_refusal,
            engine.settings,
            instance_id,
            current_user.username,
            values,
            engine.clock(),  # the grant's validity by the engine's clock, as the query step's
        )
    except Exception:  # noqa: BLE001 - a broken warehouse must not break the operator's page
        log.exception("warehouse preview failed for instance %s", instance_id)
        return None, _("Gudang data tidak dapat dibuka saat ini. Hubungi administrator.")


#: what a deciding officer reads first about the request (the letter card has the rest)
SUMMARY_KEYS = ("instansi_pengirim", "perihal", "data_diminta")
#: notes left by earlier steps that the next decision depends on
NOTE_KEYS = (
    ("operator_catatan", _l("Catatan operator")),
    ("pemeriksaan_catatan", _l("Catatan pemeriksaan Kasi")),
    ("kabid_catatan_laporan", _l("Catatan laporan Kabid PIAK")),
)


def sent_back(history, element_id: str, ready_at) -> Any:
    """The history entry that sent this step back, when the step was done before in this instance
    (a rework loop of any diagram); None on the first pass."""
    before = [h for h in history if h.action == "completed" and h.at <= ready_at]
    if not any(h.element_id == element_id for h in before):
        return None
    return before[-1]


def rework(engine, task) -> dict[str, Any] | None:
    """The rework banner: who sent the step back, when, and their note (the step's
    ``rework_note_fields`` property names the data keys that carry it)."""
    sender = sent_back(engine.history(task.instance_id), task.element_id, task.ready_at)
    if sender is None:
        return None
    keys = [k.strip() for k in task.properties.get("rework_note_fields", "").split(",")]
    note = next((sender.data[k] for k in keys if k and sender.data.get(k)), None)
    return {"step": sender.name, "actor": sender.actor, "at": sender.at, "note": note}


def returned_rows(engine, rows) -> set[str]:
    """Ids of the inbox rows whose step was sent back (done before in the same instance)."""
    histories: dict[int, list] = {}
    marked = set()
    for row in rows:
        if row.instance_id not in histories:
            histories[row.instance_id] = engine.history(row.instance_id)
        if sent_back(histories[row.instance_id], row.element_id, row.ready_at) is not None:
            marked.add(row.id)
    return marked


def _page_previews(engine, documents) -> list[dict[str, Any]]:
    """The documents to sign as page images (reports.preview), each with its number of pages."""
    if not pdf_preview.available():
        return []
    shown = []
    for doc in documents:
        if doc.mime_type != "application/pdf":
            continue
        full = engine.documents.get(doc.id, content=True)
        pages = pdf_preview.page_count(full.content) if full and full.content else 0
        shown.append({"doc": doc, "pages": min(pages, pdf_preview.MAX_PAGES), "total": pages})
    return shown


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
    if "documents_to_sign" in task.properties or any(f.startswith("ttd_") for f in field_ids):
        keys = [k.strip() for k in task.properties.get("documents_to_sign", "").split(",")]
        if not any(keys):  # every document the diagram's signing tasks sign
            xml = bpmn_info.deployed_xml(engine, task.process_id, instance_version)
            keys = sorted(bpmn_info.signed_document_keys(xml))
        to_sign = {data.get(key) for key in keys if key} - {None}
        panels["to_sign"] = [doc for doc in documents if doc.id in to_sign and not doc.signed]
        panels["previews"] = _page_previews(engine, panels["to_sign"])
    panels["attachment_pdf"] = next(
        (
            doc
            for doc in documents
            if doc.kind == "lampiran_data" and doc.id == data.get("dokumen_lampiran_id")
        ),
        None,
    )
    panels["rework"] = rework(engine, task)
    panels["summary"] = [(key, data[key]) for key in SUMMARY_KEYS if data.get(key)]
    told = (panels["rework"] or {}).get("note")  # the banner quotes it already
    panels["notes"] = [
        (str(label), data[key])
        for key, label in NOTE_KEYS
        if data.get(key) and key not in field_ids and data[key] != told
    ]
    return panels


def _done_outside(engine, instance, element_id: str) -> bool:
    """A manual task or a plain ``bpmn:task``: work done outside the application, confirmed."""
    xml = bpmn_info.deployed_xml(engine, instance.process_id, instance.version)
    element = bpmn_info.elements(xml).get(element_id)
    return element is not None and element.kind in ("manualTask", "task")


def _decides(widgets: list[taskform.Widget]) -> bool:
    """The first field is a choice other fields follow (approve, send back, refuse)."""
    return bool(widgets) and any(
        w.show_if and w.show_if[0] == "f-" + widgets[0].id for w in widgets
    )


def render(
    task_id: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    preview: bool = False,
    status: int = 200,
    picked=None,
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
    widgets = taskform.widgets(
        task.fields, values, errors, office_date(engine.clock()), letter_intake.FIELD_HINTS
    )
    pickers.attach(engine, task.fields, widgets, picked)
    return render_template(
        "inbox/task.html",
        task=task,
        instance=instance,
        info=info,
        role_labels=engine.accounts.role_labels(),
        may_reassign=engine.may_reassign(task.id, user.username),
        summary_labels=dict(requestinfo.LETTER_FIELDS),
        widgets=widgets,
        decides=_decides(widgets),
        submit_label=task.properties.get("submit_label", "").strip(),
        confirm_only=not widgets and _done_outside(engine, instance, task.element_id),
        errors=errors or {},
        panels=_panels(engine, task, data, values, preview, info.documents, instance.version),
        overdue=task.overdue(engine.clock()),
    ), status
