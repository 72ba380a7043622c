"""Notifications through the facade: the in-app messages and e-mails an instance produced.

Pages read them with ``BpmnEngine.notifications`` (plain :class:`NotificationView` values):
an instance's notifications, and a person's notification centre (the unread count in the
header, the list, marking read). A package that writes one in a transaction it already holds
uses :func:`add_notification`.

Who sees what: a notification addressed to a user is that user's; one addressed to a role is
seen by every holder of the role, each marking it read for themselves (``notification_reads``);
a role's notice about a task closes for everybody once the task is taken (read from
``human_tasks`` when counting: nothing to update on the step's path). An acting official
(Plh/Plt, ``engine.delegations``) also sees, while the delegation runs, the task notices
addressed to the official they act for or to that official's roles. Copies of
e-mails sent to a person (an address and a user, no role) are not shown in the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from .db import Database
from .errors import NotFound
from .models import HumanTask, Notification, NotificationRead, utcnow

#: ``session.info`` key: the notices written in the transaction (see :func:`first_in_transaction`)
WRITTEN = "laksana_notices_written"
#: ``fn(session, username) -> {delegator: their roles}``: whom a person acts for today
ActingFor = Callable[[Session, str], Mapping[str, Sequence[str]]]
#: how many notifications the centre lists at most (newest first)
CENTRE_LIMIT = 200


@dataclass(frozen=True)
class NotificationView:
    id: int
    instance_id: int | None
    recipient_user: str | None
    recipient_role: str | None
    recipient_email: str | None
    subject: str
    body: str
    kind: str
    created_at: datetime
    sent_at: datetime | None
    read_at: datetime | None
    task_id: str | None = None

    @classmethod
    def of(cls, row: Notification) -> NotificationView:
        return cls(
            id=row.id,
            instance_id=row.instance_id,
            recipient_user=row.recipient_user,
            recipient_role=row.recipient_role,
            recipient_email=row.recipient_email,
            subject=row.subject,
            body=row.body or "",
            kind=row.kind,
            created_at=row.created_at,
            sent_at=row.sent_at,
            read_at=row.read_at,
            task_id=row.task_id,
        )


@dataclass(frozen=True)
class CentreEntry:
    """One line of a person's notification centre."""

    notification: NotificationView
    unread: bool
    #: the task it announces is still open (the page links to the task, else to the request)
    task_open: bool


def add_notification(
    session: Session,
    *,
    subject: str,
    body: str = "",
    kind: str = "info",
    instance_id: int | None = None,
    recipient_role: str | None = None,
    recipient_user: str | None = None,
    recipient_email: str | None = None,
    created_at: datetime | None = None,
    task_id: str | None = None,
) -> None:
    """A notification in the caller's transaction (it is kept when that one commits); the same
    notice twice in one transaction (e.g. the engine's escalation and the diagram's, to the same
    role) is written once."""
    key = (instance_id, recipient_role, recipient_user, subject)
    if written_notice(session, key) is not None:
        return
    row = Notification(
        instance_id=instance_id,
        recipient_role=recipient_role,
        recipient_user=recipient_user,
        recipient_email=recipient_email,
        subject=subject[:255],
        body=body,
        kind=kind,
        created_at=created_at or utcnow(),
        task_id=task_id,
    )
    session.add(row)
    remember_notice(session, key, row)


def _written(session: Session) -> dict[tuple, Notification | None]:
    return session.info.setdefault(WRITTEN, {})


def first_in_transaction(session: Session, key: tuple) -> bool:
    """False when an e-mail or notice with this key was already written in the transaction."""
    written = _written(session)
    if key in written:
        return False
    written[key] = None
    return True


def written_notice(session: Session, key: tuple) -> Notification | None:
    """The in-app notice with this key (instance, role, user, subject) written in the transaction."""
    return _written(session).get(key)


def remember_notice(session: Session, key: tuple, row: Notification) -> None:
    _written(session)[key] = row


def _addressed_to(
    username: str, roles: Sequence[str], acting: Mapping[str, Sequence[str]] | None = None
) -> ColumnElement[bool]:
    """Shown in ``username``'s centre: theirs or their roles', not a copy of an e-mail; and
    the task notices of the officials they act for (``acting``: delegator -> their roles)."""
    to_person = Notification.recipient_user == username
    if roles:
        to_person = or_(to_person, Notification.recipient_role.in_(list(roles)))
    if acting:
        delegators_roles = sorted({role for found in acting.values() for role in found})
        for_delegators = or_(
            Notification.recipient_user.in_(sorted(acting)),
            Notification.recipient_role.in_(delegators_roles),
        )
        to_person = or_(to_person, and_(for_delegators, Notification.task_id.is_not(None)))
    in_app = or_(Notification.recipient_email.is_(None), Notification.recipient_role.is_not(None))
    return and_(to_person, in_app)


#: the open task a role's notice is about; an alias, since the centre's query joins human_tasks
#: too (no correlation), made once: aliasing the table's columns cost 1 ms of every page's header
_WAITING = aliased(HumanTask, name="waiting_task")


def _unread_by(username: str) -> ColumnElement[bool]:
    """Not read by ``username``; a role's notice about a task only while that task is still
    open and nobody has taken it (claimed, reassigned, completed: closed for every holder)."""
    read = exists().where(
        NotificationRead.notification_id == Notification.id,
        NotificationRead.username == username,
    )
    task_waiting = (
        exists()
        .where(_WAITING.id == Notification.task_id, _WAITING.claimed_by.is_(None))
        .correlate(Notification)
    )
    still_open = or_(
        Notification.recipient_role.is_(None), Notification.task_id.is_(None), task_waiting
    )
    return and_(Notification.read_at.is_(None), ~read, still_open)


class Notifications:
    """``BpmnEngine.notifications``: what was sent about an instance, and a person's centre.

    The centre's methods take the signed-in person's username and the roles they hold."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = utcnow,
        acting: ActingFor = lambda _session, _username: {},
    ) -> None:
        self.db = db
        self.clock = clock
        #: the officials a person acts for today and their roles (``engine.delegations``)
        self.acting = acting

    def _for(self, session: Session, username: str, roles: Sequence[str]) -> ColumnElement[bool]:
        return _addressed_to(username, roles, self.acting(session, username))

    def unread_count(self, username: str, roles: Sequence[str]) -> int:
        """The header's count: one query over the recipient indexes."""
        with self.db.Session() as session:
            query = select(func.count(Notification.id)).where(
                self._for(session, username, roles), _unread_by(username)
            )
            return int(session.scalar(query) or 0)

    def centre(self, username: str, roles: Sequence[str], *, unread_only: bool = False):
        """The person's notifications, newest first (at most ``CENTRE_LIMIT``)."""
        unread = _unread_by(username)
        with self.db.Session() as session:
            query = (
                select(Notification, unread.label("unread"), HumanTask.id.label("open_task"))
                .outerjoin(HumanTask, HumanTask.id == Notification.task_id)
                .where(self._for(session, username, roles))
                .order_by(Notification.created_at.desc(), Notification.id.desc())
                .limit(CENTRE_LIMIT)
            )
            if unread_only:
                query = query.where(unread)
            return [
                CentreEntry(NotificationView.of(row), bool(is_unread), open_task is not None)
                for row, is_unread, open_task in session.execute(query)
            ]

    def mark_read(self, notification_id: int, username: str, roles: Sequence[str]) -> None:
        """Mark one read for this person; NotFound when it is not theirs to read."""
        with self.db.transaction() as session:
            row = session.scalars(
                select(Notification).where(
                    Notification.id == notification_id, self._for(session, username, roles)
                )
            ).first()
            if row is None:
                raise NotFound(f"pemberitahuan {notification_id} tidak ada")
            self._mark(session, [row], username)

    def mark_all_read(self, username: str, roles: Sequence[str]) -> int:
        """Mark every unread one read for this person; how many were unread."""
        with self.db.transaction() as session:
            rows = list(
                session.scalars(
                    select(Notification).where(
                        self._for(session, username, roles), _unread_by(username)
                    )
                )
            )
            self._mark(session, rows, username)
            return len(rows)

    def _mark(self, session: Session, rows: list[Notification], username: str) -> None:
        now = self.clock()
        for row in rows:
            if row.recipient_user == username:
                row.read_at = row.read_at or now
            elif session.get(NotificationRead, (row.id, username)) is None:
                session.add(
                    NotificationRead(notification_id=row.id, username=username, read_at=now)
                )

    def for_instance(self, instance_id: int | None) -> list[NotificationView]:
        """The instance's notifications, oldest first."""
        with self.db.Session() as session:
            rows = session.scalars(
                select(Notification)
                .where(Notification.instance_id == instance_id)
                .order_by(Notification.created_at, Notification.id)
            )
            return [NotificationView.of(row) for row in rows]
