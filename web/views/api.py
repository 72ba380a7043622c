"""JSON API /api/v1: my tasks, a task with its form, completing it, instances and their history.

Authentication: a personal API token (``Authorization: Bearer lks_...``, made on the page
"Token API" or with ``laksana users token create``), the session cookie (then POSTs need the
X-CSRFToken header) or HTTP Basic with username and password (``webkit.apiauth``). The same rules as the pages: the engine
checks the task's role, ``web.policy`` who may read a request and what of it.
Documented in ``openapi.json`` next to this module.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from engine.errors import EngineError, FormInvalid
from webkit.access import OVERSEERS, login_required, public, roles_required
from webkit.current import get_engine
from webkit.extensions import csrf, limiter

from .. import pickers, tracking
from ..errors import engine_error_status, error_response
from ..policy import may_read_instance, redact
from ..queryargs import instance_filters
from .services import TRACKING_KEY

bp = Blueprint("api", __name__, url_prefix="/api/v1")
OPENAPI = Path(__file__).with_name("openapi.json")


@bp.before_request
def csrf_for_session_posts():
    """A browser session must prove the request comes from our pages; Basic and Bearer clients have no cookie."""
    if (
        request.method == "POST"
        and request.authorization is None
        and current_app.config.get("WTF_CSRF_ENABLED", True)
    ):
        csrf.protect()


@bp.errorhandler(EngineError)
def engine_refused(exc: EngineError):
    if isinstance(exc, FormInvalid):
        return jsonify(
            error={
                "status": 422,
                "message": "form invalid",
                "fields": [
                    {"field": e.field, "code": e.code, "message": e.message} for e in exc.errors
                ],
            }
        ), 422
    return error_response(engine_error_status(exc), str(exc))


def _basic_username() -> str:
    credentials = request.authorization
    if credentials is None or credentials.type != "basic":
        return ""
    return (credentials.username or "").strip().lower()[:64]


def _caller_key() -> str:
    """Per account for a signed-in caller (a token's script does not starve colleagues behind the
    same address), per address otherwise."""
    if current_user.is_authenticated:
        return f"pengguna:{current_user.id}"
    return get_remote_address()


def _signed_in_without_password() -> bool:
    """A caller signed in by a personal token or the session cookie is not guessing a password,
    so the failed-sign-in limits are not read for it: two round trips to the shared store less
    per request. HTTP Basic is never exempt, and is not verified before its limits are read (an
    address over the limit pays no argon2 and cannot get a right guess through)."""
    credentials = request.authorization
    if credentials is not None and credentials.type == "basic":
        return False
    return bool(current_user.is_authenticated)


limiter.limit(
    lambda: current_app.config["API_RATE_LIMIT"],
    key_func=_caller_key,
    error_message=lambda: _("Terlalu banyak permintaan. Kurangi laju permintaan Anda."),
)(bp)
#: wrong passwords or tokens count like failed sign-ins (no guessing through the API): per client
#: address, and per account for HTTP Basic (the same limit as the sign-in page's)
limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    deduct_when=lambda response: response.status_code == 401,
    exempt_when=_signed_in_without_password,
    error_message=lambda: _("Terlalu banyak percobaan masuk yang gagal dari alamat Anda."),
)(bp)
limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=lambda: "akun:" + _basic_username(),
    deduct_when=lambda response: response.status_code == 401,
    exempt_when=lambda: not _basic_username(),
    error_message=lambda: _("Terlalu banyak percobaan masuk yang gagal untuk akun ini."),
)(bp)


def _task_json(task) -> dict:
    body = task.to_dict()
    body["data"] = redact(task.data, current_user)
    if any(f.get("id", "").startswith("pelapor_") for f in body["fields"]):
        body["fields"] = [
            dict(f, default=redact({f["id"]: f["default"]}, current_user)[f["id"]])
            for f in body["fields"]
        ]
    return body


@bp.get("/openapi.json")
@public
def openapi():
    return Response(OPENAPI.read_bytes(), mimetype="application/json")


@bp.get("/tasks")
@login_required
def tasks():
    """``?instance=ID``: only that request's tasks (a client driving one request asks for these)."""
    instance_id = None
    if "instance" in request.args:
        instance_id = request.args.get("instance", type=int)
        if instance_id is None or instance_id < 1:
            return error_response(
                400, _("Parameter 'instance' harus nomor permintaan (bilangan bulat positif).")
            )
    found = get_engine().tasks(user=current_user.username, instance_id=instance_id)
    return jsonify(tasks=[t.to_dict() for t in found])


@bp.get("/tasks/<task_id>")
@login_required
def task(task_id: str):
    return jsonify(_task_json(get_engine().task(task_id, current_user.username)))


def _posted_form():
    """``{"data": {...}}`` or the fields themselves; anything else is refused by the engine's form check
    (after it has checked the role, so that a stranger learns nothing from the answer)."""
    body = request.get_json(silent=True)
    return body.get("data", body) if isinstance(body, dict) else body


@bp.post("/tasks/<task_id>/complete")
@login_required
def complete(task_id: str):
    engine = get_engine()

    def picked_values(fields, data) -> dict[str, str]:
        """A picker's value must be one of its choices (``web.pickers``)."""
        return pickers.gather(engine, fields, {}, data)[1]

    instance = engine.complete(task_id, current_user.username, _posted_form(), picked_values)
    return jsonify(instance=instance.to_dict())


@bp.post("/tasks/<task_id>/claim")
@login_required
def claim(task_id: str):
    return jsonify(get_engine().claim(task_id, current_user.username).to_dict())


@bp.post("/tasks/<task_id>/unclaim")
@login_required
def unclaim(task_id: str):
    return jsonify(get_engine().unclaim(task_id, current_user.username).to_dict())


@bp.get("/instances")
@roles_required(*OVERSEERS)
def instances():
    page = get_engine().search_instances(instance_filters(request.args))
    rows = [
        {
            "id": r.id,
            "process_id": r.process_id,
            "version": r.version,
            "status": r.status,
            "title": r.title,
            "business_key": r.business_key,
            "started": r.started_at.isoformat(),
            "ended": r.ended_at.isoformat() if r.ended_at else None,
            "current_tasks": r.current_tasks,
            "summary": redact(r.summary or {}, current_user),
        }
        for r in page.rows
    ]
    return jsonify(instances=rows, page=page.page, pages=page.pages, total=page.total)


def _readable(instance_id: int):
    engine = get_engine()
    instance = engine.instance(instance_id)
    if not may_read_instance(engine, current_user, instance_id):
        abort(403)
    return engine, instance


@bp.get("/instances/<int:instance_id>")
@login_required
def instance(instance_id: int):
    engine, found = _readable(instance_id)
    body = found.to_dict()
    body["summary"] = redact(body["summary"], current_user)
    body["data"] = redact(engine.instance_data(instance_id), current_user)
    return jsonify(body)


@bp.get("/instances/<int:instance_id>/history")
@login_required
def history(instance_id: int):
    engine, _found = _readable(instance_id)
    entries = []
    for entry in engine.history(instance_id):
        item = entry.to_dict()
        item["data"] = redact(item["data"], current_user)
        entries.append(item)
    return jsonify(history=entries)


# ---------------------------------------------------------------------- the operations console
# Incidents, an instance's course (suspend, resume, terminate, move back or forward) and versions (diff,
# migration preview and migration) for administrators and analysts; the engine checks the role
# again (editing data, skipping, moving and migrating are for administrators) and refuses with a
# message for people, which ``engine_refused`` above turns into the JSON error.
CONSOLE_ROLES = ("admin", "analis")


def _body() -> dict:
    """The posted JSON object (an empty one when nothing or not an object was sent)."""
    body = request.get_json(silent=True)
    if body is not None and not isinstance(body, dict):
        abort(400, description="isi permintaan harus berupa objek JSON")
    return body or {}


def _text(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        abort(400, description=f"'{name}' harus berupa teks")
    return value


def _version(values, name: str) -> int:
    value = values.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    abort(400, description=f"'{name}' wajib diisi dengan nomor versi (angka)")


@bp.get("/incidents")
@roles_required(*CONSOLE_ROLES)
def incidents():
    instance_id = request.args.get("instance", type=int)
    open_only = request.args.get("all", "") not in ("1", "true", "ya")
    found = get_engine().incidents(open_only=open_only, instance_id=instance_id)
    return jsonify(incidents=[i.to_dict() for i in found])


@bp.get("/incidents/<int:incident_id>")
@roles_required(*CONSOLE_ROLES)
def incident(incident_id: int):
    """One incident as the console shows it: the error, the element, its request and, while it is
    open, the failed step's data (the complainant's identity hidden from those who may not read it)."""
    engine = get_engine()
    view = engine.incident(incident_id)
    data = None
    if view.resolved_at is None:
        data = redact(engine.incident_data(incident_id), current_user)
    return jsonify(
        incident=view.to_dict(), instance=engine.instance(view.instance_id).to_dict(), data=data
    )


def _incident_outcome(view):
    instance = get_engine().instance(view.instance_id)
    return jsonify(incident=view.to_dict(), instance=instance.to_dict())


@bp.post("/incidents/<int:incident_id>/retry")
@roles_required(*CONSOLE_ROLES)
def incident_retry(incident_id: int):
    body = _body()
    data = body.get("data")
    if data is not None and not isinstance(data, dict):
        abort(400, description="'data' harus berupa objek JSON (kunci: nilai baru)")
    view = get_engine().retry(
        incident_id, current_user.username, data=data or None, reason=_text(body, "reason")
    )
    return _incident_outcome(view)


@bp.post("/incidents/<int:incident_id>/skip")
@roles_required("admin")
def incident_skip(incident_id: int):
    body = _body()
    data = body.get("data")
    if data is not None and not isinstance(data, dict):
        abort(400, description="'data' harus berupa objek JSON (kunci: nilai yang ditulis)")
    view = get_engine().skip(
        incident_id, current_user.username, _text(body, "reason") or "", data=data
    )
    return _incident_outcome(view)


@bp.post("/instances/<int:instance_id>/suspend")
@roles_required(*CONSOLE_ROLES)
def instance_suspend(instance_id: int):
    reason = _text(_body(), "reason") or ""
    return jsonify(get_engine().suspend(instance_id, current_user.username, reason).to_dict())


@bp.post("/instances/<int:instance_id>/resume")
@roles_required(*CONSOLE_ROLES)
def instance_resume(instance_id: int):
    return jsonify(get_engine().resume(instance_id, current_user.username).to_dict())


@bp.post("/instances/<int:instance_id>/terminate")
@roles_required(*CONSOLE_ROLES)
def instance_terminate(instance_id: int):
    reason = _text(_body(), "reason") or ""
    return jsonify(get_engine().terminate(instance_id, current_user.username, reason).to_dict())


@bp.post("/instances/<int:instance_id>/move")
@roles_required("admin")
def instance_move(instance_id: int):
    """Back to a step already passed or, with ``"direction": "forward"``, on to a later step."""
    body = _body()
    element_id = _text(body, "element_id")
    direction = _text(body, "direction") or "back"
    if direction not in ("back", "forward"):
        abort(400, description="'direction' harus 'back' (mundur) atau 'forward' (maju)")
    if not element_id:
        abort(400, description="'element_id' wajib diisi: id langkah tujuan")
    engine = get_engine()
    move = engine.move_forward if direction == "forward" else engine.move
    moved = move(instance_id, current_user.username, element_id, _text(body, "reason") or "")
    return jsonify(moved.to_dict())


@bp.get("/processes/<process_id>/diff")
@roles_required(*CONSOLE_ROLES)
def process_diff(process_id: str):
    old, new = _version(request.args, "from"), _version(request.args, "to")
    return jsonify(get_engine().versions.diff(process_id, old, new).to_dict())


def _candidates(found) -> list[dict]:
    return [
        {
            "instance_id": c.instance_id,
            "title": c.title,
            "current_tasks": c.current_tasks,
            "can_move": c.can_move,
            "reason": c.reason,
        }
        for c in found
    ]


@bp.get("/processes/<process_id>/migration")
@roles_required(*CONSOLE_ROLES)
def migration_preview(process_id: str):
    old, new = _version(request.args, "from"), _version(request.args, "to")
    return jsonify(candidates=_candidates(get_engine().versions.preview(process_id, old, new)))


@bp.post("/processes/<process_id>/migration")
@roles_required("admin")
def migration(process_id: str):
    body = _body()
    old, new = _version(body, "from"), _version(body, "to")
    ids = body.get("instance_ids")
    if ids is not None and not (
        isinstance(ids, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
    ):
        abort(400, description="'instance_ids' harus berupa daftar nomor permohonan")
    moved = get_engine().versions.migrate(process_id, old, new, current_user.username, ids)
    return jsonify(candidates=_candidates(moved))


#: who may send a message from outside: analysts, administrators (an outside system signs in with
#: such an account over HTTP Basic)
MESSAGE_SENDERS = ("analis", "admin")


@bp.post("/messages")
@roles_required(*MESSAGE_SENDERS)
def messages():
    """Deliver a message (``name``, ``correlation_key``: the business key, ``payload``: an object)
    to the instance waiting for it (``BpmnEngine.correlate_message``)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response(
            400, _("Isi permintaan harus objek JSON: name, correlation_key, payload.")
        )
    name, key, payload = body.get("name"), body.get("correlation_key"), body.get("payload", {})
    if not isinstance(name, str) or not name.strip():
        return error_response(400, _("name (nama pesan) wajib diisi."))
    if not isinstance(key, str) or not key.strip():
        return error_response(400, _("correlation_key (kunci bisnis instans) wajib diisi."))
    if not isinstance(payload, dict):
        return error_response(400, _("payload harus objek JSON."))
    caught = get_engine().correlate_message(
        name.strip(), payload, key.strip(), current_user.username
    )
    if not caught:
        return error_response(
            404,
            _(
                "Tidak ada instans berjalan dengan kunci bisnis %(key)s yang menunggu pesan %(name)s.",
                key=key.strip(),
                name=name.strip(),
            ),
        )
    return jsonify(instances=caught)


@bp.post("/processes/<process_id>/instances")
@login_required
def start_instance(process_id: str):
    """Start a deployed process from its start form's values (a JSON object) as the caller;
    201 with the instance id and its tracking code (the business key)."""
    engine = get_engine()
    engine.start_form(process_id, current_user.username)  # 404 / 403 before the body
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response(400, _("Isi permintaan harus objek JSON berisi isian formulir awal."))
    code = tracking.new_code()
    started = engine.start_with_form(process_id, body, current_user.username, code, TRACKING_KEY)
    return jsonify(id=started.id, tracking_code=code, status=started.status), 201
