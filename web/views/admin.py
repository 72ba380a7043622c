"""User administration: accounts, roles, activation, password resets (administrators only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.accounts import Account, AccountChange
from engine.errors import Conflict
from office.roles import ROLES
from webkit.access import roles_required
from webkit.current import get_engine

from ..forms import UserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
admins_only = roles_required("admin")


@bp.get("/pengguna")
@admins_only
def users():
    return render_template(
        "admin/users.html", users=get_engine().accounts.list(), role_labels=ROLES
    )


def _change(form: UserForm) -> AccountChange:
    return AccountChange(
        full_name=form.full_name.data,
        position=form.position.data or "",
        nip=form.nip.data or "",
        email=form.email.data or "",
        roles=list(form.roles.data),
        active=form.active.data,
        password=form.password.data or "",
    )


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@admins_only
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Isi kata sandi awal (paling sedikit 10 karakter)."))
        else:
            try:
                get_engine().accounts.create(form.username.data, _change(form))
            except Conflict:
                form.username.errors.append(_("Nama pengguna sudah dipakai."))
            else:
                flash(_("Pengguna %(u)s dibuat.", u=form.username.data), "success")
                return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=form, editing=None
    ), 422 if form.errors else 200


def _locks_out_self(account: Account, form: UserForm) -> bool:
    return account.username == current_user.username and (
        "admin" not in form.roles.data or not form.active.data
    )


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@admins_only
def edit_user(user_id: int):
    accounts = get_engine().accounts
    account = accounts.by_id(user_id)
    if account is None:
        abort(404)
    form = UserForm(obj=account)
    form.username.data = account.username
    if form.validate_on_submit():
        if _locks_out_self(account, form):
            form.roles.errors.append(
                _("Anda tidak dapat mencabut peran administrator atau menonaktifkan diri sendiri.")
            )
        else:
            accounts.update(user_id, _change(form))
            flash(_("Pengguna %(u)s diperbarui.", u=account.username), "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=form, editing=account.username
    ), 422 if form.errors else 200
