"""A requester who knows the cell key method attacks published tables with LP bounds.

The attacker knows the perturbation's range (``cellkey.possible_counts``: which
true counts can give a published value) and nothing of the record keys. The
unknowns are the counts of every atom: desa x sex x religion x age segment
(segments cut at every age bound the specs use), for the desas of one
kecamatan. Every published cell and total of every table is a constraint
``low <= sum of its atoms <= high``; a target (a small cell) is recovered
exactly when its LP minimum and maximum meet on one integer.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from warehouse.cellkey import possible_counts
from warehouse.codes import MAX_AGE, dimensions
from warehouse.query import run_query
from warehouse.regions import region, regions_at


@dataclass(frozen=True)
class Atom:
    desa: str
    sex: int
    religion: int
    low: int  # ages low..high-1
    high: int


def segments(specs) -> list[tuple[int, int]]:
    cuts = {0, MAX_AGE + 1}
    for spec in specs:
        if "age_group" in spec.dimensions:
            cuts |= set(spec.age_bands)
        if spec.age_min is not None:
            cuts.add(spec.age_min)
        if spec.age_max is not None:
            cuts.add(spec.age_max + 1)
    ordered = sorted(cuts)
    return list(itertools.pairwise(ordered))


def atoms_for(kecamatan: str, specs) -> list[Atom]:
    desas = [r.code for r in regions_at("desa", kecamatan)]
    return [
        Atom(d, s, g, low, high)
        for d in desas
        for s in dimensions()["sex"].codes
        for g in dimensions()["religion"].codes
        for low, high in segments(specs)
    ]


def _in_spec(atom: Atom, spec) -> bool:
    scope = region(spec.scope)
    if scope.level == "desa" and atom.desa != scope.code:
        return False
    if scope.level == "kecamatan" and not atom.desa.startswith(scope.code + "."):
        return False
    for name, codes in spec.filters.items():
        if getattr(atom, name) not in codes:
            return False
    if spec.age_min is not None and atom.low < spec.age_min:
        return False
    return spec.age_max is None or atom.high - 1 <= spec.age_max


def _value(atom: Atom, spec, name: str) -> int:
    if name == "age_group":
        return int(np.searchsorted(spec.age_bands, atom.low, side="right") - 1)
    return getattr(atom, name)


def _in_row(atom: Atom, spec, code: str) -> bool:
    return atom.desa == code if spec.row_level == "desa" else atom.desa.startswith(code + ".")


def constraints(atoms: list[Atom], spec, result, smallest: int) -> list[tuple[np.ndarray, range]]:
    """(atom mask, possible true counts) for every published cell and total of ``result``."""
    table = column_codes(spec, result)
    inside = np.array([_in_spec(a, spec) for a in atoms])
    found = []
    column_masks = [
        inside
        & np.array(
            [
                all(_value(a, spec, n) == c for n, c in zip(spec.dimensions, codes, strict=True))
                for a in atoms
            ]
        )
        for codes in table
    ]
    for row in result["rows"]:
        in_row = inside & np.array([_in_row(a, spec, row["code"]) for a in atoms])
        found.append((in_row, possible_counts(row["total"], smallest)))
        for label, mask in zip(result["columns"], column_masks, strict=True):
            found.append((in_row & mask, possible_counts(row["cells"][label], smallest)))
    for label, mask in zip(result["columns"], column_masks, strict=True):
        found.append((mask, possible_counts(result["column_totals"][label], smallest)))
    found.append((inside, possible_counts(result["grand_total"], smallest)))
    return found


def column_codes(spec, result) -> list[tuple[int, ...]]:
    """Each column's category codes, in the order of the result's columns."""
    categories = [spec.dimension(name).categories() for name in spec.dimensions]
    codes = [tuple(code for code, _ in combo) for combo in itertools.product(*categories)]
    assert len(codes) == len(result["columns"])
    return codes


def atom_counts(atoms: list[Atom], persons: list[tuple[str, int, int, int]]) -> np.ndarray:
    index = {
        (a.desa, a.sex, a.religion, age): i
        for i, a in enumerate(atoms)
        for age in range(a.low, a.high)
    }
    counts = np.zeros(len(atoms), dtype=np.int64)
    for desa, sex, religion, age in persons:
        counts[index[(desa, sex, religion, age)]] += 1
    return counts


class Attack:
    """LP bounds on sums of atoms, given every constraint the published tables give."""

    def __init__(self, atoms: list[Atom], found: list[tuple[np.ndarray, range]]):
        masks = np.array([mask for mask, _ in found], dtype=float)
        self.atoms = atoms
        self.a_ub = np.vstack([masks, -masks])
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


def publish(store, specs, policy) -> list[dict]:
    return [run_query(store, spec, policy) for spec in specs]


def small_targets(atoms, counts, specs, results, smallest: int, limit: int) -> list[np.ndarray]:
    """Protected small sets: published cells with true count 1..k-1, and small atom groups."""
    targets = []
    groups: dict[tuple, np.ndarray] = {}
    for i, a in enumerate(atoms):
        for key in ((a.desa, a.religion, a.low), (a.desa, a.sex, a.religion, a.low)):
            groups.setdefault(key, np.zeros(len(atoms), dtype=bool))[i] = True
    for spec, result in zip(specs, results, strict=True):
        for mask, _ in constraints(atoms, spec, result, smallest):
            groups.setdefault(("cell", mask.tobytes()), mask)
    for mask in groups.values():
        if 0 < counts[mask].sum() < smallest:
            targets.append(mask)
    return targets[:limit]
