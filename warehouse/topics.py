"""Service-task handlers ``warehouse.grant`` / ``warehouse.aggregate`` and the operator preview.

Wire them in web/wiring.py::

    registry.register("warehouse.grant", warehouse.topics.grant)
    registry.register("warehouse.aggregate", warehouse.topics.aggregate)

Both write only to ``call.session`` (never commit). ``aggregate`` and
``preview`` refuse without a valid grant for the request and the user
(:class:`warehouse.access.AccessRefused`, a ``ServiceError``). Refusals and
failed queries are logged even though the exception rolls back the handler's
savepoint (or the caller's transaction): see ``warehouse.access.log_query``.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy.orm import Session

from engine.config import Settings
from engine.services import ServiceCall, ServiceError

from .access import AccessRefused, create_grant, log_query, refusal_message, valid_grant
from .models import Dataset
from .presets import PRESETS
from .query import QueryError, run_query
from .regions import region
from .sdc import SdcPolicy
from .spec import Spec, SpecError, parse_spec
from .store import warehouse_for

CUSTOM = "kustom"
#: form key -> spec field it fills (when the preset or custom spec does not fix it)
FORM_FIELDS = {
    "permintaan_wilayah": "scope",
    "permintaan_tingkat": "row_level",
    "permintaan_periode": "period",
}
_FIELD_NAMES = {
    "scope": "permintaan_wilayah",
    "row_level": "permintaan_tingkat",
    "period": "permintaan_periode",
    "preset": "permintaan_preset",
}


def grant(call: ServiceCall) -> dict[str, Any]:
    """``warehouse.grant``: the Kasi's grant from ``akses_operator`` / ``akses_berlaku_sampai``."""
    operator = str(call.data.get("akses_operator") or "").strip()
    if not operator:
        raise ServiceError("akses_operator: pilih operator yang diberi akses.")
    last_day = _parse_date(call.data.get("akses_berlaku_sampai"))
    created = create_grant(call.session, call.instance_id, operator, last_day, call.actor, call.now)
    return {"akses_id": created.id}


def aggregate(call: ServiceCall) -> dict[str, Any]:
    """``warehouse.aggregate``: run the operator's request under their grant and keep a Dataset."""
    spec, result = _run_logged(
        call.session, call.settings, call.instance_id, call.actor, call.data, call.now
    )
    stored = spec.as_dict() | {"period": result["period"]["code"]}
    dataset = Dataset(
        instance_id=call.instance_id, created_by=call.actor, spec=stored, result=result
    )
    call.session.add(dataset)
    call.session.flush()
    return {
        "dataset_id": dataset.id,
        "dataset_ringkasan": {
            "grand_total": result["grand_total"],
            "rows": len(result["rows"]),
            "suppressed": len(result["suppressed"]),
        },
    }


def preview(
    session: Session,
    settings: Settings,
    instance_id: int,
    username: str,
    spec_or_form: dict[str, Any] | str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The operator's preview: the same grant check and logging; returns the result document.

    ``spec_or_form`` is a spec (dict or JSON text) or the ``ekstraksi_data`` form
    data (recognised by its ``permintaan_preset`` key).
    """
    _, result = _run_logged(
        session, settings, instance_id, username, spec_or_form, now or datetime.now(timezone.utc)
    )
    return result


def spec_from_form(data: dict[str, Any]) -> dict[str, Any]:
    """The raw spec the ``ekstraksi_data`` form asks for (validated later by parse_spec)."""
    preset = str(data.get("permintaan_preset") or "").strip()
    if not preset:
        raise SpecError(
            [f"permintaan_preset: pilih salah satu tabel ({', '.join(PRESETS)}) atau '{CUSTOM}'"]
        )
    if preset == CUSTOM:
        raw = _custom_spec(data.get("permintaan_spec"))
    else:
        raw = {"preset": preset}
    for form_key, field in FORM_FIELDS.items():
        value = data.get(form_key)
        if value in (None, "") or field in raw:
            continue
        if field == "row_level" and (
            (preset in PRESETS and PRESETS[preset].fixed_level) or _is_village(raw, data)
        ):
            continue
        raw[field] = str(value).strip()
    return raw


def _is_village(raw: dict[str, Any], data: dict[str, Any]) -> bool:
    """A desa/kelurahan has one row level (itself): the form's level choice does not apply."""
    scope = region(str(raw.get("scope") or data.get("permintaan_wilayah") or "").strip())
    return scope is not None and scope.level == "desa"


def _custom_spec(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return dict(text)
    try:
        raw = json.loads(text or "")
    except ValueError as exc:
        raise SpecError([f"permintaan_spec: bukan JSON yang sah ({exc})"]) from None
    if not isinstance(raw, dict):
        raise SpecError(["permintaan_spec: harus berupa objek JSON"])
    return raw


def _requested(spec_or_form: dict[str, Any] | str) -> tuple[dict[str, Any] | str, bool]:
    """(what to log if the spec cannot be built, whether it came from the form)."""
    is_form = isinstance(spec_or_form, dict) and "permintaan_preset" in spec_or_form
    if is_form:
        keys = ("permintaan_preset", "permintaan_spec", *FORM_FIELDS)
        return {key: spec_or_form.get(key) for key in keys if key in spec_or_form}, True
    return spec_or_form, False


def _build_spec(spec_or_form: dict[str, Any] | str, is_form: bool) -> Spec:
    if not is_form:
        return parse_spec(spec_or_form)
    raw = spec_from_form(spec_or_form)
    own_fields = set(raw) if spec_or_form.get("permintaan_preset") == CUSTOM else set()
    try:
        return parse_spec(raw)
    except SpecError as exc:
        raise SpecError(
            [_form_field_message(message, own_fields) for message in exc.errors]
        ) from None


def _form_field_message(message: str, custom_fields: set[str]) -> str:
    """Name the form field a spec message is about (custom JSON fields as permintaan_spec.*)."""
    field, _, rest = message.partition(":")
    base = field.split(".", 1)[0].split("[", 1)[0]
    if base in _FIELD_NAMES and base not in custom_fields:
        return f"{_FIELD_NAMES[base]}:{rest}"
    return f"permintaan_spec.{message}"


def _run_logged(
    session, settings, instance_id, username, spec_or_form, now
) -> tuple[Spec, dict[str, Any]]:
    started = time.perf_counter()
    requested, is_form = _requested(spec_or_form)
    logged = requested if isinstance(requested, dict) else {"text": requested}
    if valid_grant(session, instance_id, username, now) is None:
        message = refusal_message(instance_id, username)
        log_query(
            session,
            username=username,
            instance_id=instance_id,
            spec=logged,
            outcome="refused",
            message=message,
            survive_rollback=True,
        )
        raise AccessRefused(message)
    try:
        spec = _build_spec(spec_or_form, is_form)
        logged = spec.as_dict()
        result = run_query(
            warehouse_for(settings.warehouse_url), spec, SdcPolicy.from_settings(settings)
        )
    except (SpecError, QueryError) as exc:
        outcome = "invalid" if isinstance(exc, SpecError) else "error"
        log_query(
            session,
            username=username,
            instance_id=instance_id,
            spec=logged,
            outcome=outcome,
            message=str(exc),
            milliseconds=_elapsed_ms(started),
            survive_rollback=True,
        )
        raise ServiceError(f"Permintaan data tidak dapat dijalankan: {exc}") from None
    log_query(
        session,
        username=username,
        instance_id=instance_id,
        spec=logged | {"period": result["period"]["code"]},
        outcome="ok",
        rows=len(result["rows"]),
        milliseconds=_elapsed_ms(started),
    )
    return spec, result


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        raise ServiceError(
            f"akses_berlaku_sampai: '{value}' bukan tanggal (format YYYY-MM-DD)."
        ) from None
