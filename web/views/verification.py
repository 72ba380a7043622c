"""/verifikasi/<id>: the public check of a signed document (the target of the QR codes)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from reports.topics import verify_stored
from webkit.access import public
from webkit.current import get_engine
from webkit.extensions import limiter

from ..uploads import UploadRefused, read_pdf

bp = Blueprint("verification", __name__)


def _limit() -> str:
    return current_app.config["TRACKING_RATE_LIMIT"]


def _verify(target):
    """The reports package's verdict on a stored document id or an uploaded file."""
    engine = get_engine()
    return verify_stored(engine.db, engine.settings, target)


@bp.get("/verifikasi/<document_id>")
@limiter.limit(_limit)
@public
def show(document_id: str):
    if len(document_id) > 64:
        return render_template("verification/result.html", result=None, unknown=True), 404
    result = _verify(document_id)
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
    return render_template(
        "verification/upload.html", result=result, error=error
    ), 422 if error else 200
