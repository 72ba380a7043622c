"""The operations console (administrators and analysts): incidents, an instance's course, versions.

Every action goes through ``BpmnEngine``'s console methods (``engine.operations``,
``engine.migration``), which check the role again, lock the instance and write the audit row
with the reason. Editing a failed step's data, skipping it, moving an instance back and
migrating instances are for administrators; the rest is for analysts too. The engine's
refusals (``EngineError``) are shown as flash messages; a missing or malformed field is shown
under the field, by name.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from engine.console_guards import MIN_REASON
from engine.errors import EngineError, NotFound
from webkit.access import roles_required
from webkit.current import get_engine

from ..console_data import DataRow, data_rows, edited_data
from ..console_versions import instance_or_none, refused, step_names, versions_page
from ..policy import may_read_instance

bp = Blueprint("console", __name__, url_prefix="/konsol")

#: who may open the console; the administrator alone edits data, skips, moves and migrates
CONSOLE_ROLES = ("admin", "analis")
console_users = roles_required(*CONSOLE_ROLES)
admins_only = roles_required("admin")
#: states in which an instance no longer changes
FINISHED = ("completed", "cancelled")


# ---------------------------------------------------------------------- helpers
def _instance_or_404(engine, instance_id: int):
    try:
        return engine.instance(instance_id)
    except NotFound:
        abort(404)


def _incident_or_404(engine, incident_id: int):
    try:
        return engine.incident(incident_id)
    except NotFound:
        abort(404)


def _reason_error(text: str) -> str | None:
    if len(text.strip()) < MIN_REASON:
        return _("Alasan wajib diisi (paling sedikit %(n)d huruf).", n=MIN_REASON)
    return None


def _passed_steps(engine, instance_id: int) -> list[tuple[str, str]]:
    """The steps the instance has completed (element id, name), each once, in order."""
    seen: dict[str, str] = {}
    for entry in engine.history(instance_id):
        if entry.action == "completed" and entry.element_id and entry.element_id not in seen:
            seen[entry.element_id] = entry.name or entry.element_id
    return list(seen.items())


# ---------------------------------------------------------------------- the overview
@bp.get("")
@console_users
def index():
    engine = get_engine()
    incidents = engine.incidents(open_only=True)
    instances = {i.instance_id: instance_or_none(engine, i.instance_id) for i in incidents}
    suspended = engine.list_instances(status="suspended")
    processes = sorted({d.process_id: d.name for d in engine.list_definitions()}.items())
    return render_template(
        "console/index.html",
        incidents=incidents,
        instances=instances,
        suspended=suspended,
        processes=processes,
    )


# ---------------------------------------------------------------------- one incident
def _incident_page(
    incident_id: int,
    errors: dict[str, str] | None = None,
    submitted: dict[str, str] | None = None,
    status: int = 200,
):
    engine = get_engine()
    incident = _incident_or_404(engine, incident_id)
    instance = _instance_or_404(engine, incident.instance_id)
    rows: list[DataRow] = []
    if incident.resolved_at is None:
        try:
            rows = data_rows(engine.incident_data(incident_id))
        except EngineError as exc:
            flash(str(exc), "error")
    return render_template(
        "console/incident.html",
        incident=incident,
        instance=instance,
        rows=rows,
        errors=errors or {},
        submitted=submitted or {},
        may_read=may_read_instance(engine, current_user, instance.id),
    ), status


@bp.get("/insiden/<int:incident_id>")
@console_users
def incident(incident_id: int):
    return _incident_page(incident_id)


def _after_retry(view, message_ok: str):
    if view.resolved_at is not None:
        flash(message_ok, "success")
        return redirect(url_for("console.instance", instance_id=view.instance_id))
    flash(_("Langkah gagal lagi: %(msg)s", msg=view.message), "warning")
    return redirect(url_for("console.incident", incident_id=view.id))


@bp.post("/insiden/<int:incident_id>/ulangi")
@console_users
def retry(incident_id: int):
    engine = get_engine()
    _incident_or_404(engine, incident_id)
    try:
        view = engine.retry(incident_id, current_user.username)
    except EngineError as exc:
        return _incident_page(incident_id, status=refused(exc))
    return _after_retry(view, _("Langkah dijalankan ulang dan berhasil; permohonan berlanjut."))


@bp.post("/insiden/<int:incident_id>/ubah")
@admins_only
def edit_retry(incident_id: int):
    engine = get_engine()
    incident_view = _incident_or_404(engine, incident_id)
    if incident_view.resolved_at is not None:
        flash(_("Insiden ini sudah diselesaikan."), "info")
        return redirect(url_for("console.incident", incident_id=incident_id))
    try:
        data = engine.incident_data(incident_id)
    except EngineError as exc:
        return _incident_page(incident_id, status=refused(exc))
    errors: dict[str, str] = {}
    changes, submitted = edited_data(data, request.form, errors)
    reason = request.form.get("alasan", "")
    submitted["alasan-ubah"] = reason
    if problem := _reason_error(reason):
        errors["alasan-ubah"] = problem
    if not changes and not errors:
        errors["data"] = _(
            "Tidak ada data yang diubah. Ubah paling sedikit satu isian, "
            "atau gunakan tombol \u201cUlangi langkah\u201d."
        )
    if errors:
        return _incident_page(incident_id, errors, submitted, status=422)
    try:
        view = engine.retry(incident_id, current_user.username, data=changes, reason=reason)
    except EngineError as exc:
        return _incident_page(incident_id, errors, submitted, status=refused(exc))
    return _after_retry(
        view,
        _("Data diubah (%(keys)s) dan langkah berhasil dijalankan ulang.", keys=", ".join(changes)),
    )


@bp.post("/insiden/<int:incident_id>/lewati")
@admins_only
def skip(incident_id: int):
    engine = get_engine()
    _incident_or_404(engine, incident_id)
    reason = request.form.get("alasan", "")
    if problem := _reason_error(reason):
        return _incident_page(
            incident_id, {"alasan-lewati": problem}, {"alasan-lewati": reason}, status=422
        )
    try:
        view = engine.skip(incident_id, current_user.username, reason)
    except EngineError as exc:
        return _incident_page(incident_id, {}, {"alasan-lewati": reason}, status=refused(exc))
    flash(_("Langkah dilewati; permohonan berlanjut ke langkah berikutnya."), "success")
    return redirect(url_for("console.instance", instance_id=view.instance_id))


# ---------------------------------------------------------------------- one instance
#: how many of a request's latest script outputs the console shows
PRINTED_SHOWN = 20


def _script_output(engine, instance_id: int) -> list:
    """The request's latest ``print()`` outputs of its scripts (audit ``script_output``), newest
    first: what an analyst reads when a script does not do what they meant."""
    printed = [entry for entry in engine.history(instance_id) if entry.action == "script_output"]
    return printed[::-1][:PRINTED_SHOWN]


def _instance_page(
    instance_id: int,
    errors: dict[str, str] | None = None,
    submitted: dict[str, str] | None = None,
    status: int = 200,
):
    engine = get_engine()
    instance = _instance_or_404(engine, instance_id)
    names = step_names(engine, instance.process_id, instance.version)
    return render_template(
        "console/instance.html",
        instance=instance,
        current=[(t, names.get(t, t)) for t in instance.current_tasks],
        incidents=engine.incidents(open_only=True, instance_id=instance_id),
        printed=_script_output(engine, instance_id),
        passed=_passed_steps(engine, instance_id),
        ahead=[] if instance.status in FINISHED else engine.steps_ahead(instance_id),
        finished=instance.status in FINISHED,
        errors=errors or {},
        submitted=submitted or {},
        may_read=may_read_instance(engine, current_user, instance_id),
    ), status


@bp.get("/permohonan/<int:instance_id>")
@console_users
def instance(instance_id: int):
    return _instance_page(instance_id)


def _instance_action(instance_id: int, form: str, act, done: str, need_reason: bool = True):
    """Check the reason (and the form's own fields), run ``act(reason)``, flash, come back."""
    engine = get_engine()
    _instance_or_404(engine, instance_id)
    reason = request.form.get("alasan", "")
    submitted = {f"alasan-{form}": reason}
    errors: dict[str, str] = {}
    if need_reason and (problem := _reason_error(reason)):
        errors[f"alasan-{form}"] = problem
    if form == "hentikan" and request.form.get("konfirmasi") != "ya":
        errors["konfirmasi-hentikan"] = _(
            "Centang konfirmasi bahwa permohonan ini dihentikan untuk seterusnya."
        )
    if form == "pindahkan":
        element_id = request.form.get("langkah", "")
        submitted["langkah"] = element_id
        if element_id not in dict(_passed_steps(engine, instance_id)):
            errors["langkah"] = _("Langkah: pilih salah satu langkah yang sudah dilalui.")
    if form == "majukan":
        element_id = request.form.get("langkah-maju", "")
        submitted["langkah-maju"] = element_id
        if element_id not in dict(engine.steps_ahead(instance_id)):
            errors["langkah-maju"] = _("Langkah: pilih salah satu langkah di depan.")
    if errors:
        return _instance_page(instance_id, errors, submitted, status=422)
    try:
        act(reason)
    except EngineError as exc:
        return _instance_page(instance_id, {}, submitted, status=refused(exc))
    flash(done, "success")
    return redirect(url_for("console.instance", instance_id=instance_id))


@bp.post("/permohonan/<int:instance_id>/tangguhkan")
@console_users
def suspend(instance_id: int):
    return _instance_action(
        instance_id,
        "tangguhkan",
        lambda reason: get_engine().suspend(instance_id, current_user.username, reason),
        _("Permohonan #%(id)d ditangguhkan.", id=instance_id),
    )


@bp.post("/permohonan/<int:instance_id>/lanjutkan")
@console_users
def resume(instance_id: int):
    return _instance_action(
        instance_id,
        "lanjutkan",
        lambda _reason: get_engine().resume(instance_id, current_user.username),
        _("Permohonan #%(id)d dilanjutkan.", id=instance_id),
        need_reason=False,
    )


@bp.post("/permohonan/<int:instance_id>/hentikan")
@console_users
def terminate(instance_id: int):
    return _instance_action(
        instance_id,
        "hentikan",
        lambda reason: get_engine().terminate(instance_id, current_user.username, reason),
        _("Permohonan #%(id)d dihentikan.", id=instance_id),
    )


@bp.post("/permohonan/<int:instance_id>/pindahkan")
@admins_only
def move(instance_id: int):
    element_id = request.form.get("langkah", "")
    return _instance_action(
        instance_id,
        "pindahkan",
        lambda reason: get_engine().move(instance_id, current_user.username, element_id, reason),
        _("Permohonan #%(id)d dikembalikan ke langkah yang dipilih.", id=instance_id),
    )


@bp.post("/permohonan/<int:instance_id>/majukan")
@admins_only
def move_forward(instance_id: int):
    element_id = request.form.get("langkah-maju", "")
    return _instance_action(
        instance_id,
        "majukan",
        lambda reason: get_engine().move_forward(
            instance_id, current_user.username, element_id, reason
        ),
        _("Permohonan #%(id)d dimajukan ke langkah yang dipilih.", id=instance_id),
    )


# ---------------------------------------------------------------------- versions
@bp.get("/versi/<process_id>")
@console_users
def versions(process_id: str):
    return versions_page(process_id)


@bp.post("/versi/<process_id>/pindahkan")
@admins_only
def migrate(process_id: str):
    engine = get_engine()
    chosen = request.form.getlist("permohonan")
    errors: dict[str, str] = {}
    if not chosen:
        errors["permohonan"] = _("Pilih paling sedikit satu permohonan untuk dipindahkan.")
    elif not all(value.isdigit() for value in chosen):
        errors["permohonan"] = _("Permohonan: nomor permohonan tidak sah.")
    old, new = request.form.get("dari", ""), request.form.get("ke", "")
    if errors or not (old.isdigit() and new.isdigit()):
        if not errors:
            errors["ke"] = _("Versi asal dan tujuan wajib diisi dengan nomor versi.")
        return versions_page(process_id, errors=errors)
    try:
        outcome = engine.versions.migrate(
            process_id, int(old), int(new), current_user.username, [int(v) for v in chosen]
        )
    except EngineError as exc:
        return versions_page(process_id, status=refused(exc))
    moved = [c for c in outcome if c.can_move]
    stayed = [c for c in outcome if not c.can_move]
    if moved:
        flash(
            ngettext(
                "%(num)d permohonan dipindahkan ke versi %(v)s.",
                "%(num)d permohonan dipindahkan ke versi %(v)s.",
                len(moved),
                v=new,
            ),
            "success",
        )
    for candidate in stayed:
        flash(
            _(
                "Permohonan #%(id)d tetap di versi %(v)s: %(why)s",
                id=candidate.instance_id,
                v=old,
                why=candidate.reason,
            ),
            "warning",
        )
    if not outcome:
        flash(_("Permohonan yang dipilih tidak lagi berjalan pada versi %(v)s.", v=old), "info")
    return versions_page(process_id, outcome=outcome)
