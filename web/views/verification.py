"""/verifikasi/<id>: the public check of a signed document (the target of the QR codes)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from webkit.access import public
from webkit.current import get_engine
from webkit.extensions import limiter

from ..uploads import UploadRefused, read_pdf

bp = Blueprint("verification", __name__)


def _limit() -> str:
    return current_app.config["TRACKING_RATE_LIMIT"]


def _verify(target):
    """The reports package's verdict, or None when that package is not installed."""
    try:
        from reports.topics import verify_document
    except ImportError:
        return None
    engine = get_engine()
    with engine.db.transaction() as session:
        return verify_document(session, engine.settings, target)


@bp.get("/verifikasi/<document_id>")
@limiter.limit(_limit)
@public
def show(document_id: str):
    if len(document_id) > 64:
        return render_template("verification/result.html", result=None, unknown=True), 404
    result = _verify(document_id)
    if result is None:
        return render_template("verification/result.html", result=None, unavailable=True), 503
    unknown = result.document_id is None
    return render_template(
        "verification/result.html", result=result, unknown=unknown
    ), 404 if unknown else 200


@bp.route("/verifikasi", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@public
def upload():
    error = None
    result = None
    if request.method == "POST":
        try:
            content = read_pdf(request.files.get("berkas"))
        except UploadRefused as exc:
            error = str(exc)
        else:
            result = _verify(content)
            if result is None:
                error = _("Pemeriksaan tanda tangan belum tersedia pada instalasi ini.")
    return render_template(
        "verification/upload.html", result=result, error=error
    ), 422 if error else 200
