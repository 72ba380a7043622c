"""The process that runs diagram scripts under a CPU-time and memory limit.

Started by ``engine.script_sandbox`` as ``python -m engine.script_worker MEMORY_MB``
and kept for many evaluations. Requests and replies are length-prefixed pickles
on stdin/stdout. The address space is limited once at start (what the
interpreter already uses plus MEMORY_MB), the CPU time before each evaluation
(``RLIMIT_CPU``: the kernel ends the process when it is used up, even inside a
single long C operation such as ``10**(10**8)``); the parent then reports the
limit and starts a new worker.
"""

from __future__ import annotations

import math
import pickle
import struct
import sys
from types import ModuleType

from .clock import spiff_time
from .restricted import evaluate, execute

resource: ModuleType | None
try:
    import resource
except ImportError:  # pragma: no cover - not on Linux: the parent's wall-clock limit still holds
    resource = None


HEADER = struct.Struct(">I")


def read_frame(stream) -> bytes | None:
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    return stream.read(size)


def write_frame(stream, payload: bytes) -> None:
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def _address_space() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(memory_mb: int) -> None:
    if resource is None or memory_mb <= 0:
        return
    try:
        limit = _address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):  # pragma: no cover - no /proc: only the time limit holds
        pass


def limit_cpu(seconds: float) -> None:
    if resource is None or seconds <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(used + seconds)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def answer(request: tuple) -> tuple:
    mode, source, context, external, seconds, now = request
    limit_cpu(seconds)
    try:
        run = evaluate if mode == "eval" else execute
        with spiff_time(now):  # office_minutes_from_now counts from the engine's time
            result, printed = run(source, context, external)
        return ("ok", pickle.dumps((result, printed), protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        return ("memory", None)
    except RecursionError:
        return ("error", ("RecursionError", "terlalu banyak pemanggilan bertingkat"))
    except (pickle.PicklingError, TypeError) as exc:
        return ("error", (type(exc).__name__, str(exc)))
    except Exception as exc:  # noqa: BLE001 - every failure of the diagram's code goes back
        return ("error", (type(exc).__name__, str(exc)))


def main() -> None:
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies goes into the pipe
    limit_memory(memory_mb)
    while True:
        frame = read_frame(stdin)
        if frame is None:
            return
        reply = answer(pickle.loads(frame))
        write_frame(stdout, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        if reply[0] == "memory":
            return  # a fresh worker for the next script


if __name__ == "__main__":
    main()
