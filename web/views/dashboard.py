"""The manager's dashboard: step durations against the standard, open work, weekly intake, heat map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from engine import bpmn_info
from engine.clock import OFFICE_TZ, office_date
from webkit.access import roles_required
from webkit.current import get_engine
from webkit.downloads import csv_response, csv_text

from ..dashboard_view import HeatCell, heat_cells, heat_overlays, weekly_chart
from ..queryargs import parse_day

bp = Blueprint("dashboard", __name__, url_prefix="/dasbor")
managers_only = roles_required("manajer")
DEFAULT_DAYS = 90
WEEKS = 26


@dataclass
class Period:
    process: str | None
    start: date
    end: date

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, OFFICE_TZ)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, OFFICE_TZ)


def _period(engine, definitions) -> Period:
    today = office_date(engine.clock())
    known = {d.process_id for d in definitions}
    chosen = request.args.get("proses")
    process = chosen if chosen in known else _busiest_process(engine, known)
    end = parse_day(request.args.get("sampai")) or today
    start = parse_day(request.args.get("dari")) or end - timedelta(days=DEFAULT_DAYS)
    return Period(process, min(start, end), max(start, end))


def _busiest_process(engine, known: set[str]) -> str | None:
    """The default: the deployed process with the most requests."""
    counts = engine.statistics.instances_per_process()
    return max(sorted(known), key=lambda pid: counts.get(pid, 0), default=None)


def _heat(engine, definitions, process_id: str | None, cells: list[HeatCell]) -> dict | None:
    """The diagram viewer's config: the latest version's XML and an overlay per step."""
    versions = [d for d in definitions if d.process_id == process_id]
    if not versions:
        return None
    latest = max(versions, key=lambda d: d.version)
    return {
        "xml": bpmn_info.deployed_xml(engine, process_id, latest.version),
        "heat": heat_overlays(cells),
        "labels": {"failed": _("Diagram tidak dapat ditampilkan")},
    }


@bp.get("/")
@managers_only
def index():
    engine = get_engine()
    definitions = engine.list_definitions()
    period = _period(engine, definitions)
    steps = engine.statistics.step_stats(period.process, period.since, period.until)
    work = engine.statistics.open_work(period.process, engine.clock())
    weeks = engine.statistics.weekly_requests(period.process, WEEKS, period.end)
    processes = {d.process_id: d.name for d in definitions}
    cells = heat_cells(steps)
    return render_template(
        "dashboard/index.html",
        period=period,
        steps=steps,
        cells=cells,
        work=work,
        chart=weekly_chart(weeks, office_date(engine.clock())),
        heat=_heat(engine, definitions, period.process, cells),
        processes=processes,
        role_labels=engine.accounts.role_labels(),
    )


@bp.get("/langkah.csv")
@managers_only
def steps_csv():
    engine = get_engine()
    period = _period(engine, engine.list_definitions())
    steps = engine.statistics.step_stats(period.process, period.since, period.until)
    header = [
        "process_id",
        "element_id",
        "langkah_sop",
        "nama",
        "jumlah",
        "median_menit",
        "p90_menit",
        "waktu_baku_menit",
        "persen_dalam_waktu_baku",
    ]
    rows = [
        [
            s.process_id,
            s.element_id,
            s.sop_step or "",
            s.name,
            s.count,
            f"{s.median:.1f}",
            f"{s.p90:.1f}",
            "" if s.standard is None else f"{s.standard:g}",
            "" if s.within is None else f"{s.within * 100:.1f}",
        ]
        for s in steps
    ]
    filename = f"durasi-langkah-{period.process}-{period.start}-{period.end}.csv"
    return csv_response(csv_text(header, rows), filename)
