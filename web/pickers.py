"""Pickers: task-form fields a person picks from lists instead of typing, named by the diagram.

A ``camunda:formField`` with the property ``picker`` is drawn as one of these, so any SOP's
diagram can use them without Python:

- ``pengguna``: the active users who hold the role named by the property ``picker_role``;
  writes the username (for ``camunda:assignee="${field}"``);
- ``wilayah``: kabupaten → kecamatan → desa/kelurahan from the warehouse's regions; writes the
  region code (e.g. ``33.04.06``);
- ``periode``: the semesters loaded in the warehouse; writes the period code (``2026-1``);
- ``tabel``: the custom table builder (:mod:`web.table_builder`); writes the warehouse spec as JSON.

A picker made of several selects posts them as ``_<field>__<part>`` (names starting with ``_``
never reach the engine); :func:`gather` composes the field's value from them and checks every
picker value, so a desa outside the chosen kecamatan, a period the warehouse does not hold or a
user without the role is refused with a message naming the field, before the engine is asked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from engine.forms import FormFieldView
from warehouse.periods import Period
from warehouse.regions import KABUPATEN_CODE, Region, kecamatans, region, regions, villages
from warehouse.store import warehouse_for

from . import table_builder
from .taskform import Widget, shown_for

log = logging.getLogger(__name__)

PICKER = "picker"
PICKER_ROLE = "picker_role"

#: (the composed value, or None when the form sent no parts; an error message or None)
Composed = tuple[str | None, str | None]


def part_name(field_id: str, part: str) -> str:
    """The form name of one part of a picker (dropped by ``taskpage.posted_data``)."""
    return f"_{field_id}__{part}"


# ---------------------------------------------------------------------------- pengguna


def _candidates(engine, view: FormFieldView) -> list[tuple[str, str]]:
    role = view.properties.get(PICKER_ROLE, "").strip()
    return [
        (account.username, f"{account.full_name} ({account.username})")
        for account in engine.accounts.list()
        if account.active and (not role or role in account.roles)
    ]


def _role_label(engine, view: FormFieldView) -> str:
    role = view.properties.get(PICKER_ROLE, "").strip()
    return engine.accounts.role_labels().get(role, role)


def _draw_user(engine, view: FormFieldView, value: Any, _form: Mapping) -> dict[str, Any]:
    options = _candidates(engine, view)
    if not value and len(options) == 1:
        value = options[0][0]
    return {
        "name": "pengguna",
        "options": options,
        "value": value,
        "role": _role_label(engine, view),
    }


def _check_user(engine, view: FormFieldView, value: str) -> str | None:
    if value in dict(_candidates(engine, view)):
        return None
    return _(
        "%(label)s: «%(value)s» bukan pengguna aktif dengan peran %(role)s; pilih dari daftar.",
        label=view.label,
        value=value,
        role=_role_label(engine, view),
    )


# ---------------------------------------------------------------------------- wilayah


def _region_parts(value: Any) -> dict[str, str]:
    found = region(str(value or "").strip())
    if found is None or found.level == "kabupaten":
        return {"kabupaten": KABUPATEN_CODE, "kecamatan": "", "desa": ""}
    if found.level == "kecamatan":
        return {"kabupaten": KABUPATEN_CODE, "kecamatan": found.code, "desa": ""}
    return {"kabupaten": KABUPATEN_CODE, "kecamatan": found.parent or "", "desa": found.code}


def _sent_parts(
    view: FormFieldView, form: Mapping, parts: tuple[str, ...]
) -> dict[str, str] | None:
    if part_name(view.id, parts[0]) not in form:
        return None
    return {part: str(form.get(part_name(view.id, part)) or "").strip() for part in parts}


def _draw_region(_engine, view: FormFieldView, value: Any, form: Mapping) -> dict[str, Any]:
    chosen = _sent_parts(view, form, ("kabupaten", "kecamatan", "desa")) or _region_parts(value)
    kabupaten = [r for r in regions().values() if r.level == "kabupaten"]
    return {
        "name": "wilayah",
        "chosen": chosen,
        "kabupaten": [(r.code, r.display_name) for r in kabupaten],
        "kecamatan": [(r.code, r.name) for r in kecamatans()],
        "desa": [(k.code, k.name, _village_options(k)) for k in kecamatans()],
    }


def _village_options(kecamatan: Region) -> list[tuple[str, str]]:
    return [(v.code, v.display_name) for v in villages(kecamatan.code)]


def _compose_region(_engine, view: FormFieldView, form: Mapping) -> Composed:
    sent = _sent_parts(view, form, ("kabupaten", "kecamatan", "desa"))
    if sent is None:
        return None, None
    kabupaten, kecamatan, desa = (region(sent[p]) for p in ("kabupaten", "kecamatan", "desa"))
    for part, found in (("kabupaten", kabupaten), ("kecamatan", kecamatan), ("desa", desa)):
        if sent[part] and (found is None or found.level != part):
            return sent[part], _(
                "%(label)s: %(part)s «%(code)s» tidak dikenal.",
                label=view.label,
                part=part,
                code=sent[part],
            )
    if desa is not None and kecamatan is not None and desa.parent != kecamatan.code:
        return desa.code, _(
            "%(label)s: %(desa)s tidak berada di Kecamatan %(kecamatan)s; pilih desa/kelurahan "
            "dari kecamatan itu atau kosongkan pilihan desa.",
            label=view.label,
            desa=desa.display_name,
            kecamatan=kecamatan.name,
        )
    chosen = desa or kecamatan or kabupaten
    return (chosen.code if chosen else ""), None


def _check_region(_engine, view: FormFieldView, value: str) -> str | None:
    if region(value) is not None:
        return None
    return _("%(label)s: kode wilayah «%(value)s» tidak dikenal.", label=view.label, value=value)


# ---------------------------------------------------------------------------- periode


def _periods(engine) -> list[tuple[str, str]]:
    """(code, label) of the loaded periods, newest first; none when the warehouse cannot be read
    (the page still opens; the preview and the query step say why)."""
    try:
        found = warehouse_for(engine.settings.warehouse_url).periods()
    except Exception:  # noqa: BLE001 - a broken warehouse must not break the task page
        log.exception("the warehouse's periods could not be read")
        return []
    shown = []
    for row in found:
        period = Period.parse(row["kode"])
        shown.append((period.code, f"{period.label} (keadaan {period.cutoff_label})"))
    return shown


def _draw_period(engine, view: FormFieldView, value: Any, _form: Mapping) -> dict[str, Any]:
    options = _periods(engine)
    if options and value not in dict(options):
        value = options[0][0]  # the newest
    return {"name": "periode", "options": options, "value": value}


def _check_period(engine, view: FormFieldView, value: str) -> str | None:
    options = _periods(engine)
    if value in dict(options):
        return None
    if not options:
        return _("%(label)s: gudang data belum berisi periode apa pun.", label=view.label)
    return _(
        "%(label)s: periode «%(value)s» tidak ada di gudang data; pilih salah satu: %(known)s.",
        label=view.label,
        value=value,
        known=", ".join(label for _code, label in options),
    )


# ---------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Picker:
    draw: Callable[[Any, FormFieldView, Any, Mapping], dict[str, Any]]
    check: Callable[[Any, FormFieldView, str], str | None]
    compose: Callable[[Any, FormFieldView, Mapping], Composed] | None = None


PICKERS: dict[str, Picker] = {
    "pengguna": Picker(_draw_user, _check_user),
    "wilayah": Picker(_draw_region, _check_region, _compose_region),
    "periode": Picker(_draw_period, _check_period),
    "tabel": Picker(table_builder.draw, table_builder.check, table_builder.compose),
}


def picker_of(view: FormFieldView) -> Picker | None:
    return PICKERS.get(view.properties.get(PICKER, "").strip())


def attach(
    engine, fields: list[FormFieldView], widgets: list[Widget], form: Mapping | None
) -> None:
    """Give each picker field's widget what its template draws (``widget.picker``)."""
    by_id = {view.id: view for view in fields}
    for widget in widgets:
        view = by_id.get(widget.id)
        found = picker_of(view) if view is not None else None
        if found is not None and view is not None:
            widget.picker = found.draw(engine, view, widget.value, form or {})
            widget.kind = "picker"


def gather(
    engine, fields: list[FormFieldView], form: Mapping, data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The posted data with every picker's value composed from its parts, and the errors by field."""
    data, errors = dict(data), {}
    for view in fields:
        found = picker_of(view)
        if found is None or not shown_for(view, data):
            continue
        if found.compose is not None:
            value, error = found.compose(engine, view, form)
            if value is not None:
                data[view.id] = value
            if error:
                errors[view.id] = error
                continue
        value = str(data.get(view.id) or "").strip()
        problem = found.check(engine, view, value) if value else None
        if problem:
            errors[view.id] = problem
    return data, errors
