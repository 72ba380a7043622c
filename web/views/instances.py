"""Requests and their history: the list (managers), one request's timeline and diagram, documents."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine import bpmn_info
from reports import history, preview
from warehouse import export
from warehouse.datasets import kept_result
from webkit.access import OVERSEERS, login_required, roles_required
from webkit.current import get_engine
from webkit.downloads import csv_response

from .. import requestinfo, timeline
from ..i18n import ACTION_LABELS, when
from ..policy import document_visible, may_read_instance, redact
from ..queryargs import instance_filters

bp = Blueprint("instances", __name__)
EXPORTS = {
    "csv": ("text/csv", "to_csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "to_xlsx"),
}


@bp.get("/riwayat")
@roles_required(*OVERSEERS)
def index():
    engine = get_engine()
    filters = instance_filters(request.args)
    page = engine.search_instances(filters)
    processes = {d.process_id: d.name for d in engine.list_definitions()}
    return render_template(
        "instances/index.html",
        page=page,
        filters=filters,
        processes=processes,
        step_names=_step_names(engine, page.rows),
    )


def _step_names(engine, rows) -> dict[tuple[str, int], dict[str, str]]:
    """(process id, version) -> element id -> step name, for the open steps of the listed rows
    (the list showed element ids such as ``disposisi_kadin``)."""
    names: dict[tuple[str, int], dict[str, str]] = {}
    for row in rows:
        key = (row.process_id, row.version)
        if key not in names:
            xml = bpmn_info.deployed_xml(engine, *key)
            names[key] = {i: info.name for i, info in bpmn_info.elements(xml).items()}
    return names


def _readable_instance(instance_id: int):
    engine = get_engine()
    instance = engine.instance(instance_id)  # NotFound -> 404 page
    if not may_read_instance(engine, current_user, instance_id):
        abort(403)
    return engine, instance


def _diagram_config(engine, instance, entries) -> dict:
    xml = bpmn_info.deployed_xml(engine, instance.process_id, instance.version)
    grouped = timeline.by_element(entries)
    history = {
        element: [
            {
                "at": when(e["at"]),
                "action": str(ACTION_LABELS.get(e["action"], e["action"])),
                "actor": e["actor"],
            }
            for e in items
        ]
        for element, items in grouped.items()
    }
    return {
        "xml": xml,
        "states": engine.element_states(instance.id),
        "history": history,
        "panel": "element-history",
        "labels": {
            "failed": _("Diagram tidak dapat ditampilkan"),
            "system": _("sistem"),
            "empty": _("Belum ada riwayat untuk elemen ini."),
        },
    }


@bp.get("/riwayat/<int:instance_id>")
@login_required
def show(instance_id: int):
    engine, instance = _readable_instance(instance_id)
    raw = engine.instance_data(instance_id)
    info = requestinfo.gather(engine, current_user, instance, raw)
    data = redact(raw, current_user)
    dataset = None
    if data.get("dataset_id") is not None:
        dataset = kept_result(engine.db, instance_id, data["dataset_id"])
    config = _diagram_config(engine, instance, engine.history(instance_id))
    return render_template(
        "instances/show.html",
        instance=instance,
        info=info,
        data=data,
        dataset=dataset,
        config=config,
        role_labels=engine.accounts.role_labels(),
        now=engine.clock(),
    )


@bp.get("/riwayat/<int:instance_id>/riwayat.pdf")
@roles_required(*OVERSEERS)
def history_pdf(instance_id: int):
    engine, instance = _readable_instance(instance_id)
    pdf = history.history_pdf(engine.db, instance_id)
    if pdf is None:
        abort(404)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="riwayat-permohonan-{instance.id}.pdf"'},
    )


@bp.get("/riwayat/<int:instance_id>/data.<fmt>")
@login_required
def dataset_export(instance_id: int, fmt: str):
    if fmt not in EXPORTS:
        abort(404)
    engine, _instance = _readable_instance(instance_id)
    data = engine.instance_data(instance_id)
    result = kept_result(engine.db, instance_id, data.get("dataset_id"))
    if result is None:
        abort(404)
    mime, function = EXPORTS[fmt]
    content, filename = getattr(export, function)(result), f"data-permohonan-{instance_id}.{fmt}"
    if fmt == "csv":
        return csv_response(content, filename)
    return Response(
        content,
        mimetype=mime,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/dokumen/<document_id>")
@login_required
def document(document_id: str):
    engine = get_engine()
    doc = engine.documents.get(document_id[:36], content=True)
    if doc is None:
        abort(404)
    instance_id, kind, content, mime, filename = (
        doc.instance_id,
        doc.kind,
        doc.content,
        doc.mime_type,
        doc.filename,
    )
    allowed = (
        may_read_instance(engine, current_user, instance_id)
        if instance_id is not None
        else current_user.oversees
    )
    if not allowed or not document_visible(kind, current_user):
        abort(403)
    headers = {"Content-Disposition": f'inline; filename="{filename}"'}
    if (
        mime != "application/pdf"
    ):  # a PDF opens in the browser's viewer; anything else is downloaded, inert
        headers = {
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Security-Policy": "sandbox",
        }
    return Response(content, mimetype=mime, headers=headers)


@bp.get("/dokumen/<document_id>/halaman-<int:page>.png")
@login_required
def document_page(document_id: str, page: int):
    """One page of a PDF as an image: the task pages' inline preview of a draft letter."""
    engine = get_engine()
    doc = engine.documents.get(document_id[:36], content=True)
    if doc is None or doc.mime_type != "application/pdf":
        abort(404)
    allowed = (
        may_read_instance(engine, current_user, doc.instance_id)
        if doc.instance_id is not None
        else current_user.oversees
    )
    if not allowed or not document_visible(doc.kind, current_user):
        abort(403)
    if page > preview.MAX_PAGES:
        abort(404)
    image = preview.page_png(doc.content, page)
    if image is None:
        abort(404)
    return Response(image, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})


def history_url(instance_id: int) -> str:
    return url_for("instances.show", instance_id=instance_id)
