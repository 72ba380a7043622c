"""The notification centre: the unread count in the header, the list, marking read.

Every signed-in person sees the notifications addressed to them and to the roles they hold
(``BpmnEngine.notifications``, rules in ``engine/notifications.py`` and ``engine/task_notices.py``).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine.errors import NotFound
from engine.notifications import CentreEntry
from webkit.access import login_required
from webkit.current import get_engine

bp = Blueprint("notifications", __name__)

#: what each kind of notification is called on the page
KIND_LABELS = {
    "tugas": _l("Tugas baru"),
    "dikembalikan": _l("Dikembalikan"),
    "eskalasi": _l("Terlambat"),
    "escalation": _l("Eskalasi"),
    "delegasi": _l("Delegasi"),
    "reassigned": _l("Dialihkan"),
    "surel": _l("Surel"),
    "surel_gagal": _l("Surel gagal"),
}


@bp.app_context_processor
def header_count() -> dict:
    """``unread_notifications()`` for the header: asked only when a page draws it."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return get_engine().notifications.unread_count(current_user.username, current_user.roles)

    return {"unread_notifications": unread_notifications, "notification_kinds": KIND_LABELS}


@bp.get("/notifikasi")
@login_required
def index():
    unread_only = request.args.get("tampil") == "belum-dibaca"
    entries = get_engine().notifications.centre(
        current_user.username, current_user.roles, unread_only=unread_only
    )
    return render_template(
        "notifications/index.html",
        entries=entries,
        unread_only=unread_only,
        target=target_of,
    )


def target_of(entry: CentreEntry) -> str | None:
    """Where a notification leads: its task while open, else its request."""
    notice = entry.notification
    if notice.task_id and entry.task_open:
        return url_for("inbox.task", task_id=notice.task_id)
    if notice.instance_id is not None:
        return url_for("instances.show", instance_id=notice.instance_id)
    return None


def _mark(notification_id: int) -> CentreEntry:
    engine = get_engine()
    try:
        engine.notifications.mark_read(notification_id, current_user.username, current_user.roles)
    except NotFound:
        abort(404)
    entries = engine.notifications.centre(current_user.username, current_user.roles)
    found = next((e for e in entries if e.notification.id == notification_id), None)
    if found is None:
        abort(404)
    return found


@bp.post("/notifikasi/<int:notification_id>/baca")
@login_required
def mark_read(notification_id: int):
    _mark(notification_id)
    return redirect(url_for("notifications.index"))


@bp.post("/notifikasi/<int:notification_id>/buka")
@login_required
def open_target(notification_id: int):
    entry = _mark(notification_id)
    return redirect(target_of(entry) or url_for("notifications.index"))


@bp.post("/notifikasi/baca-semua")
@login_required
def mark_all_read():
    count = get_engine().notifications.mark_all_read(current_user.username, current_user.roles)
    flash(_("%(count)s pemberitahuan ditandai sudah dibaca.", count=count), "success")
    return redirect(url_for("notifications.index"))
