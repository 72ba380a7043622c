"""What the dashboard draws: the weekly intake chart's bars and the heat map's cells.

The weekly chart is an SVG whose bars are placed in percent of its width, so it fills its card
at any width without scaling its text (a viewBox scaled 26 bars and their labels down to 5 px on
a phone, and a minimum width pushed the current week out of the card). The heat map is a grid of
one readable cell per step, coloured by the median against the standard time; the same cells feed
the diagram overlays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from engine.statistics import StepStat

from .i18n import duration

#: the chart's height in px and the room above the bars for the count labels
CHART_HEIGHT, CHART_TOP = 150, 18
#: label every n-th week under the axis (and always the current week)
LABEL_EVERY = 4


@dataclass(frozen=True)
class Bar:
    monday: date
    count: int
    x: float  # percent of the chart's width
    width: float  # percent
    height: float  # px
    current: bool
    labelled: bool


@dataclass(frozen=True)
class WeeklyChart:
    bars: list[Bar]
    top: int
    height: int = CHART_HEIGHT
    headroom: int = CHART_TOP

    @property
    def baseline(self) -> int:
        return self.headroom + self.height

    @property
    def current(self) -> Bar | None:
        return next((bar for bar in self.bars if bar.current), None)


def weekly_chart(weeks: list[tuple[date, int]], today: date) -> WeeklyChart:
    """Bars for (Monday, requests) oldest first; the week holding ``today`` is the current one."""
    top = max((count for _, count in weeks), default=0) or 1
    slot = 100 / max(len(weeks), 1)
    bars = []
    for index, (monday, count) in enumerate(weeks):
        current = monday <= today < monday.fromordinal(monday.toordinal() + 7)
        bars.append(
            Bar(
                monday=monday,
                count=count,
                x=round(index * slot + slot * 0.12, 3),
                width=round(slot * 0.76, 3),
                height=round(count / top * CHART_HEIGHT, 1),
                current=current,
                labelled=current or (len(weeks) - 1 - index) % LABEL_EVERY == 0,
            )
        )
    return WeeklyChart(bars=bars, top=top)


@dataclass(frozen=True)
class HeatCell:
    element_id: str
    name: str
    sop_step: str | None
    level: int  # 0 no standard time, 1 within, 2 up to 1.5x, 3 beyond
    median: str
    p90: str
    standard: str
    count: int

    @property
    def label(self) -> str:
        """The short text on the diagram: median against the standard."""
        return f"{self.median} / {self.standard}"


def heat_cells(steps: list[StepStat]) -> list[HeatCell]:
    return [
        HeatCell(
            element_id=s.element_id,
            name=s.name,
            sop_step=s.sop_step,
            level=s.level,
            median=duration(s.median),
            p90=duration(s.p90),
            standard=duration(s.standard) if s.standard else _("tanpa waktu baku"),
            count=s.count,
        )
        for s in steps
    ]


def heat_overlays(cells: list[HeatCell]) -> dict[str, dict]:
    """The diagram viewer's overlay per element: level, label and tooltip, already in words."""
    return {
        cell.element_id: {
            "level": cell.level,
            "label": cell.label,
            "title": _(
                "median %(median)s, persentil 90 %(p90)s, waktu baku %(standard)s, n = %(n)d",
                median=cell.median,
                p90=cell.p90,
                standard=cell.standard,
                n=cell.count,
            ),
            "count": cell.count,
        }
        for cell in cells
    }
