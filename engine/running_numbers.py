"""Form fields numbered from a running-number series, inside the completing step's transaction.

A diagram's form field says so with its own ``camunda:properties``:
``running_number`` (the series, e.g. ``agenda``) and optionally ``running_number_format``
(default ``{number:03d}/{year}``). A field left blank gets the series' next number for the office's
year; a typed value is kept. Because this runs after the form is validated and in the same
transaction as the step, a rejected form or a lost race uses no number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from .archive import next_number
from .clock import office_date
from .forms import FormFieldView

DEFAULT_FORMAT = "{number:03d}/{year}"


def fill_running_numbers(
    session: Session, fields: list[FormFieldView], data: dict[str, Any], now: datetime
) -> dict[str, Any]:
    filled = dict(data)
    year = office_date(now).year
    for view in fields:
        series = view.properties.get("running_number")
        if not series or str(filled.get(view.id) or "").strip():
            continue
        number = next_number(session, series, year)
        pattern = view.properties.get("running_number_format") or DEFAULT_FORMAT
        filled[view.id] = pattern.format(number=number, year=year)
    return filled
