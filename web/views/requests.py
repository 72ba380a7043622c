"""Incoming requests: the Sekretariat's registration, the public form, tracking by code, downloads."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from engine.clock import office_date
from engine.errors import FormInvalid
from webkit.access import public, roles_required
from webkit.current import get_engine
from webkit.extensions import limiter

from .. import letter_intake, taskform, tracking
from ..forms import LetterUploadForm, PublicRequestForm
from ..next_steps import next_steps
from ..uploads import UploadRefused, read_pdf

bp = Blueprint("requests", __name__)


def _public_limit() -> str:
    return current_app.config["PUBLIC_FORM_RATE_LIMIT"]


def _tracking_limit() -> str:
    return current_app.config["TRACKING_RATE_LIMIT"]


@bp.route("/surat-masuk/baru", methods=["GET", "POST"])
@roles_required("sekretariat")
def register():
    engine = get_engine()
    fields = letter_intake.registration_fields(engine)
    upload = LetterUploadForm()
    values, errors = None, {}
    if request.method == "POST":
        values = taskform.submitted(request.form, fields)
        errors, letter = letter_intake.check_letter(engine, fields, values, upload)
        if not errors:
            registered = letter_intake.register_letter(
                engine, current_user.username, values, letter
            )
            flash(letter_intake.registered_message(registered), "success")
            # a receipt to print for the applicant at the desk, not only a message
            return redirect(url_for("agenda.receipt", instance_id=registered.instance_id))
    else:
        values = {"tanggal_diterima": office_date(engine.clock()).isoformat()}
    widgets = taskform.widgets(
        fields, values, errors, office_date(engine.clock()), letter_intake.FIELD_HINTS
    )
    return render_template(
        "requests/register.html", widgets=widgets, upload=upload, errors=errors
    ), 422 if errors else 200


@bp.route("/permohonan-data", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
@public
def public_form():
    form = PublicRequestForm()
    today = office_date(get_engine().clock())
    if form.validate_on_submit() and letter_intake.letter_date_ok(form, today):
        try:
            letter = read_pdf(form.surat.data)
        except UploadRefused as exc:
            form.surat.errors = [str(exc)]
        else:
            try:
                code = letter_intake.submit_public_request(get_engine(), form, letter)
            except FormInvalid as exc:
                for error in exc.errors:
                    getattr(form, error.field, form.perihal).errors = [error.message]
            else:
                session["kode_terkirim"] = code
                return redirect(url_for("requests.public_sent"))
    status = 422 if request.method == "POST" else 200
    return render_template("requests/public_form.html", form=form), status


@bp.get("/permohonan-data/terkirim")
@public
def public_sent():
    code = session.get("kode_terkirim")
    if not code:
        return redirect(url_for("requests.public_form"))
    upcoming = next_steps(get_engine(), letter_intake.PROCESS)
    return render_template("requests/public_sent.html", code=code, upcoming=upcoming)


@bp.get("/lacak")
@limiter.limit(_tracking_limit)
@public
def track():
    code = tracking.normalise(request.args.get("kode"))
    if code:
        return redirect(url_for("requests.status", code=code))
    return render_template("requests/track.html")


@bp.get("/lacak/<code>")
@limiter.limit(_tracking_limit)
@public
def status(code: str):
    code = tracking.normalise(code)
    engine = get_engine()
    instance = tracking.find_instance(engine, code)
    if instance is None:
        return render_template("requests/track.html", unknown=code), 404
    view = tracking.public_status(engine, instance)
    links = {
        doc.id: url_for("requests.download", token=tracking.download_token(code, doc.id))
        for doc in view.documents
    }
    return render_template("requests/status.html", view=view, links=links)


@bp.get("/unduh/<token>")
@limiter.limit(_tracking_limit)
@public
def download(token: str):
    found = tracking.read_token(token)
    if found is None:
        abort(404)
    code, document_id = found
    engine = get_engine()
    instance = tracking.find_instance(engine, tracking.normalise(code))
    if instance is None or instance.status not in ("completed", "cancelled"):  # ended requests
        abort(404)
    if document_id not in {doc.id for doc in tracking.deliverables(engine, instance.id)}:
        abort(404)
    doc = engine.documents.get(document_id, content=True)
    if doc is None:
        abort(404)
    content, mime, filename = doc.content, doc.mime_type, doc.filename
    return Response(
        content,
        mimetype=mime,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
