"""Cache-miss benchmark: an engine action when another worker saved the instance last.

    .venv/bin/python bench/cache_miss.py [--instances 40] [--rounds 3] [--smoke]

Whole data-request instances through the facade on SQLite (service topics as no-op handlers),
timing each completion in CPU time: once with the workflow cache (one worker, the instance is
still in memory) and once with the cache emptied before every action (several workers, where
the instance must be restored from its stored JSON). Rounds alternate so machine load weighs on
both alike. Target (issue 15): a miss costs at most 1.5x a hit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from rework import PROCESS, new_engine, step  # noqa: E402


def per_action_ms(engine, instances: int, cached: bool) -> float:
    spent, actions = 0.0, 0
    for _ in range(instances):
        instance = engine.start(PROCESS, user="sekretariat")
        while instance.current_tasks:
            if not cached:
                engine.instances.cache.clear()
            started = time.process_time()
            instance = step(engine, instance, instance.current_tasks[0])
            spent += time.process_time() - started
            actions += 1
    return spent / actions * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="3 instances, 1 round")
    args = parser.parse_args()
    if args.smoke:
        args.instances, args.rounds = 3, 1
    engine = new_engine()
    per_action_ms(engine, 2, True)  # warm-up: specs, forms, the script worker
    hits, misses = [], []
    for _ in range(args.rounds):
        hits.append(per_action_ms(engine, args.instances, cached=True))
        misses.append(per_action_ms(engine, args.instances, cached=False))
    hit, miss = statistics.median(hits), statistics.median(misses)
    print(
        f"per action (CPU): cache hit {hit:.2f} ms, cache miss {miss:.2f} ms, "
        f"miss/hit x{miss / hit:.2f} (rounds: hits {', '.join(f'{h:.2f}' for h in hits)}; "
        f"misses {', '.join(f'{m:.2f}' for m in misses)})"
    )


if __name__ == "__main__":
    main()
