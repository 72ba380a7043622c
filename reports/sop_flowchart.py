"""The SOP's flowchart table (Permenpan-RB 35/2012): one row per step, one column per role.

Each step's symbol (terminator, process, decision) sits in its actor's column
and is connected to the next step's symbol across columns; a decision's
other branch loops back to its target step or ends with a labelled stub.
The mutu baku columns (kelengkapan, waktu, output) and remarks follow. The
flowable splits between rows, the header row repeated, with numbered
off-page connectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from .bpmn_sop import SopModel, SopStep
from .formatting import menit
from .layout import FONT, FONT_BOLD, GRID_GREY, HEADER_FILL, TOTAL_FILL, esc, markup, text

PAD = 1.6 * mm
MIN_ROW = 14.5 * mm
HEADER_TOP, HEADER_BOTTOM = 7 * mm, 10 * mm
SYMBOL_W, SYMBOL_H = 15 * mm, 7.5 * mm
DIAMOND_W, DIAMOND_H = 12 * mm, 9.5 * mm
FIXED = {"no": 8 * mm, "inputs": 30 * mm, "time": 15 * mm, "output": 28 * mm, "remarks": 32 * mm}


@dataclass
class _Columns:
    x: dict[str, float]
    width: dict[str, float]
    roles: list[str]

    def role_centre(self, role: str) -> float:
        return self.x[f"role:{role}"] + self.width[f"role:{role}"] / 2


def remarks(step: SopStep) -> str:
    if step.symbol != "decision":
        return ""
    lines = (
        [f"{step.forward_label or 'Ya'}: lanjut ke langkah {step.number + 1}"]
        if step.forward_label
        else []
    )
    lines += [f"{b.label}: {b.description}" for b in step.branches]
    return ". ".join(lines) + "."


def _layout(roles: list[str], width: float) -> _Columns:
    role_width = max(
        16 * mm, min(24 * mm, (width - sum(FIXED.values()) - 50 * mm) / max(len(roles), 1))
    )
    activity = width - sum(FIXED.values()) - role_width * len(roles)
    order = [
        ("no", FIXED["no"]),
        ("activity", activity),
        *[(f"role:{r}", role_width) for r in roles],
        ("inputs", FIXED["inputs"]),
        ("time", FIXED["time"]),
        ("output", FIXED["output"]),
        ("remarks", FIXED["remarks"]),
    ]
    x, positions, widths = 0.0, {}, {}
    for key, size in order:
        positions[key], widths[key] = x, size
        x += size
    return _Columns(positions, widths, roles)


class SopFlowchart(Flowable):
    def __init__(
        self,
        model: SopModel,
        width: float,
        steps: list[SopStep] | None = None,
        continued_from: bool = False,
        with_total: bool = True,
    ):
        super().__init__()
        self.model, self.width = model, width
        self.steps = list(model.steps if steps is None else steps)
        self.continued_from, self.with_total = continued_from, with_total
        self.columns = _layout(model.roles, width)
        self._cells = {s.number: self._row_cells(s) for s in self.steps}
        self.row_heights = [self._row_height(s) for s in self.steps]
        self.total_height = 8 * mm if with_total else 0
        self.height = HEADER_TOP + HEADER_BOTTOM + sum(self.row_heights) + self.total_height

    # -- sizes -------------------------------------------------------------------------------------
    def _row_cells(self, step: SopStep) -> dict[str, Paragraph]:
        return {
            "no": text(f"{step.number}.", "small_center"),
            "activity": text(step.name, "small"),
            "inputs": text(step.inputs, "small"),
            "time": text(menit(step.minutes), "small_center"),
            "output": text(step.output, "small"),
            "remarks": text(remarks(step) or " ", "small"),
        }

    def _row_height(self, step: SopStep) -> float:
        tallest = max(
            p.wrap(self.columns.width[k] - 2 * PAD, 1000)[1]
            for k, p in self._cells[step.number].items()
        )
        return max(MIN_ROW, tallest + 2 * PAD)

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def split(self, available_width, available_height):
        if self.height <= available_height:
            return []
        used, count = HEADER_TOP + HEADER_BOTTOM, 0
        for height in self.row_heights:
            if used + height > available_height:
                break
            used, count = used + height, count + 1
        if count == 0:
            return []
        head = SopFlowchart(
            self.model, self.width, self.steps[:count], self.continued_from, with_total=False
        )
        tail = SopFlowchart(self.model, self.width, self.steps[count:], True, self.with_total)
        return [head, tail]

    # -- drawing -----------------------------------------------------------------------------------
    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(GRID_GREY)
        canv.setLineWidth(0.5)
        self._draw_header()
        tops = self._draw_rows()
        self._draw_flow(tops)
        if self.with_total:
            self._draw_total()
        canv.restoreState()

    def _cell_text(
        self, paragraph: Paragraph, key: str, top: float, height: float, centre: bool = False
    ) -> None:
        width = self.columns.width[key] - 2 * PAD
        _w, used = paragraph.wrap(width, height)
        y = top - (height + used) / 2 if centre else top - PAD - used
        paragraph.drawOn(self.canv, self.columns.x[key] + PAD, y)

    def _draw_header(self) -> None:
        canv, cols, top = self.canv, self.columns, self.height
        total = HEADER_TOP + HEADER_BOTTOM
        canv.setFillColor(HEADER_FILL)
        canv.rect(0, top - total, self.width, total, stroke=1, fill=1)
        canv.setFillColorRGB(0, 0, 0)
        first_role, last_role = f"role:{cols.roles[0]}", f"role:{cols.roles[-1]}"
        role_left, role_right = cols.x[first_role], cols.x[last_role] + cols.width[last_role]
        canv.line(role_left, top - HEADER_TOP, role_right, top - HEADER_TOP)
        canv.line(cols.x["inputs"], top - HEADER_TOP, cols.x["remarks"], top - HEADER_TOP)
        for key in ("activity", first_role, "inputs", "remarks"):
            canv.line(cols.x[key], top, cols.x[key], top - total)
        for key in [*(f"role:{r}" for r in cols.roles[1:]), "time", "output"]:
            canv.line(cols.x[key], top - HEADER_TOP, cols.x[key], top - total)
        spans = [
            ("No.", 0, cols.x["activity"], total),
            ("Kegiatan", cols.x["activity"], role_left, total),
            ("Pelaksana", role_left, role_right, HEADER_TOP),
            ("Mutu Baku", cols.x["inputs"], cols.x["remarks"], HEADER_TOP),
            ("Ket.", cols.x["remarks"], self.width, total),
        ]
        for label, left, right, height in spans:
            self._centred_label(label, left, right, top, height)
        lower = [(r, f"role:{r}") for r in cols.roles] + [
            ("Kelengkapan", "inputs"),
            ("Waktu", "time"),
            ("Output", "output"),
        ]
        for label, key in lower:
            self._centred_label(
                label, cols.x[key], cols.x[key] + cols.width[key], top - HEADER_TOP, HEADER_BOTTOM
            )

    def _centred_label(
        self, label: str, left: float, right: float, top: float, height: float
    ) -> None:
        paragraph = markup(f"<b>{esc(label)}</b>", "small_bold_center")
        _w, used = paragraph.wrap(right - left - 2, height)
        paragraph.drawOn(self.canv, left + 1, top - (height + used) / 2)

    def _draw_rows(self) -> list[float]:
        canv, cols = self.canv, self.columns
        top = self.height - HEADER_TOP - HEADER_BOTTOM
        tops = []
        for step, height in zip(self.steps, self.row_heights, strict=True):
            tops.append(top)
            canv.rect(0, top - height, self.width, height, stroke=1, fill=0)
            for key in cols.x:
                if key != "no":
                    canv.line(cols.x[key], top, cols.x[key], top - height)
            cells = self._cells[step.number]
            for key in ("no", "activity", "inputs", "output", "remarks"):
                self._cell_text(cells[key], key, top, height)
            self._cell_text(cells["time"], "time", top, height, centre=True)
            top -= height
        return tops

    def _draw_total(self) -> None:
        canv, cols = self.canv, self.columns
        height = self.total_height
        canv.setFillColor(TOTAL_FILL)
        canv.rect(0, 0, self.width, height, stroke=1, fill=1)
        canv.setFillColorRGB(0, 0, 0)
        for key in ("time", "output"):
            canv.line(cols.x[key], 0, cols.x[key], height)
        canv.setFont(FONT_BOLD, 8.5)
        canv.drawRightString(cols.x["time"] - PAD, height / 2 - 3, "Jumlah waktu penyelesaian")
        canv.drawCentredString(
            cols.x["time"] + cols.width["time"] / 2, height / 2 - 3, menit(self.model.total_minutes)
        )

    # -- symbols and connectors ----------------------------------------------------------------------
    def _centre(self, step: SopStep, tops: list[float]) -> tuple[float, float]:
        index = self.steps.index(step)
        return self.columns.role_centre(step.role), tops[index] - self.row_heights[index] / 2

    @staticmethod
    def _half_height(step: SopStep) -> float:
        return (DIAMOND_H if step.symbol == "decision" else SYMBOL_H) / 2

    def _half_width(self, step: SopStep) -> float:
        return (DIAMOND_W if step.symbol == "decision" else SYMBOL_W) / 2

    def _draw_flow(self, tops: list[float]) -> None:
        for index, step in enumerate(self.steps):
            x, y = self._centre(step, tops)
            if index + 1 < len(self.steps):
                self._connect(step, self.steps[index + 1], tops)
            elif step.number < len(self.model.steps):
                self._off_page(
                    x,
                    y - self._half_height(step),
                    tops[index] - self.row_heights[index] + 1.5 * mm,
                    step.number + 1,
                    outgoing=True,
                )
            if index == 0 and self.continued_from:
                self._off_page(
                    x, y + self._half_height(step), tops[0] - 1.5 * mm, step.number, outgoing=False
                )
            for branch in step.branches:
                self._branch(step, branch, tops)
        for step in self.steps:
            self._symbol(step, *self._centre(step, tops))

    def _symbol(self, step: SopStep, x: float, y: float) -> None:
        canv = self.canv
        canv.setFillColorRGB(1, 1, 1)
        canv.setStrokeColorRGB(0, 0, 0)
        canv.setLineWidth(0.9)
        if step.symbol == "decision":
            w, h = DIAMOND_W / 2, DIAMOND_H / 2
            path = canv.beginPath()
            path.moveTo(x, y + h)
            path.lineTo(x + w, y)
            path.lineTo(x, y - h)
            path.lineTo(x - w, y)
            path.close()
            canv.drawPath(path, stroke=1, fill=1)
        elif step.symbol in ("start", "end"):
            canv.roundRect(
                x - SYMBOL_W / 2,
                y - SYMBOL_H / 2,
                SYMBOL_W,
                SYMBOL_H,
                SYMBOL_H / 2,
                stroke=1,
                fill=1,
            )
        else:
            canv.rect(x - SYMBOL_W / 2, y - SYMBOL_H / 2, SYMBOL_W, SYMBOL_H, stroke=1, fill=1)
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

    def _connect(self, source: SopStep, target: SopStep, tops: list[float]) -> None:
        x1, y1 = self._centre(source, tops)
        x2, y2 = self._centre(target, tops)
        start_y, end_y = y1 - self._half_height(source), y2 + self._half_height(target)
        turn = self.row_bottom(source, tops) - 2.5 * mm
        points = (
            [(x1, start_y), (x2, end_y)]
            if x1 == x2
            else [(x1, start_y), (x1, turn), (x2, turn), (x2, end_y)]
        )
        self._polyline(points)
        self._arrow_head(x2, end_y, "down")
        if source.symbol == "decision" and source.forward_label:
            self._small_label(x1 + 1 * mm, start_y - 3 * mm, source.forward_label)

    def row_bottom(self, step: SopStep, tops: list[float]) -> float:
        index = self.steps.index(step)
        return tops[index] - self.row_heights[index]

    def _branch(self, step: SopStep, branch, tops: list[float]) -> None:
        x, y = self._centre(step, tops)
        target = next((s for s in self.steps if s.number == branch.target_step), None)
        if target is None:
            end_x = x + DIAMOND_W / 2 + 6 * mm
            self._polyline([(x + DIAMOND_W / 2, y), (end_x, y)])
            self._arrow_head(end_x, y, "right")
            self._small_label(x + DIAMOND_W / 2 + 0.5 * mm, y + 1.2 * mm, branch.label)
            return
        tx, ty = self._centre(target, tops)
        side = 1 if tx >= x else -1
        rail = (
            tx + side * (self._half_width(target) + 4 * mm)
            if tx != x
            else x + DIAMOND_W / 2 + 5 * mm
        )
        target_edge = tx + (side if tx != x else 1) * self._half_width(target)
        self._polyline([(x + side * DIAMOND_W / 2, y), (rail, y), (rail, ty), (target_edge, ty)])
        self._arrow_head(target_edge, ty, "left" if (side > 0 or tx == x) else "right")
        self._small_label(
            x + side * (DIAMOND_W / 2 + 0.5 * mm),
            y + 1.2 * mm,
            branch.label,
            anchor="start" if side > 0 else "end",
        )

    def _small_label(self, x: float, y: float, label: str, anchor: str = "start") -> None:
        self.canv.setFont(FONT, 6.5)
        (self.canv.drawString if anchor == "start" else self.canv.drawRightString)(x, y, label)

    def _off_page(
        self, x: float, symbol_edge: float, circle_y: float, number: int, outgoing: bool
    ) -> None:
        radius = 2.2 * mm
        if outgoing:
            self._polyline([(x, symbol_edge), (x, circle_y + radius)])
        else:
            self._polyline([(x, circle_y - radius), (x, symbol_edge)])
            self._arrow_head(x, symbol_edge, "down")
        self.canv.setFillColorRGB(1, 1, 1)
        self.canv.circle(x, circle_y, radius, stroke=1, fill=1)
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.setFont(FONT_BOLD, 7)
        self.canv.drawCentredString(x, circle_y - 2.4, str(number))
