"""Reading list filters from a page's query string (a bad value falls back to none, never an error)."""

from __future__ import annotations

from datetime import date

from engine.inbox import InboxFilters
from engine.instance_search import STATUSES, InstanceFilters


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def inbox_filters(args) -> InboxFilters:
    return InboxFilters(
        process=args.get("proses") or None,
        step=args.get("langkah") or None,
        role=args.get("peran") or None,
        overdue=args.get("terlambat") == "1",
        ready_from=parse_day(args.get("dari")),
        ready_to=parse_day(args.get("sampai")),
        search=(args.get("q") or "").strip()[:100],
        page=max(parse_int(args.get("halaman"), 1), 1),
    )


def instance_filters(args) -> InstanceFilters:
    status = args.get("status")
    return InstanceFilters(
        process=args.get("proses") or None,
        status=status if status in STATUSES else None,
        search=(args.get("q") or "").strip()[:100],
        started_from=parse_day(args.get("dari")),
        started_to=parse_day(args.get("sampai")),
        page=max(parse_int(args.get("halaman"), 1), 1),
    )
