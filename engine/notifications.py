"""Notifications through the facade: the in-app messages and e-mails an instance produced.

Pages read them with ``BpmnEngine.notifications`` (plain :class:`NotificationView` values);
a package that writes one in a transaction it already holds uses :func:`add_notification`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Database
from .models import Notification, utcnow


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
        )


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
) -> None:
    """A notification in the caller's transaction (it is kept when that one commits)."""
    session.add(
        Notification(
            instance_id=instance_id,
            recipient_role=recipient_role,
            recipient_user=recipient_user,
            recipient_email=recipient_email,
            subject=subject,
            body=body,
            kind=kind,
            created_at=created_at or utcnow(),
        )
    )


class Notifications:
    """``BpmnEngine.notifications``: what was sent about an instance."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def for_instance(self, instance_id: int | None) -> list[NotificationView]:
        """The instance's notifications, oldest first."""
        with self.db.Session() as session:
            rows = session.scalars(
                select(Notification)
                .where(Notification.instance_id == instance_id)
                .order_by(Notification.created_at, Notification.id)
            )
            return [NotificationView.of(row) for row in rows]
