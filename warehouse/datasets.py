"""Reading a request's kept warehouse result (the Kasi's check, the documents, the downloads)."""

from __future__ import annotations

from typing import Any

from engine.db import Database

from .models import Dataset


def kept_result(database: Database, instance_id: int, dataset_id: Any) -> dict[str, Any] | None:
    """The result kept for this request; None when there is none or the id names another's."""
    try:
        key = int(dataset_id)
    except (TypeError, ValueError):
        return None
    with database.Session() as session:
        row = session.get(Dataset, key)
        if row is None or row.instance_id != instance_id:
            return None
        return row.result
