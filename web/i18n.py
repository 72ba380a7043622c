"""Language (Bahasa Indonesia by default, English switchable) and the display filters."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, gettext, pgettext
from flask_babel import lazy_gettext as _l

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"

STATUS_LABELS = {
    "running": _l("Berjalan"),
    "completed": _l("Selesai"),
    "cancelled": _l("Dibatalkan"),
    "incident": _l("Terhenti (insiden)"),
    "suspended": _l("Ditangguhkan"),
}
ACTION_LABELS = {
    "started": _l("dimulai"),
    "claimed": _l("diambil"),
    "unclaimed": _l("dilepas"),
    "completed": _l("diselesaikan"),
    "service_ok": _l("dikerjakan sistem"),
    "incident": _l("insiden"),
    "retried": _l("diulang"),
    "timer_fired": _l("tenggat terlewati"),
    "escalated": _l("dieskalasi"),
    "refused": _l("ditolak"),
    "ended": _l("selesai"),
    "cancelled": _l("dibatalkan"),
    "async_deferred": _l("diserahkan ke pekerja latar"),
    "async_continued": _l("dilanjutkan pekerja latar"),
    "suspended": _l("ditangguhkan"),
    "resumed": _l("dilanjutkan"),
    "skipped": _l("dilewati"),
    "moved": _l("dikembalikan ke langkah ini"),
    "data_edited": _l("data diubah"),
    "migrated": _l("dipindahkan ke versi lain"),
    "decided": _l("diputuskan tabel keputusan"),
    "message_caught": _l("pesan diterima"),
    "reassigned": _l("dialihkan"),
}
SIFAT_LABELS = {
    "biasa": _l("Biasa"),
    "segera": _l("Segera"),
    "sangat_segera": _l("Sangat segera"),
    "rahasia": _l("Rahasia"),
}


def engine_text(template: str, context: str | None = None) -> str:
    """The engine's Indonesian message template in the reader's language (``engine.texts``):
    under a request the page's language; elsewhere (jobs, the CLI) the Indonesian as written."""
    if not has_request_context():
        return template
    return pgettext(context, template) if context else gettext(template)


def select_locale() -> str:
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def when(value: datetime | None, with_time: bool = True) -> str:
    """'12 Mar 2026 10.05 WIB' in the office's time zone (empty for None); a date alone has no zone."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if not with_time:
            return format_datetime(value, "d MMM yyyy")
        return format_datetime(value, "d MMM yyyy HH.mm") + " WIB"
    if isinstance(value, date):
        return format_date(value, "d MMM yyyy")
    return str(value)


#: a moment as the engine stores it in task data (ISO 8601 with a time), e.g. 2026-12-01T21:32:30+00:00
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def wib(value: datetime | str | None) -> str:
    """'2 Desember 2026 04.32 WIB': a moment in the office's time zone, the month in words."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return wib(moment)
    if not isinstance(value, datetime):
        return when(value)
    return format_datetime(value, "d MMMM yyyy HH.mm") + " WIB"


def data_value(value: Any, labels: dict[str, str] | None = None) -> Any:
    """A task-data value as a page shows it: a code in words (``labels``), a stored moment in WIB."""
    if isinstance(value, str):
        if labels and value in labels:
            return gettext(labels[value])
        if ISO_MOMENT.match(value):
            return wib(value)
    return value


def minutes(value: float | None) -> str:
    """A number of minutes for a "(menit)" column; a positive time that would round to 0 is
    "< 0,1", never "0"."""
    if value is None:
        return "–"
    shown = round(value, 0 if value >= 10 else 1)
    if value > 0 and shown == 0:
        return "< " + format_decimal(0.1)
    return format_decimal(shown, format="#,##0.#")


def duration(value: float | None) -> str:
    """Office minutes in words: seconds under a minute ("20 detik"), else minutes ("7,5 menit")."""
    if value is None:
        return "–"
    seconds = round(value * 60)
    if seconds < 60:
        return gettext("< 1 detik") if seconds < 1 else gettext("%(n)s detik", n=seconds)
    return gettext("%(n)s menit", n=minutes(value))


def filesize(size: int | None) -> str:
    size = size or 0
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024))} KB"
    return f"{format_decimal(round(size / 1024 / 1024, 1))} MB"


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        when=when,
        day=lambda v: when(v, with_time=False),
        wib=wib,
        data_value=data_value,
        minutes=minutes,
        duration=duration,
        status_label=lambda s: STATUS_LABELS.get(s, s),
        action_label=lambda a: ACTION_LABELS.get(a, a),
        sifat_label=lambda s: SIFAT_LABELS.get(s, s),
        filesize=filesize,
    )
