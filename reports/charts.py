"""Charts for the data attachment, drawn with ReportLab graphics (vector, fonts embedded).

``population_pyramid`` for an age-group x sex table; ``bar_chart`` (horizontal,
optionally stacked) otherwise. Both return a ``Drawing`` to put in a story.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from .formatting import angka
from .layout import FONT, FONT_BOLD, register_fonts

MALE = colors.HexColor("#3A6EA5")
FEMALE = colors.HexColor("#C0504D")
SERIES_COLOURS = (
    MALE,
    FEMALE,
    colors.HexColor("#9BBB59"),
    colors.HexColor("#8064A2"),
    colors.HexColor("#F79646"),
    colors.HexColor("#4BACC6"),
)
AXIS = colors.HexColor("#666666")
GRID = colors.HexColor("#DDDDDD")
LABEL_SIZE = 7.5


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _tick_values(maximum: float) -> list[float]:
    step = nice_step(maximum)
    count = math.ceil(maximum / step) if maximum > 0 else 1
    return [step * i for i in range(count + 1)]


def _label(
    x: float,
    y: float,
    content: str,
    anchor: str = "start",
    size: float = LABEL_SIZE,
    bold: bool = False,
) -> String:
    return String(
        x,
        y,
        content,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        textAnchor=anchor,
        fillColor=colors.black,
    )


def _legend(
    drawing: Drawing, entries: Sequence[tuple[str, colors.Color]], x: float, y: float
) -> None:
    for name, colour in entries:
        drawing.add(Rect(x, y, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(_label(x + 10, y + 0.5, name))
        x += 20 + len(name) * 4.2


def _bar_height(count: int, max_height: float, bands: float, gap: float) -> float:
    return max(4.0, min(10.0, (max_height - bands) / max(count, 1) - gap))


def population_pyramid(
    groups: Sequence[str],
    male: Sequence[int],
    female: Sequence[int],
    *,
    width: float = 160 * mm,
    max_height: float = 110 * mm,
    title: str = "",
) -> Drawing:
    """Age groups bottom (youngest) to top, males to the left of the centre, females to the right."""
    register_fonts()
    gap, label_band, top_band, axis_band = 2.0, 34.0, 26.0, 26.0
    bar_height = _bar_height(len(groups), max_height, top_band + axis_band, gap)
    size = min(LABEL_SIZE, bar_height)
    height = axis_band + len(groups) * (bar_height + gap) + top_band
    drawing = Drawing(width, height)
    centre = width / 2
    half = (width - label_band) / 2 - 30
    ticks = _tick_values(max([*male, *female, 1]))
    scale = half / ticks[-1]
    for tick in ticks:
        for sign in (-1, 1):
            x = centre + sign * (label_band / 2 + tick * scale)
            drawing.add(Line(x, axis_band, x, height - top_band, strokeColor=GRID, strokeWidth=0.4))
            drawing.add(_label(x, axis_band - 10, angka(tick), "middle", 6.5))
    for index, group in enumerate(groups):
        y = axis_band + index * (bar_height + gap) + gap / 2
        male_width, female_width = male[index] * scale, female[index] * scale
        drawing.add(
            Rect(
                centre - label_band / 2 - male_width,
                y,
                male_width,
                bar_height,
                fillColor=MALE,
                strokeColor=None,
            )
        )
        drawing.add(
            Rect(
                centre + label_band / 2,
                y,
                female_width,
                bar_height,
                fillColor=FEMALE,
                strokeColor=None,
            )
        )
        baseline = y + (bar_height - size) / 2 + 1
        drawing.add(_label(centre, baseline, group, "middle", size))
        drawing.add(
            _label(
                centre - label_band / 2 - male_width - 2,
                baseline,
                angka(male[index]),
                "end",
                size - 1,
            )
        )
        drawing.add(
            _label(
                centre + label_band / 2 + female_width + 2,
                baseline,
                angka(female[index]),
                "start",
                size - 1,
            )
        )
    drawing.add(_label(centre, axis_band - 21, "jiwa", "middle", 6.5))
    if title:
        drawing.add(_label(centre, height - 10, title, "middle", 9, bold=True))
    _legend(
        drawing, [("Laki-laki", MALE), ("Perempuan", FEMALE)], centre - 60, height - top_band + 6
    )
    return drawing


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    width: float = 160 * mm,
    max_height: float = 110 * mm,
    title: str = "",
) -> Drawing:
    """Horizontal bars, one per category; several series are stacked (shown with a legend)."""
    register_fonts()
    gap, axis_band = 3.0, 24.0
    top_band = 30.0 if (title or len(series) > 1) else 8.0
    bar_height = _bar_height(len(categories), max_height, top_band + axis_band, gap)
    label_width = min(45 * mm, max(len(c) for c in categories) * 4.2 + 6) if categories else 20
    height = axis_band + len(categories) * (bar_height + gap) + top_band
    drawing = Drawing(width, height)
    totals = [sum(values[i] for _name, values in series) for i in range(len(categories))]
    ticks = _tick_values(max([*totals, 1]))
    plot_left, plot_width = label_width, width - label_width - 40
    scale = plot_width / ticks[-1]
    for tick in ticks:
        x = plot_left + tick * scale
        drawing.add(Line(x, axis_band, x, height - top_band, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(_label(x, axis_band - 10, angka(tick), "middle", 6.5))
    # first category at the top, as in the table
    for index, category in enumerate(categories):
        y = height - top_band - (index + 1) * (bar_height + gap) + gap / 2
        x = plot_left
        for (_name, values), colour in zip(series, SERIES_COLOURS, strict=False):
            drawing.add(
                Rect(x, y, values[index] * scale, bar_height, fillColor=colour, strokeColor=None)
            )
            x += values[index] * scale
        drawing.add(_label(plot_left - 3, y + 2.5, category, "end"))
        drawing.add(_label(x + 2, y + 2.5, angka(totals[index]), "start", 6.5))
    drawing.add(
        Line(plot_left, axis_band, plot_left, height - top_band, strokeColor=AXIS, strokeWidth=0.6)
    )
    if title:
        drawing.add(_label(width / 2, height - 10, title, "middle", 9, bold=True))
    if len(series) > 1:
        _legend(
            drawing,
            [(name, colour) for (name, _v), colour in zip(series, SERIES_COLOURS, strict=False)],
            plot_left,
            height - top_band + 6,
        )
    return drawing
