"""An instance's timeline from its audit log: who did which step, when, how long against the standard.

A step's time runs from the moment it became ready (the previous ``started`` or
``completed`` entry of the instance: the SOP is sequential) to its
``completed`` entry, counted in office minutes (``engine.office_hours``: only the
office's hours on working days, as the standard minutes are). The dashboard uses
the same rule over all instances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.bpmn_info import ElementInfo
from engine.office_hours import office_minutes_between
from engine.records import HistoryEntry

PROGRESS = ("started", "completed")
NOTE_ACTIONS = (
    "claimed",
    "unclaimed",
    "timer_fired",
    "escalated",
    "incident",
    "retried",
    "refused",
    "cancelled",
    "reassigned",
)
#: form keys that carry a person's note (shown under the step)
NOTE_SUFFIXES = (
    "_disposisi",
    "_catatan",
    "_catatan_laporan",
    "_alasan_penolakan",
    "_instruksi_jfu",
)


@dataclass
class Step:
    element_id: str
    name: str
    actor: str | None
    start: datetime
    end: datetime | None
    standard: float | None
    sop_step: str | None
    automatic: bool = False
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    #: done by an acting official (Plh/Plt) for this user, and the kind
    on_behalf_of: str | None = None
    acting_kind: str | None = None
    #: "Plh. Kepala Dinas": set by ``web.requestinfo`` from the delegator's position
    acting: str = ""

    @property
    def minutes(self) -> float | None:
        """Office minutes from ready to done (what the standard minutes count)."""
        if self.end is None:
            return None
        return office_minutes_between(self.start, self.end)

    @property
    def overdue(self) -> bool:
        return (
            self.standard is not None and self.minutes is not None and self.minutes > self.standard
        )


@dataclass
class Event:
    at: datetime
    action: str
    actor: str | None
    name: str
    message: str = ""


def notes_of(data: dict[str, Any]) -> list[str]:
    return [
        str(value)
        for key, value in data.items()
        if value and isinstance(value, str) and key.endswith(NOTE_SUFFIXES)
    ]


def build(
    entries: list[HistoryEntry], infos: dict[str, ElementInfo], side: frozenset[str] = frozenset()
) -> tuple[list[Step], list[Event]]:
    """The request's steps (human and automatic) and the other events (claims, escalations, incidents)."""
    steps: list[Step] = []
    events: list[Event] = []
    ready_since: datetime | None = None
    for entry in entries:
        info = infos.get(entry.element_id or "")
        if entry.action in PROGRESS and (entry.element_id or "") not in side:
            if entry.action == "completed":
                steps.append(
                    Step(
                        entry.element_id or "",
                        entry.name or "",
                        entry.actor,
                        ready_since or entry.at,
                        entry.at,
                        info.standard_minutes if info else None,
                        info.sop_step if info else None,
                        notes=notes_of(entry.data),
                        data=entry.data,
                        on_behalf_of=entry.on_behalf_of,
                        acting_kind=entry.acting_kind,
                    )
                )
            ready_since = entry.at
        elif entry.action == "service_ok" and (entry.element_id or "") not in side:
            steps.append(
                Step(
                    entry.element_id or "",
                    entry.name or "",
                    None,
                    entry.at,
                    entry.at,
                    None,
                    None,
                    automatic=True,
                )
            )
        elif entry.action in NOTE_ACTIONS or (
            entry.action == "service_ok" and entry.element_id in side
        ):
            message = str(
                entry.data.get("message")
                or entry.data.get("error")
                or entry.data.get("reason")
                or ""
            )
            if entry.action == "reassigned" and entry.data.get("to"):
                message = f"→ {entry.data['to']}: {message}"
            events.append(Event(entry.at, entry.action, entry.actor, entry.name or "", message))
    return steps, events


def by_element(entries: list[HistoryEntry]) -> dict[str, list[dict[str, Any]]]:
    """History entries per element id (for the diagram: click an element to see them)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if entry.element_id:
            grouped.setdefault(entry.element_id, []).append(
                {"at": entry.at, "action": entry.action, "actor": entry.actor}
            )
    return grouped
