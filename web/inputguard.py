"""Input no store can keep: refused before any view runs, with a message naming the field.

A NUL byte (``\\x00``) cannot be stored in PostgreSQL text (psycopg refuses it, which used to end
as a 500 at save) and no person types one: a request carrying it in its path, a query argument, a
form field or its JSON body gets 400 naming the field. Ids in URLs (``<int:...>``) are bounded by
what an ``Integer`` column holds, so a larger number is a 404 like any id that names no row,
instead of PostgreSQL's "integer out of range". The engine makes the same checks for its other
callers (``engine.forms.nul_path``, ``engine.models.is_row_id``).
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from engine.forms import NUL, nul_path
from engine.ids import MAX_ROW_ID


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in every route: a non-negative whole number an ``Integer`` column can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ROW_ID, signed=False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _field_with_nul() -> str | None:
    if NUL in request.path:
        return _("alamat halaman")
    for key, value in request.args.items(multi=True):
        if NUL in key or NUL in value:
            return key.replace(NUL, "\\0")
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    for key, value in request.form.items(multi=True):
        if NUL in key or NUL in value:
            return key.replace(NUL, "\\0")
    if request.is_json:
        return nul_path(request.get_json(silent=True))
    return None


def refuse_nul_bytes() -> None:
    field = _field_with_nul()
    if field is not None:
        abort(
            400,
            description=_(
                "Isian '%(field)s' berisi karakter yang tidak sah (NUL). "
                "Hapus karakter itu lalu kirim lagi.",
                field=field,
            ),
        )


def install(app: Flask) -> None:
    """Before the blueprints: the converter must be in place when their routes are added."""
    app.url_map.converters["int"] = RowIdConverter
    app.before_request(refuse_nul_bytes)
