"""Statistical disclosure control: which tables to protect, and cell suppression.

Which tables: a desa-level table broken down by anything other than sex alone
(desa rows already are one dimension; population by sex per village is
published everywhere), and any table whose breakdowns or filters touch a
sensitive category (default: religion, disability, marital status "cerai",
citizenship WNA).

How: counts 1..k-1 are suppressed (primary). The table's row and column
totals stay true, so more cells are suppressed (secondary) until no
suppressed value can be recomputed from them: in the bipartite graph of rows
and columns whose edges are the suppressed cells, every edge must lie on a
cycle (a cell on no cycle is fixed by the margins). A missing cycle is closed
by the cheapest path of cells (by value; zeros only as a last resort, since
zeros are shown). With suppressed cells all positive, a cycle lets each one
move by +-1 without changing any total, so not even non-negativity pins it;
when zeros had to be used this is checked cell by cell.

A one-row table has no column constraint of its own: its column totals equal
its cells, so they are suppressed with them and the row needs 0 or >= 2
suppressed cells.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass

import numpy as np

from .codes import dimensions

PRIMARY, SECONDARY = 1, 2
DEFAULT_SENSITIVE = "religion,disability,marital_status:3+4,citizenship:2"
_EPSILON = 1e-3  # per complementary cell: among equal totals, prefer fewer cells
_ZERO_COST = 1e12


class SuppressionError(ValueError):
    """The table cannot be protected by suppressing cells (e.g. one column per row)."""


@dataclass(frozen=True)
class SdcPolicy:
    threshold: int = 5
    #: (dimension, sensitive codes or None for the whole dimension)
    sensitive: tuple[tuple[str, frozenset[int] | None], ...] = ()

    @classmethod
    def from_settings(cls, settings=None) -> SdcPolicy:
        """k from ``Settings().sdc_threshold``; the list from ``LAKSANA_SDC_SENSITIVE``."""
        threshold = getattr(settings, "sdc_threshold", None) or int(
            os.environ.get("LAKSANA_SDC_THRESHOLD", "5")
        )
        text = (
            getattr(settings, "sdc_sensitive", None)
            or os.environ.get("LAKSANA_SDC_SENSITIVE")
            or DEFAULT_SENSITIVE
        )
        return cls(threshold=int(threshold), sensitive=parse_sensitive(text))


def parse_sensitive(text: str) -> tuple[tuple[str, frozenset[int] | None], ...]:
    """``"religion,marital_status:3+4"`` -> (("religion", None), ("marital_status", {3, 4}))."""
    entries = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, codes = item.partition(":")
        if name not in dimensions():
            raise ValueError(f"unknown sensitive dimension '{name}'")
        entries.append((name, frozenset(int(c) for c in codes.split("+")) if codes else None))
    return tuple(entries)


def protection_reasons(spec, policy: SdcPolicy) -> list[str]:
    """Why the table needs disclosure control (Indonesian phrases); empty when it does not."""
    reasons = []
    if spec.row_level == "desa" and any(name != "sex" for name in spec.dimensions):
        reasons.append("tabel tingkat desa/kelurahan dengan rincian selain jenis kelamin")
    for name, codes in policy.sensitive:
        covered = _covered_codes(spec, name)
        if covered and (codes is None or covered & codes):
            dim = dimensions()[name]
            what = (
                dim.title
                if codes is None
                else f"{dim.title} ({', '.join(dim.codes[c] for c in sorted(codes))})"
            )
            reasons.append(f"memuat kategori sensitif: {what}")
    return reasons


def _covered_codes(spec, name: str) -> set[int]:
    if name in spec.filters:
        return set(spec.filters[name])
    if name in spec.dimensions:
        return set(dimensions()[name].codes)
    return set()


def suppress(values: np.ndarray, threshold: int) -> np.ndarray:
    """Suppression state per cell (0 shown, PRIMARY, SECONDARY) for a rows x columns table."""
    values = np.asarray(values, dtype=np.int64)
    state = np.zeros(values.shape, dtype=np.int8)
    state[(values > 0) & (values < threshold)] = PRIMARY
    if not state.any():
        return state
    if values.shape[0] == 1:
        _secure_single_row(values[0], state[0])
    else:
        _secure_table(values, state)
    return state


def _secure_single_row(values: np.ndarray, state: np.ndarray) -> None:
    if np.count_nonzero(state) != 1:
        return
    free = np.flatnonzero(state == 0)
    if not len(free):
        raise SuppressionError("tabel satu kolom tidak dapat dilindungi")
    cost = np.where(values[free] > 0, values[free], _ZERO_COST)
    state[free[np.argmin(cost)]] = SECONDARY


def _secure_table(values: np.ndarray, state: np.ndarray) -> None:
    # Adding cells never creates a bridge, so one pass over the bridges found suffices;
    # a bridge that an earlier cycle already closed is skipped.
    for cell in find_bridges(state != 0):
        if not _connected_without(state != 0, cell):
            _close_cycle(values, state, cell, allow_zeros=True)
    if np.any((state != 0) & (values == 0)):
        for cell in pinned_cells(values, state):
            if _is_pinned(values, state, cell):
                _close_cycle(values, state, cell, allow_zeros=False)
        if pinned_cells(values, state):
            raise SuppressionError("sel yang disembunyikan tetap dapat dihitung dari total")


def _connected_without(mask: np.ndarray, cell: tuple[int, int]) -> bool:
    """Whether the cell's row and column are joined by other suppressed cells."""
    mask = mask.copy()
    mask[cell] = False
    rows = np.zeros(mask.shape[0], dtype=bool)
    cols = np.zeros(mask.shape[1], dtype=bool)
    rows[cell[0]] = True
    while True:
        new_cols = cols | mask[rows].any(axis=0)
        new_rows = rows | mask[:, new_cols].any(axis=1)
        if new_cols[cell[1]]:
            return True
        if new_rows.sum() == rows.sum() and new_cols.sum() == cols.sum():
            return False
        rows, cols = new_rows, new_cols


def find_bridges(mask: np.ndarray) -> list[tuple[int, int]]:
    """Suppressed cells on no cycle of the row/column graph (those the margins determine)."""
    rows = mask.shape[0]
    cells = [tuple(int(v) for v in cell) for cell in np.argwhere(mask)]
    neighbours: list[list[tuple[int, int]]] = [[] for _ in range(rows + mask.shape[1])]
    for edge, (i, j) in enumerate(cells):
        neighbours[i].append((rows + j, edge))
        neighbours[rows + j].append((i, edge))
    order = [-1] * len(neighbours)
    low = [0] * len(neighbours)
    found: list[tuple[int, int]] = []
    counter = 0
    for start, links in enumerate(neighbours):
        if order[start] != -1 or not links:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack = [(start, -1, iter(links))]
        while stack:
            node, via, pending = stack[-1]
            for nxt, edge in pending:
                if edge == via:
                    continue
                if order[nxt] == -1:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, edge, iter(neighbours[nxt])))
                    break
                low[node] = min(low[node], order[nxt])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(cells[via])
    return sorted(found)


def _close_cycle(
    values: np.ndarray, state: np.ndarray, cell: tuple[int, int], allow_zeros: bool
) -> None:
    """Suppress the cheapest path of cells from the cell's row to its column."""
    path = _cheapest_path(_costs(values, state, allow_zeros), cell)
    if path is None:
        raise SuppressionError("tidak ada sel pelengkap untuk melindungi sel yang disembunyikan")
    for i, j in path:
        if state[i, j] == 0:
            state[i, j] = SECONDARY


def _costs(values: np.ndarray, state: np.ndarray, allow_zeros: bool) -> np.ndarray:
    costs = np.where(values > 0, values + _EPSILON, _ZERO_COST if allow_zeros else np.inf).astype(
        float
    )
    costs[state != 0] = 0.0
    if not allow_zeros:
        costs[(state != 0) & (values == 0)] = np.inf
    return costs


def _cheapest_path(costs: np.ndarray, cell: tuple[int, int]) -> list[tuple[int, int]] | None:
    """Cheapest path of cells from row ``i`` to column ``j`` without the cell (i, j) itself.

    Shortest paths by repeated min-plus relaxation over the bipartite table (costs are
    non-negative; strict improvements keep the predecessor links acyclic).
    """
    start, target = cell
    costs = costs.copy()
    costs[start, target] = np.inf
    rows, cols = costs.shape
    row_dist, col_dist = np.full(rows, np.inf), np.full(cols, np.inf)
    row_from, col_from = np.full(rows, -1), np.full(cols, -1)
    row_dist[start] = 0.0
    columns, lines = np.arange(cols), np.arange(rows)
    for _ in range(rows + cols):
        via_rows = row_dist[:, None] + costs
        best_row = np.argmin(via_rows, axis=0)
        reach = via_rows[best_row, columns]
        better_cols = reach < col_dist
        col_dist[better_cols], col_from[better_cols] = reach[better_cols], best_row[better_cols]
        via_cols = col_dist[None, :] + costs
        best_col = np.argmin(via_cols, axis=1)
        reach = via_cols[lines, best_col]
        better_rows = reach < row_dist
        row_dist[better_rows], row_from[better_rows] = reach[better_rows], best_col[better_rows]
        if not (better_cols.any() or better_rows.any()):
            break
    if not np.isfinite(col_dist[target]):
        return None
    return _walk_back(start, target, row_from, col_from)


def _walk_back(
    start: int, target: int, row_from: np.ndarray, col_from: np.ndarray
) -> list[tuple[int, int]]:
    path, col = [], target
    while True:
        row = int(col_from[col])
        path.append((row, col))
        if row == start:
            return path
        col = int(row_from[row])
        path.append((row, col))


def pinned_cells(values: np.ndarray, state: np.ndarray) -> list[tuple[int, int]]:
    """Suppressed cells whose value no other non-negative table with the same totals changes.

    A cell on a cycle whose other cells are all positive can move by +-1, so only
    the others (bridges among the positive cells, zeros not joined by them) are searched.
    """
    hidden = state != 0
    positive = hidden & (values > 0)
    candidates = set(find_bridges(positive))
    for cell in map(tuple, np.argwhere(hidden & (values == 0))):
        if not _connected_without(positive, cell):
            candidates.add((int(cell[0]), int(cell[1])))
    return [cell for cell in sorted(candidates) if _is_pinned(values, state, cell)]


def _is_pinned(values: np.ndarray, state: np.ndarray, cell: tuple[int, int]) -> bool:
    rows = values.shape[0]
    cells = [(int(i), int(j)) for i, j in np.argwhere(state != 0)]
    up = _reachable(values, cells, cell, rows, from_node=rows + cell[1], to_node=cell[0])
    down = values[cell] > 0 and _reachable(
        values, cells, cell, rows, from_node=cell[0], to_node=rows + cell[1]
    )
    return not (up or down)


def _reachable(values, cells, skip, rows: int, from_node: int, to_node: int) -> bool:
    """Directed search: row -> column may always increase; column -> row needs a positive cell."""
    links: dict[int, list[int]] = {}
    for i, j in cells:
        if (i, j) == skip:
            continue
        links.setdefault(i, []).append(rows + j)
        if values[i, j] > 0:
            links.setdefault(rows + j, []).append(i)
    seen, queue = {from_node}, deque([from_node])
    while queue:
        node = queue.popleft()
        if node == to_node:
            return True
        for nxt in links.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False
