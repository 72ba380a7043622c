"""Administration: accounts (roles, activation, password resets) and the roles themselves
(administrators only). Roles are data (``engine.accounts.roles``): a role added here is offered
on the user form and named everywhere a role is shown."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.accounts import Account, AccountChange
from engine.errors import Conflict, EngineError
from webkit.access import roles_required
from webkit.current import get_engine

from ..forms import RoleForm, UserForm, role_choices

bp = Blueprint("admin", __name__, url_prefix="/admin")
admins_only = roles_required("admin")


@bp.get("/pengguna")
@admins_only
def users():
    accounts = get_engine().accounts
    return render_template(
        "admin/users.html", users=accounts.list(), role_labels=accounts.role_labels()
    )


def _user_form(**kwargs) -> UserForm:
    """The user form with the active roles as choices (and the roles the account holds already)."""
    form = UserForm(**kwargs)
    roles = get_engine().accounts.roles.list()
    held = set(getattr(kwargs.get("obj"), "roles", ()) or ())
    form.roles.choices = role_choices(
        [(r.code, r.name) for r in roles if r.active or r.code in held]
    )
    return form


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
    form = _user_form()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Isi kata sandi awal (paling sedikit 10 karakter)."))
        else:
            try:
                get_engine().accounts.create(form.username.data, _change(form))
            except Conflict:
                form.username.errors.append(_("Nama pengguna sudah dipakai."))
            except EngineError as exc:
                form.roles.errors.append(str(exc))
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
    form = _user_form(obj=account)
    form.username.data = account.username
    if form.validate_on_submit():
        if _locks_out_self(account, form):
            form.roles.errors.append(
                _("Anda tidak dapat mencabut peran administrator atau menonaktifkan diri sendiri.")
            )
        else:
            try:
                accounts.update(user_id, _change(form))
            except EngineError as exc:
                form.roles.errors.append(str(exc))
            else:
                flash(_("Pengguna %(u)s diperbarui.", u=account.username), "success")
                return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=form, editing=account.username
    ), 422 if form.errors else 200


@bp.get("/peran")
@admins_only
def roles():
    return render_template("admin/roles.html", roles=get_engine().accounts.roles.list())


@bp.route("/peran/baru", methods=["GET", "POST"])
@admins_only
def new_role():
    form = RoleForm()
    if form.validate_on_submit():
        try:
            get_engine().accounts.roles.add(
                form.code.data, form.name.data, form.bidang.data or "", form.heads_bidang.data
            )
        except Conflict:
            form.code.errors.append(_("Kode peran sudah dipakai."))
        except EngineError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Peran %(code)s dibuat.", code=form.code.data), "success")
            return redirect(url_for("admin.roles"))
    return render_template(
        "admin/role_form.html", form=form, editing=None
    ), 422 if form.errors else 200


@bp.route("/peran/<role_code>", methods=["GET", "POST"])
@admins_only
def edit_role(role_code: str):
    roles = get_engine().accounts.roles
    role = roles.get(role_code)
    if role is None:
        abort(404)
    form = RoleForm(obj=role)
    form.code.data = role.code
    if form.validate_on_submit():
        try:
            roles.edit(
                role.code,
                form.name.data,
                form.bidang.data or "",
                form.active.data,
                form.heads_bidang.data,
            )
        except EngineError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Peran %(code)s diperbarui.", code=role.code), "success")
            return redirect(url_for("admin.roles"))
    return render_template(
        "admin/role_form.html", form=form, editing=role.code
    ), 422 if form.errors else 200
