"""What a background job's handler receives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.config import Settings
from engine.db import Database


@dataclass(frozen=True)
class JobCall:
    """The context of one try of a job (a handler opens its own transactions on ``database``)."""

    database: Database
    settings: Settings
    now: datetime
    job_id: int | None
    #: tries before this one (0 the first time)
    attempt: int
    #: no retry follows if this try fails: the handler leaves its visible record now
    last_attempt: bool
