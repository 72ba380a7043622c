"""The custom table builder (picker ``tabel``): column breakdowns, age bands, a filter, the measure.

Its selects post as ``_<field>__<part>`` and compose the warehouse spec the engine's topic
``warehouse.aggregate`` already reads (``warehouse.spec``), as JSON in the field; the region,
row level and period come from the form's other fields, as for the standard tables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.forms import FormFieldView
from warehouse.codes import DEFAULT_AGE_BANDS, MAX_AGE, age_band_codes, dimensions
from warehouse.spec import MAX_DIMENSIONS, MEASURES, SpecError, parse_spec

#: age groupings offered when a column is "Kelompok Umur" (lower bounds, the last band open)
AGE_BANDS: dict[str, tuple[int, ...]] = {
    "lima_tahunan": DEFAULT_AGE_BANDS,
    "sepuluh_tahunan": tuple(range(0, 80, 10)),
    "produktif": (0, 15, 65),
    "sekolah": (0, 7, 13, 16, 19),
    "pemilih": (0, 17),
}
MEASURE_LABELS = {"persons": _l("Jumlah penduduk"), "families": _l("Jumlah kartu keluarga")}
COLUMNS = tuple(f"kolom{n}" for n in range(1, MAX_DIMENSIONS + 1))


def _name(field_id: str, part: str) -> str:
    return f"_{field_id}__{part}"


def _bands_key(bands: Any) -> str:
    return next((k for k, v in AGE_BANDS.items() if list(v) == list(bands or [])), "lima_tahunan")


def _from_spec(value: Any) -> dict[str, Any]:
    """The builder's choices read back from a spec (JSON text); an empty choice when unreadable."""
    try:
        read = json.loads(value) if isinstance(value, str) and value.strip() else {}
    except ValueError:
        read = {}
    spec: dict[str, Any] = read if isinstance(read, dict) else {}
    dims = [d for d in spec.get("dimensions") or [] if isinstance(d, str)]
    filters: dict[str, Any] = spec["filters"] if isinstance(spec.get("filters"), dict) else {}
    filter_dim = next((k for k in filters if k != "age"), "")
    age: dict[str, Any] = filters["age"] if isinstance(filters.get("age"), dict) else {}
    return {
        "columns": (dims + ["", "", ""])[:MAX_DIMENSIONS] if dims else ["sex", "", ""],
        "bands": _bands_key(spec.get("age_bands")),
        "filter_dim": filter_dim,
        "filter_values": [str(v) for v in filters.get(filter_dim, [])] if filter_dim else [],
        "age_min": str(age.get("min", "")),
        "age_max": str(age.get("max", "")),
        "measure": spec.get("measure") if spec.get("measure") in MEASURES else "persons",
    }


def _from_form(view: FormFieldView, form: Mapping) -> dict[str, Any] | None:
    if _name(view.id, COLUMNS[0]) not in form:
        return None
    text = {
        part: str(form.get(_name(view.id, part)) or "").strip()
        for part in (*COLUMNS, "bands", "filter_dim", "age_min", "age_max", "measure")
    }
    filter_dim = text["filter_dim"]
    getlist = getattr(form, "getlist", lambda key: [form[key]] if key in form else [])
    return {
        "columns": [text[c] for c in COLUMNS],
        "bands": text["bands"],
        "filter_dim": filter_dim,
        "filter_values": list(getlist(_name(view.id, f"filter_{filter_dim}")))
        if filter_dim
        else [],
        "age_min": text["age_min"],
        "age_max": text["age_max"],
        "measure": text["measure"],
    }


def draw(_engine, view: FormFieldView, value: Any, form: Mapping) -> dict[str, Any]:
    dims = dimensions()
    return {
        "name": "tabel",
        "chosen": _from_form(view, form) or _from_spec(value),
        "columns": COLUMNS,
        "dimensions": [(d.name, d.title) for d in dims.values()],
        "filters": [
            (d.name, d.title, [(str(code), label) for code, label in d.codes.items()])
            for d in dims.values()
            if d.name != "age_group"
        ],
        "filter_dims": [(d.name, d.title) for d in dims.values() if d.name != "age_group"],
        "bands": [
            (key, ", ".join(age_band_codes(bands).values())) for key, bands in AGE_BANDS.items()
        ],
        "measures": [(key, str(label)) for key, label in MEASURE_LABELS.items()],
        "max_age": MAX_AGE,
        "value": value,
    }


def _age(label: str, text: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_AGE:
        problems.append(_("%(what)s harus bilangan bulat 0–%(max)d", what=label, max=MAX_AGE))
        return None
    return int(text)


def _spec(chosen: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    titles = {d.name: d.title for d in dimensions().values()}
    columns = [c for c in chosen["columns"] if c]
    if not columns:
        problems.append(_("pilih paling sedikit satu rincian kolom"))
    for name in sorted(set(columns)):
        if name not in titles:
            problems.append(_("rincian «%(name)s» tidak dikenal", name=name))
        elif columns.count(name) > 1:
            problems.append(_("rincian «%(name)s» dipilih lebih dari sekali", name=titles[name]))
    spec: dict[str, Any] = {"dimensions": columns, "measure": chosen["measure"] or "persons"}
    if "age_group" in columns:
        if chosen["bands"] not in AGE_BANDS:
            problems.append(_("pengelompokan umur «%(key)s» tidak dikenal", key=chosen["bands"]))
        spec["age_bands"] = list(AGE_BANDS.get(chosen["bands"], DEFAULT_AGE_BANDS))
    filters: dict[str, Any] = {}
    filter_dim = chosen["filter_dim"]
    if filter_dim:
        if not chosen["filter_values"]:
            problems.append(
                _(
                    "pilih paling sedikit satu nilai untuk filter %(d)s",
                    d=titles.get(filter_dim, filter_dim),
                )
            )
        filters[filter_dim] = chosen["filter_values"]
    low = _age(_("Umur dari"), chosen["age_min"], problems)
    high = _age(_("Umur sampai"), chosen["age_max"], problems)
    if low is not None or high is not None:
        filters["age"] = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
    if filters:
        spec["filters"] = filters
    return spec


def _message(view: FormFieldView, problems: list[str]) -> str:
    return f"{view.label}: {'; '.join(problems)}."


def compose(_engine, view: FormFieldView, form: Mapping) -> tuple[str | None, str | None]:
    chosen = _from_form(view, form)
    if chosen is None:
        return None, None
    problems: list[str] = []
    spec = _spec(chosen, problems)
    text = json.dumps(spec, ensure_ascii=False)
    if problems:
        return text, _message(view, problems)
    return text, check(_engine, view, text)


def check(_engine, view: FormFieldView, value: str) -> str | None:
    """The spec must be one the warehouse runs (its own messages, named by the field)."""
    try:
        parse_spec(value)
    except SpecError as exc:
        return _message(view, exc.errors)
    return None
