"""The SOP's flowchart matrix (Permenpan-RB 35/2012): one row per step, one column per role.

The rows come in the steps' numbers; each step's symbol sits in its actor's
column with its exits drawn by ``reports.sop_connectors``. The mutu baku
columns (kelengkapan, waktu, output) and the remarks (where each decision and
jump leads) follow. The flowable splits between rows so every page is filled,
the header row repeated on each page; the total completion time closes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from .bpmn_sop import SopModel, SopStep
from .formatting import menit
from .layout import FONT_BOLD, GRID_GREY, HEADER_FILL, TOTAL_FILL, esc, markup, text
from .sop_connectors import CIRCLE_SPACE, FlowDrawing, Placement, exit_tags

PAD = 1.6 * mm
MIN_ROW = 14.5 * mm
HEADER_TOP, HEADER_BOTTOM = 7 * mm, 10 * mm
HEADER = HEADER_TOP + HEADER_BOTTOM
TOTAL_ROW = 8 * mm
HEADER_SIZE = 8.5  # points; a narrow actor's column shrinks its name to keep words whole
FIXED = {"no": 8 * mm, "inputs": 30 * mm, "time": 15 * mm, "output": 28 * mm, "remarks": 34 * mm}
#: about 25 lines in the narrowest column: a row stays well under a landscape page
MAX_CELL_CHARS = 550
TEXT_COLUMNS = ("no", "activity", "inputs", "output", "remarks")


def _clipped(value: str) -> str:
    """A cell's text, cut short so that one row always fits on a page."""
    return value if len(value) <= MAX_CELL_CHARS else value[: MAX_CELL_CHARS - 1].rstrip() + "…"


def remarks(step: SopStep) -> str:
    return step.remarks(exit_tags(step))


@dataclass
class _Columns:
    x: dict[str, float]
    width: dict[str, float]
    roles: list[str]

    def role_centre(self, role: str) -> float:
        return self.x[f"role:{role}"] + self.width[f"role:{role}"] / 2


def _layout(roles: list[str], width: float) -> _Columns:
    # 50 mm kept for the activity; past six actors the columns narrow down to 12 mm
    role_width = max(
        12 * mm, min(24 * mm, (width - sum(FIXED.values()) - 50 * mm) / max(len(roles), 1))
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
    """The matrix, or (after a split) the rows of one page of it."""

    def __init__(
        self,
        model: SopModel,
        width: float,
        steps: list[SopStep] | None = None,
        with_total: bool = True,
        measured: dict[int, tuple[dict[str, Paragraph], float]] | None = None,
    ):
        super().__init__()
        self.model, self.width = model, width
        self.steps = list(model.steps if steps is None else steps)
        self.with_total = with_total
        self.columns = _layout(model.roles, width)
        #: each row's cells and height without circles, made once and shared by the pages
        self.measured = measured if measured is not None else {}
        for step in self.steps:
            if step.number not in self.measured:
                cells = self._row_cells(step)
                self.measured[step.number] = (cells, self._row_height(step, cells))
        self._cells = {s.number: self.measured[s.number][0] for s in self.steps}
        self.base_heights = [self.measured[s.number][1] for s in self.steps]
        self.top_room = self._circle_above(self.steps[0]) if self.steps else 0.0
        continues = bool(self.steps) and self.steps[-1] is not model.steps[-1]
        self.bottom_room = self._circle_below(self.steps[-1]) if continues else 0.0
        self.row_heights = list(self.base_heights)
        if self.steps:
            self.row_heights[0] += self.top_room
            self.row_heights[-1] += self.bottom_room
        self.total_height = TOTAL_ROW if with_total else 0
        self.height = HEADER + sum(self.row_heights) + self.total_height

    # -- sizes -------------------------------------------------------------------------------------
    def _row_cells(self, step: SopStep) -> dict[str, Paragraph]:
        return {
            "no": text(f"{step.number}.", "small_center"),
            "activity": text(_clipped(step.name), "small"),
            "inputs": text(_clipped(step.inputs), "small"),
            "time": text(menit(step.minutes), "small_center"),
            "output": text(_clipped(step.output), "small"),
            "remarks": text(_clipped(remarks(step)) or " ", "small"),
        }

    def _row_height(self, step: SopStep, cells: dict[str, Paragraph]) -> float:
        tallest = max(p.wrap(self.columns.width[k] - 2 * PAD, 1000)[1] for k, p in cells.items())
        room = CIRCLE_SPACE if self._jumped_to(step) else 0.0
        return max(MIN_ROW + room, tallest + 2 * PAD)

    def _circle_above(self, first: SopStep) -> float:
        """Room for the circle of an arrow from the step before, when it is on another page."""
        before = [s for s in self.model.steps if s.number == first.number - 1]
        comes = any(e.target == first.number for s in before for e in s.exits)
        return CIRCLE_SPACE if comes and first is not self.model.steps[0] else 0.0

    def _jumped_to(self, step: SopStep) -> bool:
        """Whether a step other than the one before leads here (its circle may be needed)."""
        return any(
            e.target == step.number
            for s in self.model.steps
            if s.number != step.number - 1
            for e in s.exits
        )

    def _circle_below(self, last: SopStep) -> float:
        """Room for the circle of an arrow to the next step, should it be on the next page."""
        numbers = {s.number for s in self.model.steps}
        goes = any(e.target == last.number + 1 for e in last.exits)
        return CIRCLE_SPACE if goes and last.number + 1 in numbers else 0.0

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def split(self, available_width, available_height):
        """As many rows as fit under the header on this page; the rest (header again) after."""
        if self.height <= available_height:
            return []
        used, count = HEADER + self.top_room, 0
        for index, height in enumerate(self.base_heights[:-1]):
            below = self._circle_below(self.steps[index])
            if used + height + below > available_height:
                break
            used, count = used + height, count + 1
        if count == 0:
            return []
        head = SopFlowchart(self.model, self.width, self.steps[:count], False, self.measured)
        tail = SopFlowchart(
            self.model, self.width, self.steps[count:], self.with_total, self.measured
        )
        return [head, tail]

    # -- drawing -----------------------------------------------------------------------------------
    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(GRID_GREY)
        canv.setLineWidth(0.5)
        self._draw_header()
        placements = self._draw_rows()
        if self.with_total:
            self._draw_total()
        FlowDrawing(canv, placements, self.model.steps, self.columns.x["inputs"]).draw()
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
        canv.setFillColor(HEADER_FILL)
        canv.rect(0, top - HEADER, self.width, HEADER, stroke=1, fill=1)
        canv.setFillColorRGB(0, 0, 0)
        first_role, last_role = f"role:{cols.roles[0]}", f"role:{cols.roles[-1]}"
        role_left, role_right = cols.x[first_role], cols.x[last_role] + cols.width[last_role]
        canv.line(role_left, top - HEADER_TOP, role_right, top - HEADER_TOP)
        canv.line(cols.x["inputs"], top - HEADER_TOP, cols.x["remarks"], top - HEADER_TOP)
        for key in ("activity", first_role, "inputs", "remarks"):
            canv.line(cols.x[key], top, cols.x[key], top - HEADER)
        for key in [*(f"role:{r}" for r in cols.roles[1:]), "time", "output"]:
            canv.line(cols.x[key], top - HEADER_TOP, cols.x[key], top - HEADER)
        spans = [
            ("No.", 0, cols.x["activity"], HEADER),
            ("Kegiatan", cols.x["activity"], role_left, HEADER),
            ("Pelaksana", role_left, role_right, HEADER_TOP),
            ("Mutu Baku", cols.x["inputs"], cols.x["remarks"], HEADER_TOP),
            ("Ket.", cols.x["remarks"], self.width, HEADER),
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
        widest = max(stringWidth(word, FONT_BOLD, HEADER_SIZE) for word in label.split())
        size = max(5.5, min(HEADER_SIZE, HEADER_SIZE * (right - left - 3) / widest))
        paragraph = markup(
            f'<font size="{size:.1f}"><b>{esc(label)}</b></font>', "small_bold_center"
        )
        _w, used = paragraph.wrap(right - left - 2, height)
        paragraph.drawOn(self.canv, left + 1, top - (height + used) / 2)

    def _draw_rows(self) -> list[Placement]:
        canv, cols = self.canv, self.columns
        top = self.height - HEADER
        placements = []
        for step, height in zip(self.steps, self.row_heights, strict=True):
            canv.rect(0, top - height, self.width, height, stroke=1, fill=0)
            for key in cols.x:
                if key != "no":
                    canv.line(cols.x[key], top, cols.x[key], top - height)
            cells = self._cells[step.number]
            for key in TEXT_COLUMNS:
                self._cell_text(cells[key], key, top, height)
            self._cell_text(cells["time"], "time", top, height, centre=True)
            x = cols.role_centre(step.role)
            above = self.top_room if step is self.steps[0] else 0.0
            above = max(above, CIRCLE_SPACE if self._jumped_to(step) else 0.0)
            below = self.bottom_room if step is self.steps[-1] else 0.0
            middle = (top - above + top - height + below) / 2
            column = cols.width[f"role:{step.role}"]
            placements.append(Placement(step, x, middle, top, top - height, column))
            top -= height
        return placements

    def _draw_total(self) -> None:
        canv, cols = self.canv, self.columns
        height = self.total_height
        canv.setFillColor(TOTAL_FILL)
        canv.rect(0, 0, self.width, height, stroke=1, fill=1)
        canv.setFillColorRGB(0, 0, 0)
        for key in ("time", "output"):
            canv.line(cols.x[key], 0, cols.x[key], height)
        canv.setFont(FONT_BOLD, 8.5)
        label = "Jumlah waktu penyelesaian"
        if self.model.branches:
            label += " (jalur terpanjang)"
        canv.drawRightString(cols.x["time"] - PAD, height / 2 - 3, label)
        canv.drawCentredString(
            cols.x["time"] + cols.width["time"] / 2, height / 2 - 3, menit(self.model.total_minutes)
        )
