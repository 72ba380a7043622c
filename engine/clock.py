"""The engine's clock, and SpiffWorkflow's timers made to follow it.

SpiffWorkflow's timer module calls ``datetime.now(timezone.utc)`` itself, so a
controlled clock (tests, ``laksana tick --now``) is installed there for the
duration of an engine step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

_REAL_DATETIME = spiff_timer.datetime
_lock = threading.RLock()


def system_now() -> datetime:
    return datetime.now(timezone.utc)


Clock = Callable[[], datetime]


@contextmanager
def spiff_time(now: datetime) -> Iterator[None]:
    """Make SpiffWorkflow's timers see ``now`` (serialised: the patch is process-wide)."""
    fixed = now if now.tzinfo else now.replace(tzinfo=timezone.utc)

    class _FrozenDatetime(_REAL_DATETIME):
        @classmethod
        def now(cls, tz=None):
            return fixed.astimezone(tz) if tz else fixed.replace(tzinfo=None)

    with _lock:
        spiff_timer.datetime = _FrozenDatetime
        try:
            yield
        finally:
            spiff_timer.datetime = _REAL_DATETIME
