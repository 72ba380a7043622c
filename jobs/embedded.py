"""Embedded mode (SQLite, ``make run``): the timers tick in a thread of ``laksana serve``.

This is the fallback for one process on a laptop or a demo: no worker, no queue. Production
runs PostgreSQL and ``laksana worker`` (``jobs.worker``), where ticks and e-mail are jobs.
"""

from __future__ import annotations

import logging
import threading

from engine.config import Settings
from engine.facade import BpmnEngine

log = logging.getLogger(__name__)


class Ticker(threading.Thread):
    """Calls ``engine.tick()`` every ``seconds`` until stopped; a failing tick is logged, not fatal."""

    def __init__(self, engine: BpmnEngine, seconds: float) -> None:
        super().__init__(name="laksana-tick", daemon=True)
        self.engine = engine
        self.seconds = seconds
        self.ticks = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.wait(self.seconds):
            try:
                moved = self.engine.tick()
            except Exception:  # noqa: BLE001 - the next tick tries again
                log.exception("tick failed")
                continue
            self.ticks += 1
            if moved:
                log.info("timers fired in instances %s", ", ".join(map(str, moved)))

    def stop(self, timeout: float | None = None) -> None:
        self._stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)


def embedded(engine: BpmnEngine) -> bool:
    """True when the store is not PostgreSQL: no worker can serve it, the web process ticks."""
    return engine.db.engine.dialect.name != "postgresql"


def start_ticker(engine: BpmnEngine, settings: Settings) -> Ticker | None:
    """The in-process ticker for embedded mode (None with PostgreSQL or ``tick_seconds`` 0)."""
    if not embedded(engine) or settings.tick_seconds <= 0:
        return None
    ticker = Ticker(engine, settings.tick_seconds)
    ticker.start()
    return ticker
