"""The operations console (administrators and analysts): incidents, an instance's course, versions.

Every action goes through ``BpmnEngine``'s console methods (``engine.operations``,
``engine.migration``), which check the role again, lock the instance and write the audit row
with the reason. Editing a failed step's data, skipping it, moving an instance back and
migrating instances are for administrators; the rest is for analysts too. The engine's
refusals (``EngineError``) are shown as flash messages; a missing or malformed field is shown
under the field, by name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine import bpmn_info
from engine.errors import EngineError, NotFound
from engine.operations import MIN_REASON
from webkit.access import roles_required
from webkit.current import get_engine

from ..errors import engine_error_status
from ..policy import is_identity_key, may_read_instance, reads_identity

bp = Blueprint("console", __name__, url_prefix="/konsol")

#: who may open the console; the administrator alone edits data, skips, moves and migrates
CONSOLE_ROLES = ("admin", "analis")
console_users = roles_required(*CONSOLE_ROLES)
admins_only = roles_required("admin")
#: states in which an instance no longer changes
FINISHED = ("completed", "cancelled")
#: a string longer than this (or with a line break) is edited in a text area
LONG_TEXT = 80


# ---------------------------------------------------------------------- helpers
def _step_names(engine, process_id: str, version: int) -> dict[str, str]:
    """Element id -> name for one deployed version (empty when it cannot be read)."""
    try:
        xml = bpmn_info.deployed_xml(engine, process_id, version)
    except NotFound:
        return {}
    return {element_id: info.name for element_id, info in bpmn_info.elements(xml).items()}


def _instance_or_404(engine, instance_id: int):
    try:
        return engine.instance(instance_id)
    except NotFound:
        abort(404)


def _incident_or_404(engine, incident_id: int):
    found = next((i for i in engine.incidents(open_only=False) if i.id == incident_id), None)
    if found is None:
        abort(404)
    return found


def _reason_error(text: str) -> str | None:
    if len(text.strip()) < MIN_REASON:
        return _("Alasan wajib diisi (paling sedikit %(n)d huruf).", n=MIN_REASON)
    return None


def _refused(exc: EngineError) -> int:
    """Flash the engine's refusal (a message for people) and give the status for the page."""
    flash(str(exc), "error")
    return engine_error_status(exc)


@dataclass
class DataRow:
    """One key of a failed step's data, as the page shows it and the edit form offers it."""

    key: str
    shown: str
    text: str
    is_json: bool
    hidden: bool

    @property
    def multiline(self) -> bool:
        return "\n" in self.text or len(self.text) > LONG_TEXT

    @property
    def field(self) -> str:
        return f"data-{self.key}"


def _data_rows(data: dict[str, Any]) -> list[DataRow]:
    rows = []
    for key in sorted(data):
        value = data[key]
        hidden = (
            is_identity_key(key) and not reads_identity(current_user) and value not in ("", None)
        )
        if isinstance(value, str):
            text, is_json = value, False
        else:
            text, is_json = json.dumps(value, ensure_ascii=False, default=str), True
        shown = _("(dirahasiakan)") if hidden else text
        rows.append(DataRow(key, shown, "" if hidden else text, is_json, hidden))
    return rows


def _edited_data(
    data: dict[str, Any], form, errors: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The keys the administrator changed, parsed back to their types; the submitted texts."""
    changes: dict[str, Any] = {}
    submitted: dict[str, str] = {}
    for row in _data_rows(data):
        if row.hidden or row.field not in form:
            continue
        text = form[row.field].replace("\r\n", "\n")
        submitted[row.field] = text
        if text == row.text.replace("\r\n", "\n"):
            continue  # untouched (also a value JSON cannot give back exactly, e.g. a date)
        if row.is_json:
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                errors[row.field] = _(
                    "%(key)s: bukan JSON yang sah (baris %(line)d, kolom %(col)d). Tulis teks "
                    'dengan tanda petik, misalnya "abc"; ya/tidak sebagai true/false; kosong '
                    "sebagai null.",
                    key=row.key,
                    line=exc.lineno,
                    col=exc.colno,
                )
                continue
        else:
            value = text
        if _canonical(value) != _canonical(data[row.key]):  # 1 is not true, 1.0 is not 1
            changes[row.key] = value
    return changes, submitted


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


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
    instances = {i.instance_id: _instance_or_none(engine, i.instance_id) for i in incidents}
    suspended = engine.list_instances(status="suspended")
    processes = sorted({d.process_id: d.name for d in engine.list_definitions()}.items())
    return render_template(
        "console/index.html",
        incidents=incidents,
        instances=instances,
        suspended=suspended,
        processes=processes,
    )


def _instance_or_none(engine, instance_id: int):
    try:
        return engine.instance(instance_id)
    except NotFound:
        return None


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
            rows = _data_rows(engine.incident_data(incident_id))
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
        return _incident_page(incident_id, status=_refused(exc))
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
        return _incident_page(incident_id, status=_refused(exc))
    errors: dict[str, str] = {}
    changes, submitted = _edited_data(data, request.form, errors)
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
        return _incident_page(incident_id, errors, submitted, status=_refused(exc))
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
        return _incident_page(incident_id, {}, {"alasan-lewati": reason}, status=_refused(exc))
    flash(_("Langkah dilewati; permohonan berlanjut ke langkah berikutnya."), "success")
    return redirect(url_for("console.instance", instance_id=view.instance_id))


# ---------------------------------------------------------------------- one instance
def _instance_page(
    instance_id: int,
    errors: dict[str, str] | None = None,
    submitted: dict[str, str] | None = None,
    status: int = 200,
):
    engine = get_engine()
    instance = _instance_or_404(engine, instance_id)
    names = _step_names(engine, instance.process_id, instance.version)
    return render_template(
        "console/instance.html",
        instance=instance,
        current=[(t, names.get(t, t)) for t in instance.current_tasks],
        incidents=engine.incidents(open_only=True, instance_id=instance_id),
        passed=_passed_steps(engine, instance_id),
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
    if errors:
        return _instance_page(instance_id, errors, submitted, status=422)
    try:
        act(reason)
    except EngineError as exc:
        return _instance_page(instance_id, {}, submitted, status=_refused(exc))
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


# ---------------------------------------------------------------------- versions
def _version_arg(name: str, label: str, known: list[int], errors: dict[str, str]) -> int | None:
    text = (request.values.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit():
        errors[name] = _("%(label)s: tulis nomor versi (angka).", label=label)
        return None
    if int(text) not in known:
        errors[name] = _(
            "%(label)s: versi %(v)s tidak ada; yang ada: %(known)s.",
            label=label,
            v=text,
            known=", ".join(map(str, known)),
        )
        return None
    return int(text)


def _versions_page(process_id: str, outcome=None, errors: dict[str, str] | None = None, status=200):
    engine = get_engine()
    definitions = sorted(
        (d for d in engine.list_definitions() if d.process_id == process_id),
        key=lambda d: d.version,
    )
    if not definitions:
        abort(404)
    known = [d.version for d in definitions]
    errors = dict(errors or {})
    old = _version_arg("dari", _("Versi asal (dari)"), known, errors)
    new = _version_arg("ke", _("Versi tujuan (ke)"), known, errors)
    if new is None and "ke" not in errors:
        new = known[-1]
    if old is None and "dari" not in errors and new is not None:
        older = [v for v in known if v < new]
        old = older[-1] if older else None
    if old is not None and old == new and "ke" not in errors:
        errors["ke"] = _("Versi tujuan (ke): pilih versi yang lain dari versi asal.")
    diff = candidates = old_config = new_config = None
    names: dict[str, str] = {}
    if old is not None and new is not None and old != new and not {"dari", "ke"} & set(errors):
        try:
            diff = engine.versions.diff(process_id, old, new)
            candidates = engine.versions.preview(process_id, old, new)
        except EngineError as exc:
            status = _refused(exc)
        else:
            names = _step_names(engine, process_id, old)
            labels = {"failed": _("Diagram tidak dapat ditampilkan")}
            changed = [c.element_id for c in diff.changed]
            # both diagrams zoom onto every step that differs (the same region, side by side)
            focus = [c.element_id for c in diff.added + diff.removed + diff.changed]
            old_config = {
                "xml": engine.definition_xml(process_id, old),
                "markers": {
                    "lk-diff-removed": [c.element_id for c in diff.removed],
                    "lk-diff-changed": changed,
                },
                "focus": focus,
                "labels": labels,
            }
            new_config = {
                "xml": engine.definition_xml(process_id, new),
                "markers": {
                    "lk-diff-added": [c.element_id for c in diff.added],
                    "lk-diff-changed": changed,
                },
                "focus": focus,
                "labels": labels,
            }
    if errors and status == 200:
        status = 422
    elif diff is None and len(known) > 1 and status == 200:
        flash(_("Pilih dua versi yang berbeda lalu tekan \u201cBandingkan\u201d."), "info")
    return render_template(
        "console/versions.html",
        process_id=process_id,
        name=definitions[-1].name,
        known=known,
        old=old,
        new=new,
        diff=diff,
        candidates=candidates,
        names=names,
        old_config=old_config,
        new_config=new_config,
        outcome=outcome,
        errors=errors,
        statuses={c.instance_id: _status(engine, c.instance_id) for c in candidates or []},
    ), status


def _status(engine, instance_id: int) -> str | None:
    found = _instance_or_none(engine, instance_id)
    return found.status if found else None


@bp.get("/versi/<process_id>")
@console_users
def versions(process_id: str):
    return _versions_page(process_id)


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
        return _versions_page(process_id, errors=errors)
    try:
        outcome = engine.versions.migrate(
            process_id, int(old), int(new), current_user.username, [int(v) for v in chosen]
        )
    except EngineError as exc:
        return _versions_page(process_id, status=_refused(exc))
    moved = [c for c in outcome if c.can_move]
    stayed = [c for c in outcome if not c.can_move]
    if moved:
        flash(_("%(n)d permohonan dipindahkan ke versi %(v)s.", n=len(moved), v=new), "success")
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
    return _versions_page(process_id, outcome=outcome)
