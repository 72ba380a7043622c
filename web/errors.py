"""Error pages in the user's language (JSON under /api/), never a traceback."""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from engine.errors import Conflict, EngineError, Forbidden, FormInvalid, NotFound

log = logging.getLogger(__name__)


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Permintaan tidak dapat diproses"),
            _("Isian yang dikirim tidak lengkap atau tidak sah."),
        ),
        401: (_("Perlu masuk"), _("Silakan masuk dengan nama pengguna dan kata sandi Anda.")),
        403: (_("Akses ditolak"), _("Anda tidak berwenang membuka halaman ini.")),
        404: (
            _("Halaman tidak ditemukan"),
            _("Alamat yang Anda buka tidak ada atau sudah tidak berlaku."),
        ),
        405: (
            _("Cara akses tidak didukung"),
            _("Halaman ini tidak dapat dibuka dengan cara tersebut."),
        ),
        409: (
            _("Sudah berubah"),
            _("Data ini sudah diubah orang lain. Muat ulang halaman lalu coba lagi."),
        ),
        413: (_("Berkas terlalu besar"), _("Ukuran berkas melebihi batas yang diizinkan.")),
        422: (_("Isian belum benar"), _("Periksa kembali isian Anda.")),
        429: (_("Terlalu banyak percobaan"), _("Tunggu sebentar sebelum mencoba lagi.")),
        500: (
            _("Terjadi kesalahan"),
            _("Maaf, terjadi kesalahan pada sistem. Petugas sudah dicatat; coba lagi nanti."),
        ),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, detail: str | None = None):
    title, explanation = _titles().get(status, _titles()[400 if status < 500 else 500])
    if wants_json():
        return jsonify(
            error={"status": status, "title": title, "message": detail or explanation}
        ), status
    return render_template(
        "errors/error.html", status=status, title=title, explanation=explanation, detail=detail
    ), status


def engine_error_status(exc: EngineError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, Conflict):
        return 409
    return getattr(exc, "status", 400)


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        return error_response(
            400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi.")
        )

    @app.errorhandler(FormInvalid)
    def form_invalid(exc):
        return error_response(422, "; ".join(e.message for e in exc.errors))

    @app.errorhandler(EngineError)
    def engine_failed(exc):
        return error_response(engine_error_status(exc), str(exc))

    @app.errorhandler(HTTPException)
    def http_failed(exc):
        detail = exc.description if exc.code in (400, 409, 422) and _is_ours(exc) else None
        if exc.code == 429 and getattr(getattr(exc, "limit", None), "error_message", None):
            detail = f"{exc.description} {_('Tunggu sebentar sebelum mencoba lagi.')}"
        response = error_response(exc.code or 500, detail)
        if exc.code == 401 and wants_json():
            response[0].headers["WWW-Authenticate"] = (
                'Basic realm="Laksana API", charset="UTF-8", Bearer realm="Laksana API"'
            )
        return response

    @app.errorhandler(Exception)
    def crashed(exc):
        if isinstance(exc, HTTPException):
            return http_failed(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500)

    app.register_error_handler(InternalServerError, lambda exc: error_response(500))


def _is_ours(exc: HTTPException) -> bool:
    """abort(400, description=...) from our views carries a message for people; werkzeug's defaults do not."""
    return bool(exc.description) and exc.description != type(exc).description
