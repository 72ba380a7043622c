"""Statistical disclosure control of every warehouse table: the cell key method.

Every table the warehouse answers, whatever its spec, is protected the same
way (:mod:`warehouse.cellkey`): each cell, row total, column total and the
grand total is published as a function of its true count and its cell key,
which depends only on the persons it counts. So the same cell has the same
value in every table of the period, counts 1..k-1 never appear (k =
``LAKSANA_SDC_THRESHOLD``, default 5), true zeros stay 0, and differencing two
tables (overlapping age bands, nested regions, a filter and its complement)
leaves the noise of two independent cells on the difference. Totals are cells
of their own: they are consistent across tables but need not equal the sum of
the published cells, which the notice tells the reader.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from .cellkey import METHOD, published


@dataclass(frozen=True)
class SdcPolicy:
    #: the smallest non-zero count that may be published
    threshold: int = 5

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("SDC threshold must be at least 1")

    @classmethod
    def from_settings(cls, settings=None) -> SdcPolicy:
        """k from ``Settings().sdc_threshold`` (``LAKSANA_SDC_THRESHOLD``, default 5)."""
        threshold = getattr(settings, "sdc_threshold", None) or int(
            os.environ.get("LAKSANA_SDC_THRESHOLD", "5")
        )
        return cls(threshold=int(threshold))


@dataclass
class ProtectedTable:
    cells: np.ndarray  # rows x columns, published
    row_totals: np.ndarray
    column_totals: np.ndarray
    grand_total: int


def protect(counts: np.ndarray, key_sums: np.ndarray, policy: SdcPolicy) -> ProtectedTable:
    """Published cells and totals of a rows x columns table of true counts and key sums."""
    counts = np.asarray(counts, dtype=np.int64)
    key_sums = np.asarray(key_sums, dtype=np.int64)
    k = policy.threshold
    return ProtectedTable(
        cells=published(counts, key_sums, k),
        row_totals=published(counts.sum(axis=1), key_sums.sum(axis=1), k),
        column_totals=published(counts.sum(axis=0), key_sums.sum(axis=0), k),
        grand_total=int(published(counts.sum(), key_sums.sum(), k)),
    )


def notice(policy: SdcPolicy) -> str:
    """The one sentence every published table carries (Bahasa Indonesia)."""
    k = policy.threshold
    small = "" if k <= 1 else (" dan angka 1" if k == 2 else f" dan angka 1-{k - 1}")
    return (
        "Angka dalam tabel ini telah diacak secara terkendali (metode kunci sel) untuk melindungi "
        f"kerahasiaan data penduduk: setiap angka dapat bergeser sedikit dari angka sebenarnya"
        f"{small} tidak pernah ditampilkan, sehingga selisih kecil antara tabel, atau antara "
        "jumlah dan penjumlahan selnya, adalah wajar."
    )


def protection_info(policy: SdcPolicy) -> dict[str, Any]:
    """The result's ``protection`` field (docs/architecture.md)."""
    return {"method": METHOD, "min_count": policy.threshold, "notice": notice(policy)}
