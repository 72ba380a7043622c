"""The inbox and the task page: claim, give back, preview (operator), complete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import Conflict, EngineError, Forbidden, FormInvalid, NotFound
from webkit.access import login_required
from webkit.current import get_engine

from .. import taskpage
from ..forms import ReassignForm, role_choices
from ..queryargs import inbox_filters

bp = Blueprint("inbox", __name__)


@bp.get("/kotak-masuk")
@login_required
def index():
    engine = get_engine()
    filters = inbox_filters(request.args)
    page = engine.inbox(current_user.username, filters)
    acting = engine.delegations.acting_for_today(current_user.username)
    return render_template(
        "inbox/index.html",
        page=page,
        filters=filters,
        role_labels=engine.accounts.role_labels(),
        processes=_process_names(engine),
        returned=taskpage.returned_rows(engine, page.rows),
        acting=acting,
        names={a.username: a.full_name for a in engine.accounts.list()} if acting else {},
    )


def _process_names(engine) -> dict[str, str]:
    return {d.process_id: d.name for d in engine.list_definitions()}


def _gone(exc: EngineError):
    """The task is done or gone: say so on the inbox instead of an error page."""
    if isinstance(exc, Forbidden):
        abort(403)
    flash(_("Tugas ini sudah tidak terbuka: %(reason)s", reason=taskpage.explain(exc)), "warning")
    return redirect(url_for("inbox.index"))


@bp.get("/tugas/<task_id>")
@login_required
def task(task_id: str):
    try:
        return taskpage.render(task_id)
    except (NotFound, Conflict, Forbidden) as exc:
        return _gone(exc)


@bp.post("/tugas/<task_id>")
@login_required
def complete(task_id: str):
    engine = get_engine()
    try:
        data, refused = taskpage.picked_data(engine, task_id, request.form)
        if refused:
            return taskpage.render(
                task_id, values=data, errors=refused, status=422, picked=request.form
            )
        instance = engine.complete(task_id, current_user.username, data)
    except FormInvalid as exc:
        return taskpage.render(
            task_id, values=data, errors=exc.by_field(), status=422, picked=request.form
        )
    except (NotFound, Conflict, Forbidden) as exc:
        return _gone(exc)
    flash(taskpage.completed_message(engine, instance), "success")
    return redirect(url_for("inbox.index"))


@bp.post("/tugas/<task_id>/pratinjau")
@login_required
def preview(task_id: str):
    try:
        data, refused = taskpage.picked_data(get_engine(), task_id, request.form)
        if refused:
            return taskpage.render(
                task_id, values=data, errors=refused, status=422, picked=request.form
            )
        return taskpage.render(task_id, values=data, preview=True, picked=request.form)
    except (NotFound, Conflict, Forbidden) as exc:
        return _gone(exc)


@bp.post("/tugas/<task_id>/ambil")
@login_required
def claim(task_id: str):
    try:
        task = get_engine().claim(task_id, current_user.username)
    except (NotFound, Conflict, Forbidden) as exc:
        return _gone(exc)
    flash(
        _("Tugas «%(name)s» Anda ambil; orang lain tidak melihatnya lagi.", name=task.name),
        "success",
    )
    return redirect(url_for("inbox.task", task_id=task_id))


@bp.post("/tugas/<task_id>/lepas")
@login_required
def unclaim(task_id: str):
    try:  # the engine decides who may give a task back (its holder, an administrator)
        task = get_engine().unclaim(task_id, current_user.username)
    except (NotFound, Conflict, Forbidden) as exc:
        return _gone(exc)
    flash(_("Tugas «%(name)s» dikembalikan ke kotak masuk bersama.", name=task.name), "info")
    return redirect(url_for("inbox.index"))


@bp.route("/tugas/<task_id>/alihkan", methods=["GET", "POST"])
@login_required
def reassign(task_id: str):
    """An administrator, or the head of the task's bidang, hands an open task to a named user,
    with a reason (``engine.reassign``)."""
    engine = get_engine()
    try:
        task = engine.task(task_id)
    except (NotFound, Conflict) as exc:
        return _gone(exc)
    if not engine.may_reassign(task_id, current_user.username):
        abort(403)
    form = ReassignForm()
    form.to_user.choices = role_choices(
        [
            (a.username, f"{a.full_name} ({a.username})")
            for a in engine.accounts.list()
            if a.active and a.username != task.claimed_by
        ]
    )
    if form.validate_on_submit():
        try:
            engine.reassign(task_id, current_user.username, form.to_user.data, form.reason.data)
        except (NotFound, Conflict) as exc:
            return _gone(exc)
        except Forbidden:
            abort(403)
        except EngineError as exc:
            form.to_user.errors.append(str(exc))
        else:
            flash(
                _(
                    "Tugas «%(name)s» dialihkan kepada %(user)s.",
                    name=task.name,
                    user=form.to_user.data,
                ),
                "success",
            )
            return redirect(url_for("inbox.index"))
    return render_template(
        "inbox/reassign.html",
        task=task,
        form=form,
        role_labels=engine.accounts.role_labels(),
    ), 422 if form.errors else 200
