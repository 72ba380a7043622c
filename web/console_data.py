"""The failed step's data on the console's incident page: shown as rows, edited, parsed back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user

from .policy import is_identity_key, reads_identity

#: a string longer than this (or with a line break) is edited in a text area
LONG_TEXT = 80


@dataclass
class DataRow:
    """One key of a failed step's data, as the page shows it and the edit form offers it."""

    key: str
    shown: str
    text: str
    is_json: bool
    hidden: bool

    @property
    def multiline(self) -> bool:
        return "\n" in self.text or len(self.text) > LONG_TEXT

    @property
    def field(self) -> str:
        return f"data-{self.key}"


def data_rows(data: dict[str, Any]) -> list[DataRow]:
    rows = []
    for key in sorted(data):
        value = data[key]
        hidden = (
            is_identity_key(key) and not reads_identity(current_user) and value not in ("", None)
        )
        if isinstance(value, str):
            text, is_json = value, False
        else:
            text, is_json = json.dumps(value, ensure_ascii=False, default=str), True
        shown = _("(dirahasiakan)") if hidden else text
        rows.append(DataRow(key, shown, "" if hidden else text, is_json, hidden))
    return rows


def edited_data(
    data: dict[str, Any], form, errors: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The keys the administrator changed, parsed back to their types; the submitted texts."""
    changes: dict[str, Any] = {}
    submitted: dict[str, str] = {}
    for row in data_rows(data):
        if row.hidden or row.field not in form:
            continue
        text = form[row.field].replace("\r\n", "\n")
        submitted[row.field] = text
        if text == row.text.replace("\r\n", "\n"):
            continue  # untouched (also a value JSON cannot give back exactly, e.g. a date)
        if row.is_json:
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                errors[row.field] = _(
                    "%(key)s: bukan JSON yang sah (baris %(line)d, kolom %(col)d). Tulis teks "
                    'dengan tanda petik, misalnya "abc"; ya/tidak sebagai true/false; kosong '
                    "sebagai null.",
                    key=row.key,
                    line=exc.lineno,
                    col=exc.colno,
                )
                continue
        else:
            value = text
        if canonical(value) != canonical(data[row.key]):  # 1 is not true, 1.0 is not 1
            changes[row.key] = value
    return changes, submitted


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
