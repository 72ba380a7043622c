"""One LibreOffice kept warm per process, through unoserver (XML-RPC), for fast conversions.

A cold ``soffice --convert-to`` loads LibreOffice for every letter: 1.5 s on an idle machine of
ours, 5 to 11 s when the 2 cores are busy; a warm one converts in about 0.45 s under the same load
(``docs/performance.md``). unoserver's server needs the ``uno`` module, which only Debian's system
Python has (``python3-uno``), so it runs there, as a child process started on the first letter,
with the unoserver package of our environment on its path (pure Python; our Python only speaks
XML-RPC to it). Without ``python3-uno`` or unoserver, ``available()`` is False and the caller
converts cold. The server and its LibreOffice stop with the process (``atexit``, and a watchdog in
the server for a process that dies without running it).
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import signal
import socket
import subprocess
import time
from functools import lru_cache
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
START_TIMEOUT_SECONDS = 60
#: the server's program: unoserver, and a watchdog that ends its process group (LibreOffice too)
#: as soon as the process that started it is gone, however it ended
SERVER_CODE = """
import os, signal, sys, threading, time
sys.path.append(sys.argv.pop(1))
parent = os.getppid()
def watch():
    while os.getppid() == parent:
        time.sleep(1)
    os.killpg(0, signal.SIGKILL)
threading.Thread(target=watch, daemon=True).start()
from unoserver.server import main
main()
"""
CONVERT_TIMEOUT_SECONDS = 120


@lru_cache(maxsize=1)
def _unoserver_path() -> str | None:
    spec = importlib.util.find_spec("unoserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(next(iter(spec.submodule_search_locations))).parent)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether a warm LibreOffice can be started here (system Python with uno, and unoserver)."""
    if _unoserver_path() is None or not Path(SYSTEM_PYTHON).exists():
        return False
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class WarmOffice:
    """A unoserver child with its LibreOffice; ``convert`` answers PDF bytes."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        code = SERVER_CODE
        command = [
            SYSTEM_PYTHON,
            "-c",
            code,
            str(_unoserver_path()),
            "--port",
            str(self.port),
            "--uno-port",
            str(_free_port()),
            "--user-installation",
            str(self.profile),
            "--conversion-timeout",
            str(CONVERT_TIMEOUT_SECONDS),
            "--quiet",
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not _listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("unoserver did not start")
            time.sleep(0.2)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def convert(self, docx: bytes) -> bytes:
        from unoserver.client import UnoClient

        client = UnoClient(port=str(self.port))
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:  # the XML-RPC port opens a moment before LibreOffice answers
            try:
                result = client.convert(indata=docx, convert_to="pdf")
                break
            except ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        return bytes(result.data if hasattr(result, "data") else result)

    def stop(self) -> None:
        if self.process is None:
            return
        group = self.process.pid  # the server leads its own session: LibreOffice is in it
        for sig in (signal.SIGTERM, signal.SIGKILL):  # KILL: LibreOffice's launcher outlives TERM
            try:
                os.killpg(group, sig)
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.process = None
