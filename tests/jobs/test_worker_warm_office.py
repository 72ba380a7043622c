"""A real ``laksana worker`` warms LibreOffice at start when Word templates are deployed, keeps
taking jobs meanwhile, and leaves no LibreOffice behind when it stops."""

from __future__ import annotations

import os
import subprocess

import pytest

from reports import office_pdf, warm_office
from tests.jobs.conftest import wait_for

pytestmark = pytest.mark.skipif(
    not warm_office.available() or office_pdf.soffice_path() is None,
    reason="LibreOffice with python3-uno and unoserver are needed (make test installs them)",
)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in found.stdout.split()]


def _unoservers(pid: int) -> list[int]:
    """The worker's children that are the unoserver (not a short-lived probe it may run first)."""
    found = []
    for child in _children(pid):
        try:
            if "unoserver" in open(f"/proc/{child}/cmdline").read():
                found.append(child)
        except FileNotFoundError:  # ended meanwhile
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not open(f"/proc/{pid}/stat").read().split()[2] == "Z"


def test_a_worker_starts_libreoffice_in_the_background_and_stops_it(pg_engine, workers):
    assert any(
        pg_engine.definition_templates(d.process_id, d.version)
        for d in pg_engine.list_definitions()
    )
    process = workers.start(LAKSANA_OFFICE_PREWARM="1")
    workers.wait_started()  # the worker listens before LibreOffice is up: it does not wait for it
    wait_for(lambda: _unoservers(process.pid), "the worker's warm LibreOffice", seconds=60)
    [server] = _unoservers(process.pid)
    assert workers.stop() == [0]
    wait_for(lambda: not _alive(server), "the warm LibreOffice to end with the worker", seconds=30)
