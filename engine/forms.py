"""Task forms from ``camunda:formData``: what to show, and validation of what was sent.

Types are Camunda's: string, long, boolean, date, enum. Constraints are Camunda's
``camunda:validation`` names: required, minlength, maxlength, min, max, readonly;
on a date field ``min``/``max`` take an ISO date or ``today`` (the office's date).
A required boolean must be true (like a required check box). One constraint of our own,
``required_if`` with config ``other_field=value`` (several values joined by ``|``), makes a
field required only when another field of the same form was sent with one of those values
(a refusal's reason when the decision is ``tolak``; a confirmation box that must then be ticked). Unknown keys are
refused: a form can only write its own fields into the instance's data.

A ``defaultValue`` of the form ``${key}`` (Camunda's expression default) is the value of that
task-data key when the form is shown: a business rule task's suggestion pre-fills the officer's
choice. A field with the property ``required_if_changed`` = ``field:key[,field:key...]`` is
required when any named field is submitted with a value other than that data key's (a reason for
overriding a suggestion).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from .errors import EngineError, FieldError, FormInvalid

TRUE_WORDS = {"true", "1", "on", "yes", "ya", "y"}
#: Camunda's expression default: ``${key}`` names a task-data key
DATA_DEFAULT = re.compile(r"^\$\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}$")
REQUIRED_IF_CHANGED = "required_if_changed"
FALSE_WORDS = {"false", "0", "off", "no", "tidak", "n", ""}


@dataclass
class FormFieldView:
    id: str
    label: str
    type: str
    required: bool = False
    options: list[dict[str, str]] = field(default_factory=list)
    default: Any = None
    constraints: dict[str, str | None] = field(default_factory=dict)
    readonly: bool = False
    #: the field's own ``camunda:properties`` (e.g. ``running_number``)
    properties: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: a caller's own check of posted data against a step's fields (e.g. the web's pickers: a chosen
#: official must be an active user): the refused fields, id -> message; run by ``complete`` once
#: the user may do the task, before the engine's own validation
FormCheck = Callable[[list[FormFieldView], dict[str, Any]], dict[str, str]]


def fields_of(task_spec) -> list[FormFieldView]:
    form = getattr(task_spec, "form", None)
    if form is None:
        return []
    views = []
    for f in form.fields:
        constraints = {v.name: v.config for v in f.validation}
        views.append(
            FormFieldView(
                id=f.id,
                label=f.label or f.id,
                type=f.type or "string",
                required="required" in constraints,
                options=[{"id": o.id, "name": o.name} for o in getattr(f, "options", [])],
                default=f.default_value,
                constraints=constraints,
                readonly="readonly" in constraints,
                properties={p.id: p.value for p in getattr(f, "properties", [])},
            )
        )
    return views


def fill_defaults(views: list[FormFieldView], data: Mapping[str, Any]) -> list[FormFieldView]:
    """The form as shown for a task with ``data``: values already in the data, else the
    defaults, a ``${key}`` default taking that key's value (None when the data lacks it)."""
    for view in views:
        if data.get(view.id) is not None:
            view.default = data[view.id]
        elif isinstance(view.default, str):
            found = DATA_DEFAULT.match(view.default.strip())
            if found:
                view.default = data.get(found.group(1))
    return views


def changed_pairs(view: FormFieldView) -> list[tuple[str, str]]:
    """(field, data key) pairs of a ``required_if_changed`` property."""
    pairs = []
    for part in (view.properties.get(REQUIRED_IF_CHANGED) or "").split(","):
        field_id, _sep, key = part.partition(":")
        if field_id.strip() and key.strip():
            pairs.append((field_id.strip(), key.strip()))
    return pairs


def _changed_from(
    view: FormFieldView, cleaned: dict[str, Any], data: Mapping[str, Any]
) -> list[str]:
    """The fields whose submitted value differs from the data key ``view`` names for them."""
    return [
        field_id
        for field_id, key in changed_pairs(view)
        if key in data and field_id in cleaned and cleaned[field_id] != data[key]
    ]


#: PostgreSQL cannot store it in text; no person types it: refused by name, before anything is saved
NUL = "\x00"


def nul_path(value: Any, path: str = "") -> str | None:
    """The name (dotted path) of the first key or text in ``value`` holding a NUL byte, or None."""
    if isinstance(value, str):
        return path or "data" if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and NUL in key:
                return name.replace(NUL, "\\0")
            found = nul_path(item, name)
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = nul_path(item, f"{path}[{index}]")
            if found:
                return found
    return None


def checked_start_data(data: Any) -> dict[str, Any]:
    """Start data (or a message's payload): a JSON object whose texts hold no NUL byte."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EngineError("start data must be a JSON object")
    bad = nul_path(data)
    if bad:
        raise FormInvalid([FieldError(bad, "nul", f"{bad} berisi karakter yang tidak sah (NUL)")])
    try:
        json.dumps(data)
    except (TypeError, ValueError):
        raise EngineError("start data must contain only JSON values") from None
    return dict(data)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _convert(view: FormFieldView, value: Any) -> Any:
    """Return the typed value or raise ValueError with a message for people."""
    kind = view.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError("harus ya atau tidak (true/false)")
    if kind == "long":
        if isinstance(value, bool):
            raise ValueError("harus bilangan bulat")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError("harus bilangan bulat") from None
        return number
    if kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        raise ValueError("harus tanggal (TTTT-BB-HH)")
    if kind == "enum":
        allowed = [o["id"] for o in view.options]
        if str(value) not in allowed:
            raise ValueError(f"harus salah satu dari: {', '.join(allowed)}")
        return str(value)
    if not isinstance(value, (str, int, float)):
        raise ValueError("harus teks")
    return str(value)


def _date_bound(config: str, today: date) -> date:
    return today if config.strip().lower() == "today" else date.fromisoformat(config.strip())


def _check_date(view: FormFieldView, value: str, today: date) -> str | None:
    day = date.fromisoformat(value)
    low, high = view.constraints.get("min"), view.constraints.get("max")
    if low and day < _date_bound(low, today):
        return f"paling awal {_date_bound(low, today).isoformat()}"
    if high and day > _date_bound(high, today):
        return f"paling akhir {_date_bound(high, today).isoformat()}"
    return None


def _check_constraints(view: FormFieldView, value: Any, today: date) -> str | None:
    c = view.constraints
    if view.type == "date":
        return _check_date(view, value, today)
    longest, shortest = c.get("maxlength"), c.get("minlength")
    low, high = c.get("min"), c.get("max")
    if isinstance(value, str):
        if longest and len(value) > int(longest):
            return f"paling banyak {longest} karakter"
        if shortest and len(value) < int(shortest):
            return f"paling sedikit {shortest} karakter"
    if isinstance(value, int) and not isinstance(value, bool):
        if low is not None and value < int(low):
            return f"paling kecil {low}"
        if high is not None and value > int(high):
            return f"paling besar {high}"
    return None


def required_condition(view: FormFieldView) -> tuple[str, set[str]] | None:
    """The ``required_if`` constraint as (other field, values that make this field required)."""
    config = view.constraints.get("required_if")
    if not config or "=" not in config:
        return None
    other, _sep, wanted = config.partition("=")
    return other.strip(), {w.strip().lower() for w in wanted.split("|") if w.strip()}


def _required(view: FormFieldView, submitted: dict[str, Any]) -> bool:
    if view.required:
        return True
    condition = required_condition(view)
    if condition is None:
        return False
    other, wanted = condition
    raw = submitted.get(other)
    return raw is not None and str(raw).strip().lower() in wanted


def validate_form(
    views: list[FormFieldView],
    submitted: dict[str, Any],
    today: date | None = None,
    data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Typed, checked data for the task, or FormInvalid listing every bad field by name.

    ``data`` is the task's data so far (for ``required_if_changed``)."""
    today = today or date.today()
    if not isinstance(submitted, dict):
        raise FormInvalid([FieldError("data", "type", "data formulir harus berupa objek JSON")])
    known = {v.id: v for v in views}
    bad_key = next((key for key in submitted if NUL in str(key)), None)
    if bad_key is not None:
        name = str(bad_key).replace(NUL, "\\0")
        raise FormInvalid([FieldError(name, "nul", f"nama kolom '{name}' berisi karakter NUL")])
    errors = [
        FieldError(key, "unknown", f"kolom '{key}' tidak ada pada formulir langkah ini")
        for key in submitted
        if key not in known
    ]
    cleaned: dict[str, Any] = {}
    for view in views:
        raw = submitted.get(view.id)
        required = _required(view, submitted)

        if nul_path(raw):
            errors.append(
                FieldError(view.id, "nul", f"{view.label} berisi karakter yang tidak sah (NUL)")
            )
            continue
        if view.type == "boolean" and raw is None:
            raw = False
        if _empty(raw) and view.type != "boolean":
            if required:
                errors.append(FieldError(view.id, "required", f"{view.label} wajib diisi"))
            else:
                cleaned[view.id] = None
            continue
        try:
            value = _convert(view, raw)
        except ValueError as exc:
            errors.append(FieldError(view.id, "type", f"{view.label} {exc}"))
            continue
        if view.type == "boolean" and required and value is not True:
            errors.append(FieldError(view.id, "required", f"{view.label} wajib dicentang"))
            continue
        problem = _check_constraints(view, value, today)
        if problem:
            errors.append(FieldError(view.id, "constraint", f"{view.label} {problem}"))
            continue
        cleaned[view.id] = value
    labels = {v.id: v.label for v in views}
    for view in views:
        changed = _changed_from(view, cleaned, data or {})
        if changed and _empty(cleaned.get(view.id)) and view.id not in {e.field for e in errors}:
            names = ", ".join(labels[f] for f in changed)
            errors.append(
                FieldError(
                    view.id,
                    "required",
                    f"{view.label} wajib diisi karena pilihan berbeda dari saran ({names})",
                )
            )
    if errors:
        raise FormInvalid(errors)
    return cleaned
