"""A requester who knows the cell key method attacks published tables with LP bounds.

The attacker knows the perturbation's range (``cellkey.possible_counts``: which
true counts can give a published value) and nothing of the record keys. The
unknowns are the counts of every atom: desa x sex x religion x age segment
(segments cut at every age bound the specs use), for the desas of the area
attacked. Every published cell and total of every table is a constraint
``low <= sum of its atoms <= high``; a target (a small count) is recovered
exactly when its LP minimum and maximum meet on one integer.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

from warehouse.cellkey import possible_counts
from warehouse.codes import MAX_AGE, dimensions
from warehouse.regions import region, regions_at


def segments(specs) -> list[tuple[int, int]]:
    """Age segments [low, high) cut at every band and filter bound of the specs."""
    cuts = {0, MAX_AGE + 1}
    for spec in specs:
        if "age_group" in spec.dimensions:
            cuts |= set(spec.age_bands)
        if spec.age_min is not None:
            cuts.add(spec.age_min)
        if spec.age_max is not None:
            cuts.add(spec.age_max + 1)
    return list(itertools.pairwise(sorted(cuts)))


@dataclass
class Atoms:
    """Every atom as parallel arrays (one entry per atom)."""

    desa: np.ndarray
    kecamatan: np.ndarray
    sex: np.ndarray
    religion: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @classmethod
    def of(cls, area: str, specs) -> Atoms:
        combos = list(
            itertools.product(
                [r.code for r in regions_at("desa", area)],
                dimensions()["sex"].codes,
                dimensions()["religion"].codes,
                segments(specs),
            )
        )
        desa = np.array([c[0] for c in combos])
        return cls(
            desa=desa,
            kecamatan=np.array([code[:8] for code in desa]),
            sex=np.array([c[1] for c in combos]),
            religion=np.array([c[2] for c in combos]),
            low=np.array([c[3][0] for c in combos]),
            high=np.array([c[3][1] for c in combos]),
        )

    def __len__(self) -> int:
        return len(self.desa)

    def value(self, spec, name: str) -> np.ndarray:
        if name == "age_group":
            return np.searchsorted(spec.age_bands, self.low, side="right") - 1
        return getattr(self, name)

    def in_spec(self, spec) -> np.ndarray:
        scope = region(spec.scope)
        inside = np.ones(len(self), dtype=bool)
        if scope.level == "desa":
            inside &= self.desa == scope.code
        elif scope.level == "kecamatan":
            inside &= self.kecamatan == scope.code
        for name, codes in spec.filters.items():
            inside &= np.isin(getattr(self, name), codes)
        if spec.age_min is not None:
            inside &= self.low >= spec.age_min
        if spec.age_max is not None:
            inside &= self.high - 1 <= spec.age_max
        return inside

    def counts(self, persons: list[tuple[str, int, int, int]]) -> np.ndarray:
        index = {
            (d, s, g, age): i
            for i, (d, s, g, lo, hi) in enumerate(
                zip(self.desa, self.sex, self.religion, self.low, self.high, strict=True)
            )
            for age in range(lo, hi)
        }
        found = np.zeros(len(self), dtype=np.int64)
        for desa, sex, religion, age in persons:
            found[index[(desa, sex, religion, age)]] += 1
        return found


def column_codes(spec) -> list[tuple[int, ...]]:
    """Each column's category codes, in the order of the result's columns."""
    categories = [spec.dimension(name).categories() for name in spec.dimensions]
    return [tuple(code for code, _ in combo) for combo in itertools.product(*categories)]


def constraints(atoms: Atoms, spec, result, smallest: int) -> list[tuple[np.ndarray, range]]:
    """(atom mask, possible true counts) for every published cell and total of ``result``."""
    inside = atoms.in_spec(spec)
    codes = column_codes(spec)
    assert len(codes) == len(result["columns"])
    columns = []
    for combo in codes:
        mask = inside.copy()
        for name, code in zip(spec.dimensions, combo, strict=True):
            mask &= atoms.value(spec, name) == code
        columns.append(mask)
    row_of = atoms.desa if spec.row_level == "desa" else atoms.kecamatan
    found = []
    for row in result["rows"]:
        in_row = inside & (row_of == row["code"])
        found.append((in_row, possible_counts(row["total"], smallest)))
        for label, mask in zip(result["columns"], columns, strict=True):
            found.append((in_row & mask, possible_counts(row["cells"][label], smallest)))
    for label, mask in zip(result["columns"], columns, strict=True):
        found.append((mask, possible_counts(result["column_totals"][label], smallest)))
    found.append((inside, possible_counts(result["grand_total"], smallest)))
    return found


class Attack:
    """LP bounds on sums of atoms, given every constraint the published tables give."""

    def __init__(self, found: list[tuple[np.ndarray, range]]):
        masks = csr_matrix(np.array([mask for mask, _ in found], dtype=float))
        self.a_ub = vstack([masks, -masks]).tocsr()
        self.b_ub = np.array(
            [r.stop - 1 for _, r in found] + [-r.start for _, r in found], dtype=float
        )

    def bounds(self, target: np.ndarray) -> tuple[float, float]:
        ends = []
        for sign in (1, -1):
            solved = linprog(
                sign * target.astype(float),
                A_ub=self.a_ub,
                b_ub=self.b_ub,
                bounds=(0, None),
                method="highs",
            )
            if solved.status == 3:  # unbounded: nothing the tables say limits the target
                ends.append(sign * np.inf)
                continue
            assert solved.status == 0, "the true counts must satisfy the attacker's constraints"
            ends.append(sign * solved.fun)
        return ends[0], ends[1]

    def recovered(self, target: np.ndarray) -> bool:
        low, high = self.bounds(target)
        if not np.isfinite(high):
            return False
        return int(np.ceil(low - 1e-6)) == int(np.floor(high + 1e-6))


def small_targets(
    atoms: Atoms, counts: np.ndarray, found, smallest: int, limit: int
) -> list[np.ndarray]:
    """Small counts (1..k-1) to attack: desa x religion x age segment, then published cells."""
    candidates: dict[bytes, np.ndarray] = {}
    keys = np.array(
        [f"{d}|{g}|{lo}" for d, g, lo in zip(atoms.desa, atoms.religion, atoms.low, strict=True)]
    )
    for key in np.unique(keys):
        mask = keys == key
        candidates.setdefault(mask.tobytes(), mask)
    for mask, _ in found:
        candidates.setdefault(mask.tobytes(), mask)
    small = [m for m in candidates.values() if 0 < counts[m].sum() < smallest]
    return small[:limit]


def attack(atoms: Atoms, counts: np.ndarray, specs, results, smallest: int, limit: int):
    """(small targets tried, recovered exactly) over the published ``results`` of ``specs``."""
    found = [
        c
        for spec, result in zip(specs, results, strict=True)
        for c in constraints(atoms, spec, result, smallest)
    ]
    lp = Attack(found)
    targets = small_targets(atoms, counts, found, smallest, limit)
    return len(targets), sum(lp.recovered(t) for t in targets)
