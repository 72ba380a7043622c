"""What happens after a request is submitted, read from the process's diagram: its SOP steps (the
tasks with ``standard_minutes``, in the SOP's order, each with the lane that does it) and their
standard time together. The public confirmation page shows it; no process is named here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from engine import bpmn_info
from reports.bpmn_sop import SopParseError, SopStep, parse_sop


@dataclass(frozen=True)
class NextSteps:
    steps: list[SopStep]
    standard_minutes: float

    @property
    def standard_words(self) -> str:
        """The standard time in hours and minutes of office time ("2 jam 5 menit")."""
        hours, minutes = divmod(round(self.standard_minutes), 60)
        if hours and minutes:
            return _("%(h)d jam %(m)d menit", h=hours, m=minutes)
        if hours:
            return _("%(h)d jam", h=hours)
        return _("%(m)d menit", m=minutes)


def next_steps(engine, process_id: str) -> NextSteps | None:
    """The latest deployed version's SOP steps, or None when it has none (or none is deployed)."""
    versions = [d.version for d in engine.list_definitions() if d.process_id == process_id]
    if not versions:
        return None
    try:
        model = parse_sop(bpmn_info.deployed_xml(engine, process_id, max(versions)))
    except SopParseError:
        return None
    if not model.steps:
        return None
    return NextSteps(model.steps, sum(step.minutes for step in model.steps))
