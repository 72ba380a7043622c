"""The "Layanan" page: start any deployed process its starter groups allow, from its start form.

A process names who may start it with ``camunda:candidateStarterGroups`` (role codes) on its
``bpmn:process``; one without it is listed for administrators only. The engine checks the role
again (``BpmnEngine.start``) and validates the values by the start event's form rules.
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.clock import office_date
from engine.errors import Forbidden, FormInvalid, NotFound
from webkit.access import login_required
from webkit.current import get_engine

from .. import pickers, taskform, tracking

bp = Blueprint("services", __name__)

#: the data key the tracking code (the instance's business key) is kept under
TRACKING_KEY = "kode_pelacakan"


@bp.get("/layanan")
@login_required
def index():
    services = get_engine().startable(current_user.username)
    groups = [(bidang, list(items)) for bidang, items in groupby(services, key=lambda s: s.bidang)]
    return render_template("services/index.html", groups=groups)


@bp.route("/layanan/<process_id>", methods=["GET", "POST"])
@login_required
def start(process_id: str):
    engine = get_engine()
    try:
        service = engine.start_form(process_id, current_user.username)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    values: dict = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = taskform.submitted(request.form, service.fields)
        values, errors = pickers.gather(engine, service.fields, request.form, values)
        if not errors:  # a pick that is not one of its lists starts nothing
            started, errors = _started(engine, service, process_id, values)
            if started is not None:
                return started
    widgets = taskform.widgets(service.fields, values, errors, office_date(engine.clock()))
    pickers.attach(engine, service.fields, widgets, request.form)
    return render_template(
        "services/start.html", service=service, widgets=widgets, errors=errors
    ), 422 if errors else 200


def _started(engine, service, process_id: str, values: dict):
    """(the redirect after starting, {}) or (None, the form's errors by field)."""
    code = tracking.new_code()
    try:
        instance = engine.start_with_form(
            process_id, values, current_user.username, code, TRACKING_KEY
        )
    except FormInvalid as exc:
        return None, {e.field: e.message for e in exc.errors}
    flash(
        _(
            "Layanan %(name)s dimulai: permohonan #%(id)s, kode pelacakan %(code)s.",
            name=service.name,
            id=instance.id,
            code=code,
        ),
        "success",
    )
    mine = engine.tasks(user=current_user.username, instance_id=instance.id)
    if mine:
        return redirect(url_for("inbox.task", task_id=mine[0].id)), {}
    return redirect(url_for("instances.show", instance_id=instance.id)), {}
