"""Process models (analysts): versions, the diagram viewer, the editor, upload, validate, deploy."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import unquote

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import NotFound
from reports import sop_document
from reports.bpmn_sop import SopParseError
from webkit.access import roles_required
from webkit.current import get_engine

from .. import decision_editing, diagrams
from ..forms import ModelUploadForm
from ..i18n import select_locale as current_language
from ..modeler_labels import deploy_dialog_labels, laksana_group_labels
from ..uploads import MAX_BPMN_BYTES, UploadRefused, read_bpmn, read_template, safe_filename

bp = Blueprint("models", __name__, url_prefix="/model")
analysts_only = roles_required("analis")


def _grouped_definitions():
    definitions = sorted(get_engine().list_definitions(), key=lambda d: (d.process_id, -d.version))
    return [
        (pid, list(versions)) for pid, versions in groupby(definitions, key=lambda d: d.process_id)
    ]


def _xml_or_404(process_id: str, version: int) -> str:
    try:
        return get_engine().definition_xml(process_id, version)
    except NotFound:
        abort(404)


@bp.get("/")
@analysts_only
def index():
    return render_template(
        "models/index.html", groups=_grouped_definitions(), form=ModelUploadForm()
    )


@bp.get("/<process_id>/<int:version>")
@analysts_only
def show(process_id: str, version: int):
    xml = _xml_or_404(process_id, version)
    definition = next(
        (
            d
            for d in get_engine().list_definitions()
            if d.process_id == process_id and d.version == version
        ),
        None,
    )
    config = {"xml": xml, "labels": {"failed": _("Diagram tidak dapat ditampilkan")}}
    decisions = get_engine().definition_decisions(process_id, version)
    templates = get_engine().definition_templates(process_id, version)
    return render_template(
        "models/show.html",
        definition=definition,
        config=config,
        decisions=decisions,
        templates=templates,
    )


@bp.get("/<process_id>/<int:version>/templat/<filename>")
@analysts_only
def template_file(process_id: str, version: int, filename: str):
    """A letter template as deployed with the version (to edit it in Word)."""
    try:
        found = get_engine().definition_template(process_id, version, filename)
    except NotFound:
        abort(404)
    if found is None:
        abort(404)
    name = safe_filename(filename, "templat.docx")
    return Response(
        found,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/<process_id>/<int:version>/unduh")
@analysts_only
def download(process_id: str, version: int):
    xml = _xml_or_404(process_id, version)
    filename = safe_filename(f"{process_id}-v{version}.bpmn", "diagram.bpmn")
    return Response(
        xml,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/<process_id>/<int:version>/sop.pdf")
@analysts_only
def sop_paper(process_id: str, version: int):
    """The SOP paper (Permenpan-RB format) of one deployed version, read from its diagram."""
    xml = _xml_or_404(process_id, version)
    try:
        pdf = sop_document.render_bpmn(xml)
    except SopParseError as exc:
        flash(_("Kertas SOP tidak dapat dibuat: %(reason)s.", reason=str(exc)), "error")
        return redirect(url_for("models.show", process_id=process_id, version=version))
    filename = safe_filename(f"SOP-{process_id}-v{version}.pdf", "sop.pdf")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/penyunting")
@analysts_only
def editor():
    process_id, version = request.args.get("proses"), request.args.get("versi", type=int)
    if process_id and version:
        xml, filename = _xml_or_404(process_id, version), f"{process_id}.bpmn"
    else:
        xml, filename = diagrams.NEW_DIAGRAM, "proses_baru.bpmn"
    config = {
        "xml": xml,
        "filename": filename,
        "max_bytes": MAX_BPMN_BYTES,
        "validate_url": url_for("models.validate"),
        "preview_url": url_for("models.preview"),
        "deploy_url": url_for("models.deploy"),
        "roles_url": url_for("models.roles"),
        "language": current_language(),
        "laksana": laksana_group_labels(),
        "labels": {
            "element": _("elemen"),
            "diagram": _("diagram"),
            "line": _("baris"),
            "show": _("tunjukkan"),
            "validating": _("Memeriksa…"),
            "valid": _("Diagram sah dan siap diterapkan."),
            "deploying": _("Menerapkan…"),
            "loaded": _("Diagram dimuat."),
            "failed": _("Diagram tidak dapat dibuka"),
            "too_big": _("Berkas terlalu besar (paling besar 2 MB)."),
            "warning": _("peringatan"),
            **deploy_dialog_labels(),
        },
    }
    return render_template("models/editor.html", config=config)


def _posted_xml() -> tuple[bytes | None, str, str | None]:
    """The diagram sent by the editor (request body) and its file name, or an error message."""
    filename = safe_filename(request.headers.get("X-Filename"), "diagram.bpmn")
    try:
        return read_bpmn(request.stream), filename, None
    except UploadRefused as exc:
        return None, filename, str(exc)


@bp.post("/validasi")
@analysts_only
def validate():
    xml, filename, error = _posted_xml()
    if error:
        return jsonify(ok=False, message=error, issues=[], deployed=[]), 413
    outcome = diagrams.validate(get_engine(), xml, filename)
    return jsonify(outcome.to_dict()), 200 if outcome.ok else 422


@bp.get("/peran.json")
@analysts_only
def roles():
    """The active roles (code, name, bidang) the editor offers for a step's peran."""
    found = get_engine().accounts.roles.list()
    return jsonify(
        roles=[{"code": r.code, "name": r.name, "bidang": r.bidang} for r in found if r.active]
    )


@bp.post("/pratinjau")
@analysts_only
def preview():
    """Before deploying: validation, warnings, and what changes from the deployed version."""
    xml, filename, error = _posted_xml()
    if error:
        return jsonify(ok=False, message=error, issues=[], deployed=[]), 413
    outcome = diagrams.preview(get_engine(), xml, filename)
    return jsonify(outcome.to_dict()), 200 if outcome.ok else 422


#: the longest change note kept with a version
MAX_NOTE_CHARS = 2000


def _change_note() -> tuple[str, Response | None]:
    """The change note (percent-encoded in a header: the body is the diagram), or a refusal."""
    note = unquote(request.headers.get("X-Change-Note", "")).strip()
    if note and len(note) <= MAX_NOTE_CHARS:
        return note, None
    message = _(
        "Catatan perubahan wajib diisi (paling panjang %(n)d karakter): tulis apa yang "
        "berubah dari versi yang berjalan.",
        n=MAX_NOTE_CHARS,
    )
    refusal = jsonify(ok=False, message=message, issues=[], deployed=[], field="note")
    refusal.status_code = 422
    return "", refusal


@bp.post("/terapkan")
@analysts_only
def deploy():
    xml, filename, error = _posted_xml()
    if error:
        return jsonify(ok=False, message=error, issues=[], deployed=[]), 413
    note, refusal = _change_note()
    if refusal is not None:
        return refusal
    create_roles = request.headers.get("X-Create-Roles") == "1"
    outcome = diagrams.deploy(
        get_engine(), xml, filename, current_user.username, create_roles=create_roles, note=note
    )
    return jsonify(outcome.to_dict()), 200 if outcome.ok else 422


def _uploaded_templates(files) -> tuple[list[tuple[str, bytes]], str | None]:
    """The letter templates sent with the diagram as (name, bytes); the engine checks them."""
    templates = []
    for upload_file in files or []:
        if upload_file is None or not getattr(upload_file, "filename", ""):
            continue
        name = safe_filename(upload_file.filename, "templat.docx")
        try:
            templates.append((name, read_template(upload_file)))
        except UploadRefused as exc:
            return [], f"{name}: {exc}"
    return templates, None


def _uploaded_decisions(files) -> tuple[list[tuple[str, bytes]], str | None]:
    """The ``.dmn`` files sent with the diagram as (name, bytes), or a message refusing them."""
    decisions = []
    for upload_file in files or []:
        if upload_file is None or not getattr(upload_file, "filename", ""):
            continue  # the empty part a browser sends when no file is chosen
        name = safe_filename(upload_file.filename, "keputusan.dmn")
        if not name.lower().endswith(".dmn"):
            return [], _("%(name)s bukan berkas .dmn.", name=name)
        try:
            decisions.append((name, read_bpmn(upload_file)))
        except UploadRefused as exc:
            return [], f"{name}: {exc}"
    return decisions, None


def _check_or_deploy(form, xml: bytes, filename: str, decisions, templates):
    engine = get_engine()
    if not form.deploy.data:
        return diagrams.validate(engine, xml, filename, decisions, templates)
    return diagrams.deploy(
        engine,
        xml,
        filename,
        current_user.username,
        decisions,
        create_roles=form.create_roles.data,
        note=form.note.data or "",
        templates=templates,
    )


@bp.post("/unggah")
@analysts_only
def upload():
    form = ModelUploadForm()
    outcome = None
    if form.validate_on_submit():
        upload_file = form.diagram.data
        filename = safe_filename(upload_file.filename, "diagram.bpmn")
        try:
            xml = read_bpmn(upload_file)
        except UploadRefused as exc:
            form.diagram.errors = [str(exc)]
        else:
            decisions, refused = _uploaded_decisions(form.decisions.data)
            templates, refused_template = _uploaded_templates(form.templates.data)
            if refused:
                form.decisions.errors = [refused]
            elif refused_template:
                form.templates.errors = [refused_template]
            else:
                outcome = _check_or_deploy(form, xml, filename, decisions, templates)
    status = 200 if outcome is not None and outcome.ok else 422
    return render_template(
        "models/index.html", groups=_grouped_definitions(), form=form, outcome=outcome
    ), status


@bp.get("/<process_id>/<int:version>/keputusan/<filename>")
@analysts_only
def decision_editor(process_id: str, version: int, filename: str):
    """A deployed DMN decision table in dmn-js, deployed again with the latest diagram."""
    config = decision_editing.editor_config(get_engine(), process_id, version, filename)
    return render_template(
        "models/decision_editor.html", config=config, process_id=process_id, version=version
    )


@bp.post("/<process_id>/<int:version>/keputusan/<filename>/validasi")
@analysts_only
def decision_validate(process_id: str, version: int, filename: str):
    decision_editing.decision_text(get_engine(), process_id, version, filename)
    xml, _name, error = _posted_xml()
    if error or xml is None:
        return jsonify(ok=False, message=error, issues=[], deployed=[]), 413
    outcome = decision_editing.validate(get_engine(), process_id, filename, xml)
    return jsonify(outcome.to_dict()), 200 if outcome.ok else 422


@bp.post("/<process_id>/<int:version>/keputusan/<filename>/terapkan")
@analysts_only
def decision_deploy(process_id: str, version: int, filename: str):
    decision_editing.decision_text(get_engine(), process_id, version, filename)
    xml, _name, error = _posted_xml()
    if error or xml is None:
        return jsonify(ok=False, message=error, issues=[], deployed=[]), 413
    note, refusal = _change_note()
    if refusal is not None:
        return refusal
    outcome = decision_editing.deploy(
        get_engine(), process_id, filename, xml, current_user.username, note
    )
    return jsonify(outcome.to_dict()), 200 if outcome.ok else 422
