"""Acting officials (Plh/Plt): "Delegasi" lists, adds and ends delegations.

An official sets one for themselves; an administrator for anyone. The engine checks the rules
(``engine.delegations``): dates in order, no overlap for the same official, an active delegate.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import EngineError, Forbidden, NotFound
from webkit.access import login_required
from webkit.current import get_engine

from ..forms import DelegationForm, role_choices

bp = Blueprint("delegations", __name__, url_prefix="/delegasi")


def _is_admin() -> bool:
    return "admin" in current_user.roles


@bp.get("/")
@login_required
def index():
    engine = get_engine()
    delegations = engine.delegations
    shown = delegations.list(None if _is_admin() else current_user.username)
    names = {a.username: a.full_name for a in engine.accounts.list()}
    return render_template(
        "delegations/index.html",
        delegations=shown,
        names=names,
        today=delegations.today(),
        may_add_for_others=_is_admin(),
    )


def _form() -> DelegationForm:
    form = DelegationForm()
    people = [
        (a.username, f"{a.full_name} ({a.username})")
        for a in get_engine().accounts.list()
        if a.active
    ]
    form.delegate.choices = role_choices(people)
    me = current_user.username
    form.delegator.choices = role_choices(
        people if _is_admin() else [c for c in people if c[0] == me]
    )
    if not form.is_submitted():
        form.delegator.data = me
    return form


@bp.route("/baru", methods=["GET", "POST"])
@login_required
def new():
    form = _form()
    if form.validate_on_submit():
        delegator = form.delegator.data if _is_admin() else current_user.username
        try:
            get_engine().delegations.create(
                delegator,
                form.delegate.data,
                form.kind.data,
                form.starts_on.data,
                form.ends_on.data,
                form.reason.data,
                current_user.username,
            )
        except EngineError as exc:
            field = form.ends_on if "tanggal" in str(exc) else form.delegate
            field.errors.append(str(exc))
        else:
            flash(_("Delegasi disimpan."), "success")
            return redirect(url_for("delegations.index"))
    return render_template("delegations/form.html", form=form), 422 if form.errors else 200


@bp.post("/<int:delegation_id>/akhiri")
@login_required
def end(delegation_id: int):
    try:
        get_engine().delegations.end(delegation_id, current_user.username)
    except Forbidden:
        abort(403)
    except NotFound:
        abort(404)
    except EngineError as exc:
        flash(str(exc), "warning")
    else:
        flash(_("Delegasi diakhiri."), "success")
    return redirect(url_for("delegations.index"))
