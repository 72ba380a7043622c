"""Small vectorised sampling helpers shared by the generator modules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def normalised(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    values = np.asarray(weights, dtype=float)
    return values / values.sum()


def draw_codes(rng: np.random.Generator, weights: Mapping[int, float], size: int) -> np.ndarray:
    """``size`` codes drawn from {code: weight}."""
    codes = np.fromiter(weights.keys(), dtype=np.int16)
    return rng.choice(codes, size=size, p=normalised(list(weights.values())))


def draw_by_group(
    rng: np.random.Generator,
    groups: np.ndarray,
    tables: Mapping[int, Mapping[int, float]],
    dtype=np.int16,
) -> np.ndarray:
    """For each element, a code drawn from ``tables[its group]``; groups are visited in order."""
    result = np.zeros(len(groups), dtype=dtype)
    for group in sorted(tables):
        members = np.flatnonzero(groups == group)
        if len(members):
            result[members] = draw_codes(rng, tables[group], len(members))
    return result


def band_index(values: np.ndarray, lower_bounds: Sequence[int]) -> np.ndarray:
    """Index of the band (by ascending lower bounds) each value falls in."""
    return np.searchsorted(np.asarray(lower_bounds), values, side="right") - 1


def rounded_normal(rng: np.random.Generator, mean_sd: tuple[float, float], size: int) -> np.ndarray:
    mean, sd = mean_sd
    return np.rint(rng.normal(mean, sd, size)).astype(np.int32)


def match_in_buckets(
    rng: np.random.Generator, candidate_keys: np.ndarray, wanted_keys: np.ndarray
) -> np.ndarray:
    """For each wanted key, a random candidate index with that key, or -1 when there is none."""
    order = np.argsort(candidate_keys, kind="stable")
    sorted_keys = candidate_keys[order]
    low = np.searchsorted(sorted_keys, wanted_keys, side="left")
    high = np.searchsorted(sorted_keys, wanted_keys, side="right")
    sizes = high - low
    offsets = (rng.random(len(wanted_keys)) * sizes).astype(np.int64)
    picks = np.minimum(low + offsets, max(len(order) - 1, 0))
    if not len(order):
        return np.full(len(wanted_keys), -1, dtype=np.int64)
    return np.where(sizes > 0, order[picks], -1)


def rank_within_groups(keys: np.ndarray) -> np.ndarray:
    """0-based position of each element among the equal keys before it (keys need not be sorted)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    start_positions = np.maximum.accumulate(np.where(starts, np.arange(len(keys)), 0))
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = np.arange(len(keys)) - start_positions
    return ranks
