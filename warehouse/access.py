"""SOP step 3: access grants for one request and one operator, and the query log.

A grant is valid until the end of its last day in Asia/Jakarta and only for
the request (process instance) and the operator it names; a newer grant for
the same request revokes the older ones. Every query and every refusal is a
``QueryLog`` row; the row of a failed query survives the rollback its
exception causes (see :class:`_KeepAfterRollback`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from engine.models import User
from engine.services import ServiceError

from .models import AccessGrant, QueryLog

JAKARTA = ZoneInfo("Asia/Jakarta")
OPERATOR_ROLE = "operator"
ADMIN_ROLE = "admin"
MIN_REASON_LENGTH = 10


class AccessRefused(ServiceError):
    """No valid grant for this request and user (the refusal is already in the query log)."""


def as_utc(moment: datetime) -> datetime:
    return (
        moment.replace(tzinfo=timezone.utc)
        if moment.tzinfo is None
        else moment.astimezone(timezone.utc)
    )


def end_of_day(last_day: date) -> datetime:
    """The first instant after ``last_day`` in Jakarta, as UTC (grants expire there)."""
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=JAKARTA).astimezone(
        timezone.utc
    )


def create_grant(
    session: Session,
    instance_id: int,
    operator: str,
    last_day: date,
    granted_by: str | None,
    now: datetime,
) -> AccessGrant:
    """Grant ``operator`` warehouse access for the request until the end of ``last_day``."""
    user = session.scalar(select(User).where(User.username == operator))
    if user is None:
        raise ServiceError(f"Pengguna '{operator}' tidak ditemukan; pilih operator yang terdaftar.")
    if not user.active or not user.has_role(OPERATOR_ROLE):
        raise ServiceError(
            f"Pengguna '{operator}' bukan operator aktif; akses gudang data hanya untuk operator."
        )
    expires_at = end_of_day(last_day)
    if expires_at <= as_utc(now):
        raise ServiceError(f"Tanggal berlaku akses ({last_day.isoformat()}) sudah lewat.")
    session.execute(
        update(AccessGrant)
        .where(AccessGrant.instance_id == instance_id, AccessGrant.revoked_at.is_(None))
        .values(revoked_at=as_utc(now))
    )
    grant = AccessGrant(
        instance_id=instance_id,
        operator=operator,
        granted_by=granted_by,
        granted_at=as_utc(now),
        expires_at=expires_at,
    )
    session.add(grant)
    session.flush()
    return grant


def valid_grant(
    session: Session, instance_id: int | None, username: str | None, now: datetime
) -> AccessGrant | None:
    if instance_id is None or not username:
        return None
    return session.scalar(
        select(AccessGrant)
        .where(
            AccessGrant.instance_id == instance_id,
            AccessGrant.operator == username,
            AccessGrant.revoked_at.is_(None),
            AccessGrant.expires_at > as_utc(now),
        )
        .order_by(AccessGrant.id.desc())
        .limit(1)
    )


def refusal_message(instance_id: int | None, username: str | None) -> str:
    who = username or "(tanpa pengguna)"
    return (
        f"Akses gudang data ditolak: {who} tidak memiliki izin akses yang berlaku untuk permohonan "
        f"#{instance_id}. Minta Kasi memberikan akses (langkah 'Beri akses')."
    )


def authorize_cli(
    session: Session,
    *,
    instance_id: int | None,
    username: str | None,
    admin_reason: str | None,
    spec: dict[str, Any],
    os_user: str,
    now: datetime,
) -> tuple[str, str]:
    """Who a CLI query runs as and how: (username, "ok" under a grant | "override").

    Under a grant: the request and the operator it names (as in the web). An
    administrator's override names an active admin account and a reason; it is
    logged as ``override`` with the reason and the OS user. Anything else is
    refused and logged (:class:`AccessRefused`).
    """
    if admin_reason is not None:
        message = _override_problem(session, username, admin_reason)
        if message is None:
            return str(
                username
            ), f"penggantian administrator oleh {os_user}: {admin_reason.strip()}"
    elif instance_id is not None and valid_grant(session, instance_id, username, now) is not None:
        return str(username), ""
    else:
        message = (
            refusal_message(instance_id, username)
            if instance_id is not None
            else "Akses gudang data ditolak: kueri memerlukan izin akses; berikan --request NOMOR "
            "--user OPERATOR, atau --user ADMIN --admin-override ALASAN."
        )
    log_query(
        session,
        username=username or os_user,
        instance_id=instance_id,
        spec=spec,
        outcome="refused",
        message=message,
        survive_rollback=True,
    )
    raise AccessRefused(message)


def _override_problem(session: Session, username: str | None, reason: str) -> str | None:
    user = session.scalar(select(User).where(User.username == username)) if username else None
    if user is None or not user.active or not user.has_role(ADMIN_ROLE):
        return (
            f"Akses gudang data ditolak: --admin-override hanya untuk administrator aktif "
            f"(--user {username or '?'} bukan administrator)."
        )
    if len(reason.strip()) < MIN_REASON_LENGTH:
        return (
            f"Akses gudang data ditolak: --admin-override: tuliskan alasan paling sedikit "
            f"{MIN_REASON_LENGTH} karakter."
        )
    return None


def log_query(
    session: Session,
    *,
    username: str | None,
    instance_id: int | None,
    spec: dict[str, Any],
    outcome: str,
    message: str = "",
    rows: int = 0,
    milliseconds: float = 0.0,
    survive_rollback: bool = False,
) -> QueryLog:
    """Add one query-log row to ``session`` (flushed; the caller's transaction commits it).

    With ``survive_rollback`` (a refusal or failure about to be raised) the row is
    written even when the exception rolls back the savepoint or the transaction.
    """
    fields = {
        "username": username,
        "instance_id": instance_id,
        "spec": spec,
        "outcome": outcome,
        "message": message,
        "rows": rows,
        "milliseconds": round(milliseconds, 2),
    }
    if survive_rollback:
        return _KeepAfterRollback(session, fields).entry
    entry = QueryLog(**fields)
    session.add(entry)
    session.flush()
    return entry


class _KeepAfterRollback:
    """Re-adds a log row that a rollback discarded.

    A handler's exception rolls back its savepoint (the engine runs handlers in
    one); the row is then added again to the still-active outer transaction. If
    the whole transaction is rolled back (a web request failing), the row is
    written in a transaction of its own, once the session holds no locks.
    """

    def __init__(self, session: Session, fields: dict[str, Any]) -> None:
        self.fields = fields
        self.finished = False
        self.entry = QueryLog(**fields)
        session.add(self.entry)
        session.flush()
        event.listen(session, "after_soft_rollback", self._after_rollback)
        event.listen(session, "after_commit", self._after_commit)

    def _after_commit(self, session: Session) -> None:
        if inspect(self.entry).persistent:
            self.finished = True

    def _after_rollback(self, session: Session, previous) -> None:
        if self.finished or not inspect(self.entry).transient:
            return
        self.entry = QueryLog(**self.fields)
        if previous.nested and session.is_active:
            session.add(self.entry)  # back into the outer transaction
            return
        with Session(bind=session.get_bind()) as own, own.begin():
            own.add(self.entry)
        self.finished = True
