"""Riwayat permohonan: one request's timeline against the SOP's standard minutes.

``timeline(events, standards)`` turns audit rows (dicts with ``action``,
``element_id``, ``element_name``, ``actor``, ``at``, ``data``) into
:class:`Step` rows: a step starts when the previous one ended (the process
is sequential) and ends at its ``completed``/``service_ok`` row; its minutes are
office minutes (``engine.office_hours``), as the standard counts. ``render``
prints them with the actual minutes next to the standard minutes, overdue
steps marked, and the incidents and escalations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from engine.office_hours import office_minutes_between

from .formatting import angka, as_wib, label, menit, tanggal_jam, tanggal_jam_singkat
from .layout import OfficeTable, build_pdf, content_width, field_table, grid_style, markup, text

OVERDUE_FILL = colors.HexColor("#F8D7D3")
DONE_ACTIONS = ("completed", "service_ok", "decided")
#: steps the engine did itself (service and business rule tasks): credited to nobody
AUTOMATIC_ACTIONS = ("service_ok", "decided")
SYSTEM = "Sistem"
STATUSES = {
    "running": "Sedang berjalan",
    "completed": "Selesai",
    "ended": "Selesai",
    "cancelled": "Dibatalkan",
    "error": "Terhenti (insiden)",
}
NOTE_ACTIONS = {
    "incident": "Insiden",
    "escalated": "Eskalasi",
    "timer_fired": "Tenggat terlewati",
    "retried": "Diulang",
    "refused": "Ditolak",
    "cancelled": "Dibatalkan",
}


@dataclass
class Step:
    element_id: str
    name: str
    actor: str
    start: datetime
    end: datetime
    standard_minutes: float | None = None
    sop_step: str | None = None
    automatic: bool = False

    @property
    def minutes(self) -> float:
        """Office minutes from ready to done (``engine.office_hours``, as the standard counts)."""
        return office_minutes_between(self.start, self.end)

    @property
    def overdue(self) -> bool:
        return self.standard_minutes is not None and self.minutes > self.standard_minutes


@dataclass
class Note:
    at: datetime
    kind: str
    element_name: str
    message: str


def _moment(value: Any) -> datetime:
    return as_wib(value)


def timeline(
    events: Iterable[Mapping[str, Any]],
    standards: Mapping[str, tuple[float, str | None]],
    names: Mapping[str, str] | None = None,
    side_elements: Iterable[str] = (),
) -> tuple[list[Step], list[Note]]:
    """Steps and notes from audit rows in time order; ``standards`` maps element id -> (minutes, SOP step);
    ``side_elements`` (escalation branches) become notes, not steps."""
    names, side = names or {}, set(side_elements)
    steps: list[Step] = []
    notes: list[Note] = []
    last_progress: datetime | None = None
    for event in events:
        action, at = event.get("action"), _moment(event["at"])
        if action == "started":
            last_progress = at
        elif action in DONE_ACTIONS and (event.get("element_id") or "") in side:
            notes.append(
                Note(
                    at,
                    "Eskalasi",
                    event.get("element_name") or "",
                    "Pemberitahuan keterlambatan dikirim",
                )
            )
        elif action in DONE_ACTIONS:
            element = event.get("element_id") or ""
            minutes, sop_step = standards.get(element, (None, None))
            automatic = action in AUTOMATIC_ACTIONS
            steps.append(
                Step(
                    element,
                    event.get("element_name") or element,
                    SYSTEM if automatic else _person(event, names),
                    last_progress or at,
                    at,
                    minutes,
                    sop_step,
                    automatic=automatic,
                )
            )
            last_progress = at
        elif action in NOTE_ACTIONS:
            data = event.get("data") or {}
            message = str(data.get("message") or data.get("error") or data.get("reason") or "")
            notes.append(Note(at, NOTE_ACTIONS[action], event.get("element_name") or "", message))
    return steps, notes


def _person(event: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """Who completed a person's step (the acting official's title beside them), or the system
    when nobody did (a step completed by the engine's own tick)."""
    actor = event.get("actor") or ""
    acting = f" ({event['acting']})" if event.get("acting") else ""
    return (names.get(actor, actor) or SYSTEM) + acting


def _minutes(value: float) -> str:
    """Minutes for the "(menit)" columns; a step of a few seconds is "< 0,1", never "0,0"."""
    if 0 < value < 0.05:
        return "< " + angka(0.1, 1)
    return angka(value, 0 if value >= 10 or value == int(value) else 1)


def _steps_table(steps: Sequence[Step], width: float) -> OfficeTable:
    headers = (
        "No.",
        "Langkah SOP",
        "Kegiatan",
        "Pelaksana",
        "Mulai",
        "Selesai",
        "Waktu nyata (menit)",
        "Waktu baku (menit)",
        "Keterangan",
    )
    rows: list[list] = [[markup(f"<b>{h}</b>", "small_bold_center") for h in headers]]
    style = grid_style(1, 8) + [
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("ALIGN", (6, 1), (7, -1), "RIGHT"),
    ]
    for index, step in enumerate(steps, start=1):
        remark = (
            "Terlambat"
            if step.overdue
            else (
                "Otomatis"
                if step.automatic
                else "Tepat waktu"
                if step.standard_minutes is not None
                else ""
            )
        )
        rows.append(
            [
                str(index),
                step.sop_step or "-",
                text(step.name, "small"),
                text(step.actor, "small"),
                tanggal_jam_singkat(step.start),
                tanggal_jam_singkat(step.end),
                _minutes(step.minutes),
                _minutes(step.standard_minutes) if step.standard_minutes is not None else "-",
                text(remark, "small_bold" if step.overdue else "small"),
            ]
        )
        if step.overdue:
            style.append(("BACKGROUND", (0, index), (-1, index), OVERDUE_FILL))
        elif step.automatic:
            style.append(("TEXTCOLOR", (0, index), (-1, index), colors.HexColor("#555555")))
    widths = [9 * mm, 17 * mm, None, 36 * mm, 25 * mm, 25 * mm, 19 * mm, 18 * mm, 24 * mm]
    widths[2] = width - sum(w for w in widths if w)
    table = OfficeTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(style)
    return table


def _notes_table(notes: Sequence[Note], width: float) -> OfficeTable:
    rows = [
        [
            markup(f"<b>{h}</b>", "small_bold_center")
            for h in ("Waktu", "Jenis", "Langkah", "Uraian")
        ]
    ]
    rows += [
        [tanggal_jam_singkat(n.at), n.kind, text(n.element_name, "small"), text(n.message, "small")]
        for n in notes
    ]
    table = OfficeTable(rows, colWidths=[28 * mm, 26 * mm, 60 * mm, width - 114 * mm], repeatRows=1)
    table.setStyle(grid_style(1, 8) + [("VALIGN", (0, 1), (-1, -1), "TOP")])
    return table


def summary_lines(steps: Sequence[Step]) -> list[tuple[str, str]]:
    sop_steps = [s for s in steps if s.standard_minutes is not None]
    actual = sum(s.minutes for s in sop_steps)
    standard = sum(s.standard_minutes or 0 for s in sop_steps)
    overdue = sum(1 for s in sop_steps if s.overdue)
    return [
        ("Langkah SOP selesai", str(len(sop_steps))),
        ("Waktu nyata langkah SOP", menit(round(actual, 1))),
        ("Waktu baku langkah SOP", menit(standard)),
        ("Langkah terlambat", str(overdue)),
    ]


def render(instance: Mapping[str, Any], steps: Sequence[Step], notes: Sequence[Note] = ()) -> bytes:
    """``instance``: ``id``, ``title``, ``process_name``, ``business_key``, ``status``, ``started_at``,
    ``ended_at``, ``started_by``."""
    width = content_width(True)
    identity = [
        ("Nomor registrasi", str(instance.get("id", "-"))),
        ("Proses", instance.get("process_name") or "-"),
        ("Perihal", instance.get("title") or "-"),
        ("Kode pelacakan", instance.get("business_key") or "-"),
        ("Status", STATUSES.get(instance.get("status") or "", label(instance.get("status")))),
        ("Dimulai", tanggal_jam(instance.get("started_at"))),
        ("Selesai", tanggal_jam(instance.get("ended_at"))),
    ]
    story: list[Flowable] = [markup("RIWAYAT PELAKSANAAN LAYANAN", "title"), Spacer(1, 3 * mm)]
    half = (width - 10 * mm) / 2
    ident = OfficeTable(
        [
            [
                field_table(identity, (34 * mm, half - 40 * mm), "cell"),
                field_table(summary_lines(steps), (48 * mm, half - 54 * mm), "cell"),
            ]
        ],
        colWidths=[half + 10 * mm, half],
    )
    ident.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    story += [
        ident,
        Spacer(1, 4 * mm),
        markup("<b>Linimasa</b>", "heading"),
        _steps_table(steps, width),
    ]
    story.append(
        text("Baris berarsir merah: langkah yang melewati waktu baku SOP. Waktu dalam WIB.", "note")
    )
    if notes:
        story += [
            Spacer(1, 4 * mm),
            markup("<b>Insiden dan eskalasi</b>", "heading"),
            _notes_table(notes, width),
        ]
    return build_pdf(
        story,
        title=f"Riwayat permohonan {instance.get('id', '')}",
        is_landscape=True,
        footer_label=f"Riwayat permohonan {instance.get('id', '')}",
    )
