"""The operator's preview of the extraction step (``ekstraksi_data``) before the step is completed.

The warehouse checks the grant and logs the query (``warehouse.topics.preview``) in one engine
transaction opened here, not by the page: a refusal is logged too and that transaction commits.
"""

from __future__ import annotations

from typing import Any

from engine.services import ServiceError
from warehouse.topics import preview


def operator_preview(
    engine, instance_id: int, username: str, values: dict[str, Any]
) -> tuple[dict[str, Any] | None, str | None]:
    """(the result table, None), or (None, the warehouse's refusal for people)."""
    with engine.db.transaction() as session:
        try:
            return preview(session, engine.settings, instance_id, username, values), None
        except ServiceError as exc:  # refusals are logged in this session: keep them (commit)
            return None, str(exc)
