"""The instance history PDF (riwayat pelaksanaan layanan), built in one place for the web and CLI."""

from __future__ import annotations

from engine.db import Database
from engine.models import ProcessInstance

from . import gather, riwayat_instance


def history_pdf(database: Database, instance_id: int) -> bytes | None:
    """The history of one instance against the standard times, or None when there is none."""
    with database.Session() as session:
        instance = session.get(ProcessInstance, instance_id)
        if instance is None:
            return None
        standards, side = gather.standards_for(gather.definition_of(session, instance))
        steps, notes = riwayat_instance.timeline(
            gather.audit_events(session, instance_id), standards, gather.user_names(session), side
        )
        return riwayat_instance.render(gather.instance_summary(session, instance), steps, notes)
