"""The manager's dashboard: step durations against the standard, open work, weekly intake, heat map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from engine import bpmn_info
from engine.clock import OFFICE_TZ, office_date
from engine.statistics import StepStat
from webkit.access import roles_required
from webkit.current import get_engine
from webkit.downloads import csv_response, csv_text

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


def _chart(weeks: list[tuple[date, int]]) -> dict:
    """Bar geometry for the server-drawn SVG of requests per week."""
    top = max((count for _, count in weeks), default=0) or 1
    width, height, gap = 24, 120, 4
    bars = [
        {
            "x": i * (width + gap),
            "height": round(count / top * height, 1),
            "count": count,
            "monday": monday,
        }
        for i, (monday, count) in enumerate(weeks)
    ]
    return {
        "bars": bars,
        "width": len(weeks) * (width + gap),
        "height": height,
        "bar": width,
        "top": top,
    }


def _heat(engine, definitions, process_id: str | None, steps: list[StepStat]) -> dict | None:
    versions = [d for d in definitions if d.process_id == process_id]
    if not versions:
        return None
    latest = max(versions, key=lambda d: d.version)
    heat = {
        s.element_id: {
            "median": round(s.median, 1),
            "p90": round(s.p90, 1),
            "count": s.count,
            "standard": s.standard,
            "level": s.level,
        }
        for s in steps
    }
    return {
        "xml": bpmn_info.deployed_xml(engine, process_id, latest.version),
        "heat": heat,
        "labels": {
            "failed": _("Diagram tidak dapat ditampilkan"),
            "minutes": _("menit"),
            "median": _("median"),
        },
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
    return render_template(
        "dashboard/index.html",
        period=period,
        steps=steps,
        work=work,
        chart=_chart(weeks),
        heat=_heat(engine, definitions, period.process, steps),
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
