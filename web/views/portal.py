"""The public portal's services: every process marked public (``publik`` = ``ya``) gets a form
drawn from its start event, a tracking code and a cover-letter upload; no view per process."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l

from engine.clock import office_date
from engine.documents import NewDocument
from engine.errors import FormInvalid, NotFound
from engine.starting import StartableView
from webkit.access import public
from webkit.current import get_engine
from webkit.extensions import limiter

from .. import taskform, tracking
from ..uploads import UploadRefused, read_pdf

bp = Blueprint("portal", __name__)

#: the data key of the tracking code (the instance's business key), as on the staff page
TRACKING_KEY = "kode_pelacakan"
#: the upload's field name, and the kind of the document it is kept as
LETTER_FIELD = "surat_pengantar"
LETTER_KIND = "surat_masuk"
SENT_KEY = "kode_layanan_terkirim"


def _public_limit() -> str:
    return current_app.config["PUBLIC_FORM_RATE_LIMIT"]


@bp.get("/layanan-publik")
@public
def index():
    return render_template("portal/index.html", services=get_engine().public_services())


def _service(process_id: str) -> StartableView:
    try:
        return get_engine().public_form(process_id)
    except NotFound:
        abort(404)


def _check(service: StartableView, values: dict) -> tuple[dict[str, str], bytes]:
    """Errors by field (the start form's rules, the cover letter) and the letter's bytes."""
    errors: dict[str, str] = {}
    try:
        get_engine().check_public_form(service.fields, values)
    except FormInvalid as exc:
        errors.update(exc.by_field())
    letter = b""
    try:
        letter = read_pdf(request.files.get(LETTER_FIELD))
    except UploadRefused as exc:
        errors[LETTER_FIELD] = str(exc)
    return errors, letter


@bp.route("/layanan-publik/<process_id>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
@public
def form(process_id: str):
    service = _service(process_id)
    values: dict = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = taskform.submitted(request.form, service.fields)
        errors, letter = _check(service, values)
        if not errors:
            code = tracking.new_code()
            document = NewDocument(
                kind=LETTER_KIND,
                filename="surat-pengantar-{instance_id}.pdf",
                content=letter,
                title=str(_l("Surat pengantar")),
            )
            try:
                get_engine().start_public(process_id, values, code, TRACKING_KEY, [document])
            except FormInvalid as exc:
                errors = exc.by_field()
            else:
                session[SENT_KEY] = (code, service.name)
                return redirect(url_for("portal.sent"))
    today = office_date(get_engine().clock())
    widgets = taskform.widgets(service.fields, values, errors, today)
    labels = {w.id: w.label for w in widgets} | {LETTER_FIELD: str(_l("Surat pengantar (PDF)"))}
    return render_template(
        "portal/form.html",
        service=service,
        widgets=widgets,
        errors=errors,
        labels=labels,
        letter_field=LETTER_FIELD,
    ), 422 if errors else 200


@bp.get("/layanan-publik/terkirim")
@public
def sent():
    found = session.get(SENT_KEY)
    if not found:
        return redirect(url_for("portal.index"))
    code, name = found
    return render_template("portal/sent.html", code=code, name=name)
