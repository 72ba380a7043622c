"""The cell key method: one disclosure control that holds across every table of a period.

Every person has a fixed record key, a keyed hash of the NIK (BLAKE2b with the
warehouse's secret, or a secret derived from the seed for synthetic data), an
integer in ``[0, KEY_MODULUS)``. A cell's key is the sum of its persons' record
keys modulo ``KEY_MODULUS``, so it depends only on *which persons* the cell
counts, never on the table it appears in. The published value is a function
of the true count and the cell key alone (:func:`published`):

* a true 0 is always published as 0;
* otherwise the count is moved by a perturbation ``p`` drawn through the cell
  key from a two-sided geometric distribution (``P(p) ~ DECAY**|p|``,
  ``|p| <= MAX_PERTURBATION``; mean 0, standard deviation about 1.5);
* a perturbed value below the smallest publishable count ``k`` becomes 0 or
  ``k`` (whichever is nearer, ``k`` on a tie), so counts 1..k-1 never appear.

Row, column and grand totals are cells like any other (their own persons,
their own key), so the same set of persons has the same value in every table,
and a total need not equal the sum of its published cells.
"""

from __future__ import annotations

import hashlib

import numpy as np

KEY_BITS = 20
KEY_MODULUS = 1 << KEY_BITS
MAX_PERTURBATION = 10
DECAY = 0.4
METHOD = "cell_key"


def record_keys(nik: np.ndarray, secret: bytes) -> np.ndarray:
    """Each person's record key: BLAKE2b(NIK, key=secret) reduced to ``KEY_BITS`` bits."""
    mask = KEY_MODULUS - 1
    digest = hashlib.blake2b
    return np.fromiter(
        (
            int.from_bytes(digest(str(n).encode(), key=secret, digest_size=4).digest(), "little")
            & mask
            for n in np.asarray(nik).tolist()
        ),
        dtype=np.int32,
        count=len(nik),
    )


def synthetic_secret(seed: int) -> bytes:
    """The record-key secret of a synthetic population (public by its seed, like its persons)."""
    return hashlib.sha256(f"laksana-synthetic-{seed}".encode()).digest()


def _perturbation_table() -> np.ndarray:
    """Perturbation for every cell key (index = key), quantiles of the two-sided geometric."""
    steps = np.arange(-MAX_PERTURBATION, MAX_PERTURBATION + 1)
    weights = DECAY ** np.abs(steps)
    bounds = np.cumsum(weights / weights.sum()) * KEY_MODULUS
    chosen = np.searchsorted(bounds, np.arange(KEY_MODULUS) + 0.5, side="right")
    return steps[np.minimum(chosen, len(steps) - 1)].astype(np.int64)


_TABLE: np.ndarray | None = None


def perturbation(cell_keys: np.ndarray) -> np.ndarray:
    """The perturbation each cell key selects (same shape)."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _perturbation_table()
    return _TABLE[np.asarray(cell_keys, dtype=np.int64) % KEY_MODULUS]


def published(counts: np.ndarray, key_sums: np.ndarray, smallest: int) -> np.ndarray:
    """Published values for true ``counts`` with the sums of their persons' record keys."""
    counts = np.asarray(counts, dtype=np.int64)
    moved = counts + perturbation(np.asarray(key_sums, dtype=np.int64) % KEY_MODULUS)
    small = np.where(2 * moved >= smallest, smallest, 0)
    return np.where(counts == 0, 0, np.where(moved >= smallest, moved, small))


def possible_counts(value: int, smallest: int) -> range:
    """True counts that can be published as ``value`` (what an attacker knowing the method knows)."""
    if value == 0:
        return range(0, (smallest + 1) // 2 + MAX_PERTURBATION)
    low = (smallest + 1) // 2 if value == smallest else value
    return range(max(1, low - MAX_PERTURBATION), value + MAX_PERTURBATION + 1)
