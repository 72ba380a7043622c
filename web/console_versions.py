"""The console's version page: two deployed versions compared, and the migration preview.

Also the helpers the console's other pages share with it (step names, refusals, a lookup).
"""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _

from engine import bpmn_info
from engine.errors import EngineError, NotFound
from webkit.current import get_engine

from .errors import engine_error_status


def step_names(engine, process_id: str, version: int) -> dict[str, str]:
    """Element id -> name for one deployed version (empty when it cannot be read)."""
    try:
        xml = bpmn_info.deployed_xml(engine, process_id, version)
    except NotFound:
        return {}
    return {element_id: info.name for element_id, info in bpmn_info.elements(xml).items()}


def refused(exc: EngineError) -> int:
    """Flash the engine's refusal (a message for people) and give the status for the page."""
    flash(str(exc), "error")
    return engine_error_status(exc)


def instance_or_none(engine, instance_id: int):
    try:
        return engine.instance(instance_id)
    except NotFound:
        return None


def _status(engine, instance_id: int) -> str | None:
    found = instance_or_none(engine, instance_id)
    return found.status if found else None


def _version_arg(name: str, label: str, known: list[int], errors: dict[str, str]) -> int | None:
    text = (request.values.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit():
        errors[name] = _("%(label)s: tulis nomor versi (angka).", label=label)
        return None
    if int(text) not in known:
        errors[name] = _(
            "%(label)s: versi %(v)s tidak ada; yang ada: %(known)s.",
            label=label,
            v=text,
            known=", ".join(map(str, known)),
        )
        return None
    return int(text)


def versions_page(process_id: str, outcome=None, errors: dict[str, str] | None = None, status=200):
    engine = get_engine()
    definitions = sorted(
        (d for d in engine.list_definitions() if d.process_id == process_id),
        key=lambda d: d.version,
    )
    if not definitions:
        abort(404)
    known = [d.version for d in definitions]
    errors = dict(errors or {})
    old = _version_arg("dari", _("Versi asal (dari)"), known, errors)
    new = _version_arg("ke", _("Versi tujuan (ke)"), known, errors)
    if new is None and "ke" not in errors:
        new = known[-1]
    if old is None and "dari" not in errors and new is not None:
        older = [v for v in known if v < new]
        old = older[-1] if older else None
    if old is not None and old == new and "ke" not in errors:
        errors["ke"] = _("Versi tujuan (ke): pilih versi yang lain dari versi asal.")
    diff = candidates = old_config = new_config = None
    names: dict[str, str] = {}
    if old is not None and new is not None and old != new and not {"dari", "ke"} & set(errors):
        try:
            diff = engine.versions.diff(process_id, old, new)
            candidates = engine.versions.preview(process_id, old, new)
        except EngineError as exc:
            status = refused(exc)
        else:
            names = step_names(engine, process_id, old)
            labels = {"failed": _("Diagram tidak dapat ditampilkan")}
            changed = [c.element_id for c in diff.changed]
            # both diagrams zoom onto every step that differs (the same region, side by side)
            focus = [c.element_id for c in diff.added + diff.removed + diff.changed]
            old_config = {
                "xml": engine.definition_xml(process_id, old),
                "markers": {
                    "lk-diff-removed": [c.element_id for c in diff.removed],
                    "lk-diff-changed": changed,
                },
                "focus": focus,
                "labels": labels,
            }
            new_config = {
                "xml": engine.definition_xml(process_id, new),
                "markers": {
                    "lk-diff-added": [c.element_id for c in diff.added],
                    "lk-diff-changed": changed,
                },
                "focus": focus,
                "labels": labels,
            }
    if errors and status == 200:
        status = 422
    elif diff is None and len(known) > 1 and status == 200:
        flash(_("Pilih dua versi yang berbeda lalu tekan \u201cBandingkan\u201d."), "info")
    return render_template(
        "console/versions.html",
        process_id=process_id,
        name=definitions[-1].name,
        known=known,
        old=old,
        new=new,
        diff=diff,
        candidates=candidates,
        names=names,
        old_config=old_config,
        new_config=new_config,
        outcome=outcome,
        errors=errors,
        statuses={c.instance_id: _status(engine, c.instance_id) for c in candidates or []},
    ), status
