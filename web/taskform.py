"""Task forms from the diagram (``camunda:formData``): what to draw, and what was sent.

The engine validates (``FormInvalid`` with messages by field); this module only
turns the fields into widgets with their values and errors, and a submitted
HTML form into the data dict the engine expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from engine.forms import FormFieldView, required_condition

#: string fields longer than this get a text area
TEXTAREA_FROM = 300
INPUT_TYPES = {"long": "number", "date": "date", "boolean": "checkbox", "enum": "select"}


@dataclass
class Widget:
    id: str
    label: str
    kind: str
    required: bool
    value: Any
    error: str | None = None
    hint: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    #: ``required_if`` (or the field property ``visible_if``, same syntax): the field that decides
    #: (its widget id) and the values that ask for this one; the page shows the field only then
    #: (taskform.js), the engine requires it only then (``required_if``)
    show_if: tuple[str, list[str]] | None = None
    required_when_shown: bool = False
    #: a picker (field property ``picker``, see web.pickers): what its template needs
    picker: dict[str, Any] | None = None

    @property
    def checked(self) -> bool:
        return self.value is True or str(self.value).lower() in ("true", "on", "1", "ya")


def _kind(view: FormFieldView) -> str:
    if view.type == "string":
        limit = view.constraints.get("maxlength")
        return "textarea" if limit and int(limit) >= TEXTAREA_FROM else "text"
    return INPUT_TYPES.get(view.type, "text")


def _bound(view: FormFieldView, value: Any, today: date | None) -> Any:
    """Date bounds may say 'today' (the office's date): the browser needs the date itself."""
    if view.type == "date" and str(value).strip().lower() == "today":
        return (today or date.today()).isoformat()
    return value


#: a date field's ``defaultValue`` relative to the office's date: ``today`` or ``today+7``
RELATIVE_DATE = re.compile(r"^today\s*(?:\+\s*(\d{1,4}))?$")


def _default(view: FormFieldView, today: date | None) -> Any:
    """The field's default as the widget shows it (a relative date becomes the date itself)."""
    found = RELATIVE_DATE.match(str(view.default or "").strip().lower())
    if view.type != "date" or found is None:
        return view.default
    return ((today or date.today()) + timedelta(days=int(found.group(1) or 0))).isoformat()


def _attrs(view: FormFieldView, today: date | None = None) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    limits = view.constraints
    if limits.get("maxlength"):
        attrs["maxlength"] = limits["maxlength"]
    if limits.get("minlength"):
        attrs["minlength"] = limits["minlength"]
    if limits.get("min") is not None:
        attrs["min"] = _bound(view, limits["min"], today)
    if limits.get("max") is not None:
        attrs["max"] = _bound(view, limits["max"], today)
    if view.readonly:
        attrs["readonly"] = True
    return attrs


def _show_if(view: FormFieldView) -> tuple[str, list[str]] | None:
    condition = required_condition(view)
    if condition is None and "=" in view.properties.get("visible_if", ""):
        other, _sep, wanted = view.properties["visible_if"].partition("=")
        condition = other.strip(), {w.strip().lower() for w in wanted.split("|") if w.strip()}
    if condition is None:
        return None
    other, values = condition
    return "f-" + other, sorted(values)


def shown_for(view: FormFieldView, data: dict[str, Any]) -> bool:
    """Whether the field is asked for with these values (no ``required_if`` / ``visible_if``,
    or the field they name holds one of their values)."""
    condition = _show_if(view)
    if condition is None:
        return True
    other, wanted = condition
    return str(data.get(other.removeprefix("f-"), "")).strip().lower() in wanted


def widgets(
    fields: list[FormFieldView],
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    today: date | None = None,
    hints: dict[str, Any] | None = None,
) -> list[Widget]:
    """One widget per field: the value sent back (after an error) or the field's default."""
    values, errors, hints = values or {}, errors or {}, hints or {}
    drawn = []
    for view in fields:
        value = values[view.id] if view.id in values else _default(view, today)
        drawn.append(
            Widget(
                id=view.id,
                label=view.label,
                kind=_kind(view),
                required=view.required,
                value="" if value is None else value,
                error=errors.get(view.id),
                hint=hints.get(view.id),
                options=[(o["id"], o["name"]) for o in view.options],
                attrs=_attrs(view, today),
                show_if=_show_if(view),
                required_when_shown=required_condition(view) is not None,
            )
        )
    return drawn


def submitted(form, fields: list[FormFieldView]) -> dict[str, Any]:
    """The form's fields from an HTML POST: text stripped, check boxes true when ticked, false when not."""
    data: dict[str, Any] = {}
    for view in fields:
        if view.readonly:
            continue
        if view.type == "boolean":
            data[view.id] = view.id in form
        else:
            data[view.id] = (form.get(view.id) or "").strip()
    return data
