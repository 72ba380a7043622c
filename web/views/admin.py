"""User administration: accounts, roles, activation, password resets (administrators only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine.models import User
from engine.users import ROLES, create_user, find_user, hash_password

from ..app import get_engine
from ..forms import UserForm
from ..security import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
admins_only = roles_required("admin")


@bp.get("/pengguna")
@admins_only
def users():
    with get_engine().db.transaction() as session:
        rows = list(session.scalars(select(User).order_by(User.username)))
    return render_template("admin/users.html", users=rows, role_labels=ROLES)


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@admins_only
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Isi kata sandi awal (paling sedikit 10 karakter)."))
        else:
            with get_engine().db.transaction() as session:
                if find_user(session, form.username.data) is not None:
                    form.username.errors.append(_("Nama pengguna sudah dipakai."))
                else:
                    user = create_user(
                        session,
                        form.username.data,
                        form.password.data,
                        form.roles.data,
                        form.full_name.data,
                        form.position.data or "",
                        form.email.data or "",
                    )
                    user.nip, user.active = form.nip.data or "", form.active.data
            if not form.errors:
                flash(_("Pengguna %(u)s dibuat.", u=form.username.data), "success")
                return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=form, editing=None
    ), 422 if form.errors else 200


def _apply(user: User, form: UserForm) -> None:
    user.full_name, user.position = form.full_name.data, form.position.data or ""
    user.nip, user.email = form.nip.data or "", form.email.data or ""
    user.roles, user.active = list(form.roles.data), form.active.data
    if form.password.data:
        user.password_hash = hash_password(form.password.data)


def _locks_out_self(user: User, form: UserForm) -> bool:
    return user.username == current_user.username and (
        "admin" not in form.roles.data or not form.active.data
    )


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@admins_only
def edit_user(user_id: int):
    engine = get_engine()
    with engine.db.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            abort(404)
        form = UserForm(obj=user)
        form.username.data = user.username
        if form.validate_on_submit():
            if _locks_out_self(user, form):
                form.roles.errors.append(
                    _(
                        "Anda tidak dapat mencabut peran administrator atau menonaktifkan diri sendiri."
                    )
                )
            else:
                _apply(user, form)
                flash(_("Pengguna %(u)s diperbarui.", u=user.username), "success")
                return redirect(url_for("admin.users"))
        username = user.username
    return render_template(
        "admin/user_form.html", form=form, editing=username
    ), 422 if form.errors else 200
