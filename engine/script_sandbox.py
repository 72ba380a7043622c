"""Bounded evaluation of diagram code: in-thread when plainly cheap, else in a limited worker.

RestrictedPython stops a script from reaching what it must not, but not from
running forever (``while True: pass``) or filling memory (``x = 10**(10**8)``,
one C-level operation no tracer interrupts). So every script, and every
condition or timer expression that is not plainly cheap, runs in a worker
process (``engine.script_worker``) with a CPU-time and an address-space limit
(``Settings.script_timeout`` / ``script_memory_mb``: ``LAKSANA_SCRIPT_TIMEOUT``,
default 2 s, ``LAKSANA_SCRIPT_MEMORY_MB``, default 256). A worker that exceeds
its limit is ended and replaced, and the action gets ``ScriptLimitExceeded``,
which the runner turns into an incident naming the element.

"Plainly cheap" (``is_plainly_bounded``) is an expression made only of names,
constants, comparisons, boolean logic, ``+``/``-``/``/``, subscripts,
attributes, displays and calls of a few linear built-ins and of the office's
deadline functions with a small constant: its cost is linear in the size of the
data and of the expression. That covers every gateway condition and timer of
the office's diagrams, so the common case pays no process round trip.
"""

from __future__ import annotations

import ast
import atexit
import io
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

from . import restricted
from .clock import engine_now
from .script_worker import HEADER

_SAFE_NODES = (
    ast.Expression,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Compare,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.IfExp,
    ast.Subscript,
    ast.Slice,
    ast.Attribute,
    ast.Tuple,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.Add,
    ast.Sub,
    ast.Div,
)
_LINEAR_CALLS = frozenset({"len", "bool", "str", "int", "float", "abs", "min", "max", "any", "all"})
_DEADLINE_CALLS = frozenset({"working_days_deadline", "days_deadline", "office_minutes_deadline"})
#: the largest day count a deadline call may take on the in-thread path (ten years)
_MAX_DAYS = 3660
#: the largest office-minute count a deadline call may take on the in-thread path (a year's)
_MAX_OFFICE_MINUTES = 366 * 24 * 60
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)


class ScriptLimitExceeded(Exception):
    """Diagram code used more CPU time or memory than allowed."""


@dataclass(frozen=True)
class ScriptLimits:
    seconds: float = 2.0
    memory_mb: int = 256


_limits: ContextVar[ScriptLimits | None] = ContextVar("laksana_script_limits", default=None)


def set_limits(limits: ScriptLimits):
    return _limits.set(limits)


def reset_limits(token) -> None:
    _limits.reset(token)


def current_limits() -> ScriptLimits:
    limits = _limits.get()
    if limits is None:
        from .config import Settings

        settings = Settings()
        limits = ScriptLimits(settings.script_timeout, settings.script_memory_mb)
    return limits


def _cheap_call(node: ast.Call) -> bool:
    if not isinstance(node.func, ast.Name) or node.keywords:
        return False
    if any(isinstance(a, ast.Starred) for a in node.args):
        return False
    if node.func.id in _LINEAR_CALLS:
        return True
    if node.func.id in _DEADLINE_CALLS and len(node.args) == 2:
        limit = _MAX_OFFICE_MINUTES if node.func.id == "office_minutes_deadline" else _MAX_DAYS
        return _small_int(node.args[1], limit)
    if node.func.id == "office_minutes_from_now" and len(node.args) == 1:
        return _small_int(node.args[0], _MAX_OFFICE_MINUTES)
    return False


def _small_int(node: ast.expr, limit: int) -> bool:
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, int) and abs(node.value) <= limit
    )


@lru_cache(maxsize=2048)
def is_plainly_bounded(expression: str) -> bool:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not _cheap_call(node):
                return False
        elif not isinstance(node, _SAFE_NODES):
            return False
    return True


class _SafeUnpickler(pickle.Unpickler):
    """Results come from a process running untrusted code: only plain data types come back."""

    ALLOWED = {
        ("datetime", "datetime"),
        ("datetime", "date"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("decimal", "Decimal"),
        ("uuid", "UUID"),
        ("collections", "OrderedDict"),
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("builtins", "complex"),
    }

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


_ERRORS = {
    cls.__name__: cls
    for cls in (
        NameError,
        TypeError,
        ValueError,
        KeyError,
        IndexError,
        ZeroDivisionError,
        AttributeError,
        SyntaxError,
        OverflowError,
        RecursionError,
        ArithmeticError,
        AssertionError,
    )
}


def _read_exactly(fd: int, size: int, deadline: float) -> bytes | None:
    chunks, got = [], 0
    while got < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, size - got)
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PROJECT_ROOT, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engine.script_worker", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=_PROJECT_ROOT,
        )
        if (
            self.process.stdin is None or self.process.stdout is None
        ):  # pragma: no cover - PIPE given
            raise RuntimeError("the script worker has no pipes")
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout

    def ask(self, request: tuple, wall_seconds: float) -> tuple | None:
        """The worker's reply, or None when it died or did not answer in time (then it is ended)."""
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.stdin.write(HEADER.pack(len(payload)) + payload)
            self.stdin.flush()
            reply = self._read(wall_seconds)
        except (BrokenPipeError, OSError):
            reply = None
        if reply is None:
            self.stop()
            return None
        return pickle.loads(reply)

    def _read(self, wall_seconds: float) -> bytes | None:
        fd = self.stdout.fileno()
        deadline = time.monotonic() + wall_seconds
        header = _read_exactly(fd, HEADER.size, deadline)
        if header is None:
            return None
        return _read_exactly(fd, HEADER.unpack(header)[0], deadline)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass


class WorkerPool:
    """Idle workers kept for the next evaluation; one per thread evaluating at the same time."""

    def __init__(self, keep: int = 4) -> None:
        self.keep = keep
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def run(self, mode: str, source: str, context: dict, external: dict | None):
        limits = current_limits()
        worker = self._take(limits.memory_mb)
        request = (mode, source, dict(context), dict(external or {}), limits.seconds, engine_now())
        reply = worker.ask(request, wall_seconds=limits.seconds * 3 + 2)
        if reply is None:
            raise ScriptLimitExceeded(
                f"melewati batas waktu CPU {limits.seconds:g} detik (atau berhenti tiba-tiba)"
            )
        kind, body = reply
        if kind == "memory":
            worker.stop()
            raise ScriptLimitExceeded(f"melewati batas memori {limits.memory_mb} MB")
        self._give(worker)
        if kind == "error":
            name, message = body
            raise _ERRORS.get(name, RuntimeError)(message)
        return _SafeUnpickler(io.BytesIO(body)).load()

    def _take(self, memory_mb: int) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.memory_mb == memory_mb and worker.alive():
                    return worker
                worker.stop()
        return _Worker(memory_mb)

    def _give(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < self.keep and worker.alive():
                self._idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


POOL = WorkerPool()
atexit.register(POOL.close)


def bounded_evaluate(expression: str, context: dict, external: dict | None = None):
    """(value, printed) of a condition or timer expression, within the limits."""
    if is_plainly_bounded(expression):
        return restricted.evaluate(expression, context, external)
    restricted.compile_expression(expression)  # a syntax error is raised here, as before
    return POOL.run("eval", expression, context, external)


def bounded_execute(script: str, context: dict, external: dict | None = None):
    """(data the script set, printed) of a script, within the limits."""
    restricted.compile_script(script)
    return POOL.run("exec", script, context, external)
