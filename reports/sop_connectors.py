"""The symbols and arrows of the SOP flowchart on one page of the matrix.

Each step's symbol sits in its actor's column: a capsule where the process
really starts or ends, a diamond for a decision, a rectangle otherwise. Every
exit of a step is drawn: straight down to the next row, along a rail to a
step further on or back, as a labelled stub where a decision ends the
process, or to a numbered circle (an off-page connector naming the step it
continues at) when the other step is on another page. A decision's exits are
labelled with their flow names, or with letters (a, b, c...) explained in the
Keterangan column when the names are too long to sit on a line.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .bpmn_sop import Exit, SopStep
from .layout import FONT, FONT_BOLD

SYMBOL_W, SYMBOL_H = 13 * mm, 7.5 * mm
DIAMOND_W, DIAMOND_H = 12 * mm, 9.5 * mm
LABEL_SIZE = 6.0
MAX_LABEL_WIDTH = 20 * mm
CIRCLE_R = 2.2 * mm
RAIL_GAP, RAIL_STEP = 1.5 * mm, 1.0 * mm
#: where the k-th exit on one side leaves the symbol, as a fraction of its half height
SLOT_HEIGHTS = (0.0, 0.6, -0.6)
#: the room a numbered circle needs above or below a symbol
CIRCLE_SPACE = 2 * CIRCLE_R + 1 * mm


def exit_tags(step: SopStep) -> list[str]:
    """The labels drawn on a decision's exits: their names when short enough, else letters."""
    if step.symbol != "decision":
        return ["" for _exit in step.exits]
    labels = [e.label for e in step.exits]
    if all(stringWidth(label, FONT, LABEL_SIZE) <= MAX_LABEL_WIDTH for label in labels):
        return labels
    return [chr(ord("a") + i) for i in range(len(labels))]


@dataclass
class Placement:
    """Where one step's symbol sits on the page."""

    step: SopStep
    x: float
    y: float
    row_top: float
    row_bottom: float
    column_width: float = 24 * mm

    @property
    def half_w(self) -> float:
        """Half the symbol's width: narrower in narrow columns (many actors), with 2 mm to spare."""
        full = DIAMOND_W if self.step.symbol == "decision" else SYMBOL_W
        return min(full, self.column_width - 4 * mm) / 2

    @property
    def half_h(self) -> float:
        return (DIAMOND_H if self.step.symbol == "decision" else SYMBOL_H) / 2

    @staticmethod
    def label_dy(slot: int) -> float:
        """Labels sit above an exit leaving at or above the middle, below one leaving lower."""
        return 0.7 * mm if SLOT_HEIGHTS[min(slot, len(SLOT_HEIGHTS) - 1)] >= 0 else -2.4 * mm

    def side_point(self, side: int, slot: int) -> tuple[float, float]:
        """The point on the left (-1) or right (+1) edge where the ``slot``-th exit leaves."""
        fraction = SLOT_HEIGHTS[min(slot, len(SLOT_HEIGHTS) - 1)]
        dy = fraction * self.half_h
        inset = abs(fraction) * self.half_w if self.step.symbol == "decision" else 0.0
        return self.x + side * (self.half_w - inset), self.y + dy


class FlowDrawing:
    def __init__(
        self,
        canvas: Canvas,
        placements: list[Placement],
        every_step: list[SopStep],
        roles_right: float,
    ):
        self.canv = canvas
        self.roles_right = roles_right  # where the actors' columns end
        self.at = {p.step.number: p for p in placements}
        self.placements = placements
        self.every_step = every_step
        self.rails = 0

    def draw(self) -> None:
        self.canv.setStrokeColorRGB(0, 0, 0)
        self.canv.setFillColorRGB(0, 0, 0)
        for place in self.placements:
            slots = {1: 0, -1: 0}
            for exit_, tag in zip(place.step.exits, exit_tags(place.step), strict=True):
                self._exit(place, exit_, tag, slots)
        for place in self.placements:
            self._incoming_from_elsewhere(place)
        for place in self.placements:
            self._symbol(place)

    # -- exits ---------------------------------------------------------------------------------
    def _exit(self, place: Placement, exit_: Exit, tag: str, slots: dict[int, int]) -> None:
        number = place.step.number
        if exit_.target == number + 1:
            if exit_.target in self.at:
                self._down(place, self.at[exit_.target], tag)
            else:
                self._down_off_page(place, exit_.target, tag)
            return
        if exit_.target is None:
            if place.step.symbol == "decision":
                self._end_stub(place, self._side(slots, self._roomy(place)), slots, tag)
            return
        target = self.at.get(exit_.target)
        if target is None:
            side = self._side(slots, self._roomy(place))
            self._side_off_page(place, side, slots, exit_.target, tag)
            return
        side = 1 if target.x > place.x else -1
        if target.x == place.x:
            side = self._roomy(place)
        self._rail(place, target, side, slots[side], tag)
        slots[side] += 1

    def _roomy(self, place: Placement) -> int:
        """The right (1), unless the step is in the last actor's column: then the left (-1)."""
        return 1 if place.x + place.half_w + 8 * mm < self.roles_right else -1

    @staticmethod
    def _side(slots: dict[int, int], preferred: int) -> int:
        return preferred if slots[preferred] <= slots[-preferred] else -preferred

    def _down(self, source: Placement, target: Placement, tag: str) -> None:
        start_y, end_y = source.y - source.half_h, target.y + target.half_h
        turn = source.row_bottom - 2.5 * mm
        points = (
            [(source.x, start_y), (target.x, end_y)]
            if source.x == target.x
            else [(source.x, start_y), (source.x, turn), (target.x, turn), (target.x, end_y)]
        )
        self._polyline(points)
        self._arrow_head(target.x, end_y, "down")
        self._label(source.x + 1 * mm, max(start_y - 2.2 * mm, source.row_bottom + 0.4 * mm), tag)

    def _down_off_page(self, source: Placement, number: int, tag: str) -> None:
        circle_y = source.row_bottom + CIRCLE_R + 0.3 * mm
        self._polyline([(source.x, source.y - source.half_h), (source.x, circle_y + CIRCLE_R)])
        self._circle(source.x, circle_y, number)
        self._label(source.x + 1 * mm, source.y - source.half_h - 2.8 * mm, tag)

    def _end_stub(self, place: Placement, side: int, slots: dict[int, int], tag: str) -> None:
        slot = slots[side]
        x, y = place.side_point(side, slot)
        slots[side] += 1
        end_x = x + side * 5 * mm
        self._polyline([(x, y), (end_x, y)])
        self._arrow_head(end_x, y, "right" if side > 0 else "left")
        self._label(x + side * 0.6 * mm, y + Placement.label_dy(slot), tag, side)

    def _side_off_page(
        self, place: Placement, side: int, slots: dict[int, int], number: int, tag: str
    ) -> None:
        slot = slots[side]
        x, y = place.side_point(side, slot)
        slots[side] += 1
        room = stringWidth(tag, FONT, LABEL_SIZE) + 1.5 * mm if tag else 0.0
        centre = x + side * (max(4 * mm, room) + CIRCLE_R)
        self._polyline([(x, y), (centre - side * CIRCLE_R, y)])
        self._arrow_head(centre - side * CIRCLE_R, y, "right" if side > 0 else "left")
        self._circle(centre, y, number)
        self._label(x + side * 0.6 * mm, y + Placement.label_dy(slot), tag, side)

    def _rail(self, source: Placement, target: Placement, side: int, slot: int, tag: str) -> None:
        x, y = source.side_point(side, slot)
        offset = RAIL_GAP + (self.rails % 4) * RAIL_STEP
        self.rails += 1
        if target.x == source.x:
            rail = source.x + side * (max(source.half_w, target.half_w) + offset)
            entry = target.x + side * target.half_w
        else:
            rail = target.x - side * (target.half_w + offset)
            entry = target.x - side * target.half_w
        self._polyline([(x, y), (rail, y), (rail, target.y), (entry, target.y)])
        self._arrow_head(entry, target.y, "left" if rail > entry else "right")
        self._label(x + side * 0.6 * mm, y + Placement.label_dy(slot), tag, side)

    def _incoming_from_elsewhere(self, place: Placement) -> None:
        """Numbered circles above a step where arrows come from steps on other pages."""
        number = place.step.number
        sources = [
            s.number
            for s in self.every_step
            for e in s.exits
            if e.target == number and s.number not in self.at
        ]
        previous = self.at.get(number - 1)
        centre_taken = number - 1 in sources or (
            previous is not None and any(e.target == number for e in previous.step.exits)
        )
        if number - 1 in sources:  # one circle stands for every arrow from elsewhere
            self._circle_into(place, place.x, number)
        elif sources:
            offset = place.half_w - CIRCLE_R if centre_taken else 0.0
            self._circle_into(place, place.x - offset, number)

    def _circle_into(self, place: Placement, x: float, number: int) -> None:
        circle_y = place.row_top - CIRCLE_R - 0.4 * mm
        self._circle(x, circle_y, number)
        edge = place.y + place.half_h
        if place.step.symbol == "decision":
            edge -= place.half_h * abs(x - place.x) / place.half_w
        self._polyline([(x, circle_y - CIRCLE_R), (x, edge)])
        self._arrow_head(x, edge, "down")

    # -- primitives ------------------------------------------------------------------------------
    def _symbol(self, place: Placement) -> None:
        canv, x, y = self.canv, place.x, place.y
        canv.setFillColorRGB(1, 1, 1)
        canv.setLineWidth(0.9)
        w, h = place.half_w, place.half_h
        if place.step.symbol == "decision":
            path = canv.beginPath()
            path.moveTo(x, y + h)
            path.lineTo(x + w, y)
            path.lineTo(x, y - h)
            path.lineTo(x - w, y)
            path.close()
            canv.drawPath(path, stroke=1, fill=1)
        elif place.step.symbol in ("start", "end"):
            canv.roundRect(x - w, y - h, 2 * w, 2 * h, h, stroke=1, fill=1)
        else:
            canv.rect(x - w, y - h, 2 * w, 2 * h, stroke=1, fill=1)
        canv.setFillColorRGB(0, 0, 0)

    def _arrow_head(self, x: float, y: float, direction: str) -> None:
        size = 1.6 * mm
        dx, dy = {"down": (0, -1), "up": (0, 1), "left": (-1, 0), "right": (1, 0)}[direction]
        path = self.canv.beginPath()
        path.moveTo(x, y)
        path.lineTo(x - dx * size - dy * size / 2, y - dy * size - dx * size / 2)
        path.lineTo(x - dx * size + dy * size / 2, y - dy * size + dx * size / 2)
        path.close()
        self.canv.drawPath(path, stroke=0, fill=1)

    def _polyline(self, points: list[tuple[float, float]]) -> None:
        self.canv.setLineWidth(0.8)
        path = self.canv.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        self.canv.drawPath(path, stroke=1, fill=0)

    def _circle(self, x: float, y: float, number: int) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.setFillColorRGB(1, 1, 1)
        self.canv.circle(x, y, CIRCLE_R, stroke=1, fill=1)
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.setFont(FONT_BOLD, 7 if number < 10 else 6)
        self.canv.drawCentredString(x, y - 2.2, str(number))

    def _label(self, x: float, y: float, label: str, side: int = 1) -> None:
        if not label:
            return
        width = stringWidth(label, FONT, LABEL_SIZE)
        left = x if side > 0 else x - width
        self.canv.setFillColorRGB(1, 1, 1)  # a white ground keeps the label readable over lines
        self.canv.rect(left - 0.3, y - 1.6, width + 0.6, LABEL_SIZE + 0.6, stroke=0, fill=1)
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.setFont(FONT, LABEL_SIZE)
        self.canv.drawString(left, y, label)
