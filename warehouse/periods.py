"""DKB periods: the consolidated clean data set Dukcapil publishes per semester.

``2026-1`` is Semester I 2026 (keadaan 30 Juni 2026); ``2026-2`` is Semester II
2026 (keadaan 31 Desember 2026).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CODE = re.compile(r"^(\d{4})-([12])$")
_MONTHS = {6: "Juni", 12: "Desember"}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    year: int
    semester: int

    @classmethod
    def parse(cls, code: str) -> Period:
        match = _CODE.match(str(code).strip())
        if not match:
            raise PeriodError(f"'{code}' bukan kode periode (contoh: 2026-1 atau 2026-2)")
        year, semester = int(match.group(1)), int(match.group(2))
        if not 2000 <= year <= 2100:
            raise PeriodError(f"tahun periode {year} di luar 2000-2100")
        return cls(year, semester)

    @property
    def code(self) -> str:
        return f"{self.year}-{self.semester}"

    @property
    def label(self) -> str:
        return f"Semester {'I' * self.semester} {self.year}"

    @property
    def cutoff(self) -> date:
        return date(self.year, 6, 30) if self.semester == 1 else date(self.year, 12, 31)

    @property
    def cutoff_label(self) -> str:
        """Indonesian date of the cut-off, e.g. "30 Juni 2026"."""
        return f"{self.cutoff.day} {_MONTHS[self.cutoff.month]} {self.year}"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label, "cutoff": self.cutoff.isoformat()}
