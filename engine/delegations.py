"""Acting officials (Plh/Plt): a delegate does the delegator's tasks for a range of WIB dates.

The task rule (``engine.access``) asks :func:`acting_for` when a user's own roles and name do not
let them do a task: a delegation in effect today whose delegator could do it lets the delegate act
for them, and the completion's audit row says ``on_behalf_of`` and the kind. Pages and the CLI
reach the table through ``BpmnEngine.delegations`` (:class:`Delegations`), plain values only.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .clock import office_date
from .db import Database
from .errors import Conflict, EngineError, Forbidden, NotFound
from .models import Delegation, User
from .notifications import add_notification
from .users import active_roles, find_user

#: kind -> the word before the delegator's position ("Plh. Kepala Dinas")
KINDS = {"plh": "Plh.", "plt": "Plt."}
ADMIN = "admin"


@dataclass(frozen=True)
class Acting:
    """A delegate acting for ``delegator`` under a delegation of ``kind``."""

    delegator: str
    kind: str


@dataclass(frozen=True)
class DelegationView:
    id: int
    delegator: str
    delegate: str
    kind: str
    starts_on: date
    ends_on: date
    reason: str
    created_by: str | None
    ended_by: str | None

    @classmethod
    def of(cls, row: Delegation) -> DelegationView:
        return cls(
            row.id,
            row.delegator,
            row.delegate,
            row.kind,
            row.starts_on,
            row.ends_on,
            row.reason or "",
            row.created_by,
            row.ended_by,
        )

    def in_effect(self, on: date) -> bool:
        return self.ended_by is None and self.starts_on <= on <= self.ends_on

    @property
    def prefix(self) -> str:
        return KINDS.get(self.kind, self.kind)


_IN_EFFECT = (
    Delegation.delegate == bindparam("delegate"),
    Delegation.ended_by.is_(None),
    Delegation.starts_on <= bindparam("on"),
    Delegation.ends_on >= bindparam("on"),
)
_ANY_IN_EFFECT = select(Delegation.id).where(*_IN_EFFECT).limit(1)
_ALL_IN_EFFECT = select(Delegation).where(*_IN_EFFECT)


def in_effect(session: Session, delegate: str, on: date) -> list[Delegation]:
    """The delegations under which ``delegate`` acts on the date ``on``.

    Asked on every task list and inbox, and nearly always empty: a light query says so before
    the ORM loads any (a third of the cost when there is none)."""
    params = {"delegate": delegate, "on": on}
    if session.connection().execute(_ANY_IN_EFFECT, params).first() is None:
        return []
    return list(session.scalars(_ALL_IN_EFFECT, params))


def acting_for(session: Session, human, username: str, on: date) -> Acting | None:
    """The delegation by which ``username`` may do the open task ``human`` on ``on``, or None."""
    candidates = set(human.candidate_roles or [])
    named = set(getattr(human, "candidate_users", None) or [])
    for delegation in in_effect(session, username, on):
        delegator = delegation.delegator
        roles = active_roles(session, delegator)
        if roles is None:
            continue
        if candidates & set(roles) or delegator in named or human.claimed_by == delegator:
            return Acting(delegator, delegation.kind)
    return None


def delegators_of(session: Session, delegate: str, on: date) -> dict[str, list[str]]:
    """delegator -> their roles, for every delegation ``delegate`` acts under on ``on``."""
    found: dict[str, list[str]] = {}
    for delegation in in_effect(session, delegate, on):
        roles = active_roles(session, delegation.delegator)
        if roles is not None:
            found[delegation.delegator] = roles
    return found


def _active_user(session: Session, username: str, what: str) -> User:
    user = find_user(session, (username or "").strip())
    if user is None:
        raise NotFound(f"{what} '{username}' tidak ada")
    if not user.active:
        raise EngineError(f"{what} '{username}' tidak aktif; pilih pengguna yang aktif")
    return user


class Delegations:
    """``BpmnEngine.delegations``: the "Delegasi" page and its rules."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def today(self) -> date:
        return office_date(self.clock())

    def list(self, user: str | None = None) -> list[DelegationView]:
        """All delegations (newest first), or those ``user`` gave or received."""
        with self.db.Session() as session:
            query = select(Delegation).order_by(Delegation.starts_on.desc(), Delegation.id.desc())
            if user is not None:
                query = query.where((Delegation.delegator == user) | (Delegation.delegate == user))
            return [DelegationView.of(row) for row in session.scalars(query)]

    def acting_for_today(self, delegate: str) -> builtins.list[DelegationView]:
        with self.db.Session() as session:
            return [DelegationView.of(row) for row in in_effect(session, delegate, self.today())]

    def create(
        self,
        delegator: str,
        delegate: str,
        kind: str,
        starts_on: date,
        ends_on: date,
        reason: str,
        by: str,
    ) -> DelegationView:
        """Set a delegation; ``by`` is the delegator or an administrator."""
        kind = (kind or "").strip().lower()
        if kind not in KINDS:
            raise EngineError("jenis delegasi harus Plh atau Plt")
        if ends_on < starts_on:
            raise EngineError(
                f"tanggal selesai ({ends_on:%d-%m-%Y}) sebelum tanggal mulai ({starts_on:%d-%m-%Y})"
            )
        reason = (reason or "").strip()
        if not reason:
            raise EngineError("alasan delegasi wajib diisi")
        with self.db.transaction() as session:
            actor = _active_user(session, by, "pengguna")
            if by != delegator and not actor.has_role(ADMIN):
                raise Forbidden(
                    "hanya pejabat itu sendiri atau administrator yang dapat mendelegasikan"
                )
            official = _active_user(session, delegator, "pemberi delegasi")
            _active_user(session, delegate, "penerima delegasi")
            if delegator == delegate:
                raise EngineError("pemberi dan penerima delegasi tidak boleh orang yang sama")
            overlapping = session.scalars(
                select(Delegation).where(
                    Delegation.delegator == delegator,
                    Delegation.ended_by.is_(None),
                    Delegation.starts_on <= ends_on,
                    Delegation.ends_on >= starts_on,
                )
            ).first()
            if overlapping is not None:
                raise Conflict(
                    f"{delegator} sudah mendelegasikan kepada {overlapping.delegate} "
                    f"({KINDS[overlapping.kind]}) {overlapping.starts_on:%d-%m-%Y} s.d. "
                    f"{overlapping.ends_on:%d-%m-%Y}; rentang tanggal tidak boleh bertumpang tindih"
                )
            row = Delegation(
                delegator=delegator,
                delegate=delegate,
                kind=kind,
                starts_on=starts_on,
                ends_on=ends_on,
                reason=reason[:2000],
                created_by=by,
            )
            session.add(row)
            add_notification(
                session,
                subject=f"Anda ditunjuk sebagai {KINDS[kind]} {official.full_name or delegator}",
                body=(
                    f"{starts_on:%d-%m-%Y} s.d. {ends_on:%d-%m-%Y}: Anda melihat dan "
                    f"menyelesaikan tugas {official.position or delegator}. Alasan: {reason[:500]}"
                ),
                kind="delegasi",
                recipient_user=delegate,
                created_at=self.clock(),
            )
            session.flush()
            return DelegationView.of(row)

    def end(self, delegation_id: int, by: str) -> DelegationView:
        """End a delegation today (the delegate no longer acts from now on)."""
        with self.db.transaction() as session:
            row = session.get(Delegation, delegation_id)
            if row is None:
                raise NotFound(f"delegasi {delegation_id} tidak ada")
            actor = _active_user(session, by, "pengguna")
            if by not in (row.delegator, row.delegate) and not actor.has_role(ADMIN):
                raise Forbidden(
                    "hanya pihak delegasi itu atau administrator yang dapat mengakhirinya"
                )
            if row.ended_by is not None:
                raise Conflict(f"delegasi {delegation_id} sudah diakhiri")
            row.ended_by = by
            row.ends_on = max(min(row.ends_on, self.today()), row.starts_on)
            session.flush()
            return DelegationView.of(row)
