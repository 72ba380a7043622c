"""`laksana serve --workers N`: the app under gunicorn, started from the shell as an operator would.

The store is prepared as `make run` does (init-db, roles seed, deploy, seed-demo in subprocesses), then the
server runs in a subprocess on a free port; requests must be answered by two worker processes,
children of the one master, and SIGTERM must stop them all.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

LAKSANA = [sys.executable, "-c", "from web.cli import main; main()"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAKSANA_")}
    env.update(
        PYTHONPATH=str(ROOT),
        LAKSANA_PASSWORD_HASH="fast",
        LAKSANA_INSTANCE_DIR=str(tmp_path / "instance"),
        LAKSANA_DATABASE_URL=f"sqlite:///{tmp_path / 'instance' / 'laksana.db'}",
        LAKSANA_WAREHOUSE_URL=f"duckdb:///{tmp_path / 'instance' / 'warehouse.duckdb'}",
    )
    return env


def _laksana(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*LAKSANA, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8", "replace")


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            if _get(url)[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"no answer from {url} within 90 s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> dict[str, str]:
    """One store for the module, prepared from the shell (four CLI starts, seconds each): the
    tests only read it, one through a server, the other failing to bind its port."""
    env = _env(tmp_path_factory.mktemp("serve"))
    for command in (["init-db"], ["roles", "seed"], ["deploy"], ["seed-demo"]):
        done = _laksana(env, *command)
        assert done.returncode == 0, done.stderr
    assert "demo users created: sekretariat" in done.stdout  # seed-demo runs from the shell
    return env


def test_serve_with_two_workers_answers_from_two_processes_and_stops_cleanly(prepared, tmp_path):
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*LAKSANA, "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=prepared,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/masuk", server, log)
        workers = _children(server.pid)
        assert len(workers) == 2, f"gunicorn workers under {server.pid}: {workers}"

        status, page = _get(f"{base}/masuk")
        assert status == 200 and "Masuk" in page
        assert _get(f"{base}/lacak")[0] == 200

        served_by: set[int] = set()
        deadline = time.monotonic() + 30
        with ThreadPoolExecutor(max_workers=8) as pool:
            while len(served_by) < 2 and time.monotonic() < deadline:
                statuses = list(pool.map(lambda _: _get(f"{base}/masuk")[0], range(16)))
                assert set(statuses) == {200}
                time.sleep(0.5)  # the access log is written after the response
                served_by = {
                    int(p) for p in re.findall(r'"GET /masuk[^\n]*<(\d+)>', log.read_text())
                }
        assert len(served_by) == 2 and served_by <= workers, log.read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            returncode = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    assert returncode == 0, log.read_text()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "a worker outlived the master"
    assert "Traceback" not in log.read_text()


def test_serve_on_a_taken_port_says_so_in_one_line(prepared):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _laksana(prepared, "serve", "--workers", "2", "--port", str(port))
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if not _is_library_warning(line)]
    assert errors == [f"Error: port {port} di 127.0.0.1 sudah dipakai proses lain"]


def _is_library_warning(line: str) -> bool:
    return "Warning" in line or line.startswith("  from ")
