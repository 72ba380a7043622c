"""``laksana warehouse build``: generate the synthetic population and load it."""

from __future__ import annotations

import sys
import time
from typing import Any

from tqdm import tqdm

from .generator import DEFAULT_SEED, GENERATE_STEPS, generate
from .periods import Period
from .store import Warehouse

LOAD_STEPS = 2


def build_synthetic(
    warehouse: Warehouse,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    period: str = "2026-1",
    progress: bool = False,
) -> dict[str, Any]:
    """Replace ``period`` in the warehouse with a synthetic population; returns a summary."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    parsed = Period.parse(period)
    started = time.perf_counter()
    bar = tqdm(
        total=GENERATE_STEPS + LOAD_STEPS,
        desc="build",
        unit="step",
        file=sys.stderr,
        disable=not progress,
    )

    def step(label: str) -> None:
        bar.set_postfix_str(label)
        bar.update()

    try:
        population = generate(scale, seed, parsed.code, on_step=step)
        warehouse.replace_period(parsed, population, "synthetic", on_step=step)
    finally:
        bar.close()
    return {
        "period": parsed.as_dict(),
        "persons": population.person_count,
        "families": population.family_count,
        "scale": scale,
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 2),
    }
