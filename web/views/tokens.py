"""The signed-in user's personal API tokens: list, make (shown once), revoke.

A token stands for its owner on the JSON API (``Authorization: Bearer``); see ``engine.api_tokens``.
The new token is rendered in the answer to the POST, never flashed (a flash would put it in the
session cookie).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from engine.api_tokens import MAX_EXPIRES_DAYS, MAX_NAME
from engine.errors import NotFound
from webkit.access import login_required
from webkit.current import get_engine

bp = Blueprint("tokens", __name__, url_prefix="/akun/token")


class TokenForm(FlaskForm):
    name = StringField(
        _l("Nama token (untuk apa)"),
        validators=[Optional(), Length(max=MAX_NAME, message=_l("Paling banyak 100 karakter."))],
    )
    expires_days = IntegerField(
        _l("Berlaku (hari, kosong: tanpa batas)"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=MAX_EXPIRES_DAYS, message=_l("Isi 1 sampai 3650 hari, atau kosongkan.")
            ),
        ],
    )


def _page(form: TokenForm, new_token: str | None = None, status: int = 200):
    engine = get_engine()
    tokens = engine.tokens.list(current_user.username)
    return render_template(
        "auth/tokens.html", form=form, tokens=tokens, new_token=new_token, now=engine.clock()
    ), status


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    form = TokenForm()
    if form.validate_on_submit():
        token, _info = get_engine().tokens.create(
            current_user.username, form.name.data or "", form.expires_days.data
        )
        return _page(TokenForm(formdata=None), new_token=token, status=201)
    return _page(form, status=422 if form.errors else 200)


@bp.post("/<int:token_id>/cabut")
@login_required
def revoke(token_id: int):
    try:
        info = get_engine().tokens.revoke(token_id, username=current_user.username)
    except NotFound:
        abort(404)
    flash(_("Token %(hint)s… sudah dicabut.", hint=info.hint), "success")
    return redirect(url_for("tokens.index"))
