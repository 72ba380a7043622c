"""The engine store's tables (SQLAlchemy 2.0).

One metadata for every operational table of Laksana: process definitions and
their versions, instances, the open human tasks (a queryable mirror of the
READY user tasks), the append-only audit log, incidents, notifications, the
document archive, running numbers, users with their API tokens, the roles they hold and the
acting officials (delegations). Plug-in packages add their own
tables on the same ``Base`` (their ``register`` declares them). The schema is created and upgraded by Alembic (``migrations/``).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column
from sqlalchemy.types import TypeDecorator

from .ids import MAX_ROW_ID, is_row_id  # noqa: F401 - re-exported for the engine's modules


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class TZDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                value = value.replace(tzinfo=timezone.utc)
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: TZDateTime}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    nip: Mapped[str] = mapped_column(String(32), default="")
    #: pangkat/golongan, printed under the name in signature blocks
    rank: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    roles: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def has_role(self, role: str) -> bool:
        return role in (self.roles or [])


class ApiToken(Base):
    """A personal API token: only its SHA-256 is kept (the token itself is shown once)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    #: hex SHA-256 of the whole token (high-entropy, so a fast hash is enough)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    #: the first characters, to tell tokens apart in lists
    hint: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Role(Base):
    """A role people hold and diagrams name (lanes, ``camunda:candidateGroups``): data, not code."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    #: the name people read (Bahasa Indonesia)
    name: Mapped[str] = mapped_column(String(200))
    #: the office's division (bidang) the role belongs to, if any
    bidang: Mapped[str] = mapped_column(String(200), default="")
    #: the role heads its bidang (a Kepala Bidang): it may hand the bidang's open tasks to others
    heads_bidang: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delegation(Base):
    """An acting official (Plh/Plt): the delegate does the delegator's tasks from ``starts_on``
    to ``ends_on`` (WIB dates, both included)."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegator: Mapped[str] = mapped_column(String(64), index=True)
    delegate: Mapped[str] = mapped_column(String(64), index=True)
    #: "plh" (pelaksana harian) or "plt" (pelaksana tugas)
    kind: Mapped[str] = mapped_column(String(8))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: set when ended early (``ends_on`` is then moved back)
    ended_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ProcessDefinition(Base):
    """One deployed version of one process; the parsed spec is stored once here."""

    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("process_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(128), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    bpmn_xml: Mapped[str] = deferred(mapped_column(Text))
    spec_json: Mapped[str] = deferred(mapped_column(Text))
    checksum: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime] = mapped_column(default=utcnow)
    deployed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: what the deploying analyst said changed from the version before (empty when none was asked)
    change_note: Mapped[str] = mapped_column(Text, default="", server_default="")


class ProcessTemplate(Base):
    """A letter template (e.g. a Word ``.docx``) deployed with one process version."""

    __tablename__ = "process_templates"
    __table_args__ = (UniqueConstraint("definition_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    #: the placeholders found at deploy (the model page lists them)
    placeholders: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessInstance(Base):
    __tablename__ = "process_instances"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"))
    process_id: Mapped[str] = mapped_column(String(128), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="running", index=True)
    business_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    current_tasks: Mapped[list[Any]] = mapped_column(default=list)
    next_timer: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    started_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state_json: Mapped[str] = deferred(mapped_column(Text))
    #: optimistic lock: every save is ``UPDATE ... WHERE row_version = <the version read>``
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class HumanTask(Base):
    """An open (READY) user task; rows are replaced on every engine action."""

    __tablename__ = "human_tasks"
    __table_args__ = (Index("ix_human_tasks_role_due", "role", "due_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(128))
    element_id: Mapped[str] = mapped_column(String(128))
    #: the deployed version whose spec holds the step when it is not the instance's: the called
    #: process's latest version a call activity ran (``engine.call_binding``); its form is there
    step_definition_id: Mapped[int | None] = mapped_column(nullable=True)
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(64))
    candidate_roles: Mapped[list[Any]] = mapped_column(default=list)
    #: users the task is offered to by name (``camunda:assignee`` / ``candidateUsers``, a reassignment)
    candidate_users: Mapped[list[Any]] = mapped_column(default=list)
    #: candidate_users is not empty: inbox queries include it and check the names in Python
    named: Mapped[bool] = mapped_column(Boolean, default=False)
    #: more than one candidate role: inbox queries include it and filter candidate_roles in Python
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    ready_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AuditEntry(Base):
    """Append-only: who did what, when, with what data. History is read from here."""

    __tablename__ = "audit_log"
    #: the dashboard reads step durations by time, action and element
    __table_args__ = (Index("ix_audit_log_at_action", "at", "action", "instance_id", "element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_instances.id"), index=True, nullable=True
    )
    task_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    element_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    element_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: the delegator an acting official (Plh/Plt) did the step for, and the kind of delegation
    on_behalf_of: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acting_kind: Mapped[str | None] = mapped_column(String(8), nullable=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)  # ix_audit_log_at_action leads with it
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Incident(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(128))
    element_name: Mapped[str] = mapped_column(String(255), default="")
    topic: Mapped[str | None] = mapped_column(String(128), nullable=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)

    @property
    def open(self) -> bool:
        return self.resolved_at is None


class Notification(Base):
    """In-app notification to a user or to everyone holding a role."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_instances.id"), nullable=True, index=True
    )
    recipient_user: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    recipient_role: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    recipient_email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(32), default="info")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: read by its user (a role's notification is read per person: ``notification_reads``)
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: the user task it announces (new task, rework, escalation), to link to it and close it
    task_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)


class NotificationRead(Base):
    """A holder of the role a notification went to has read it (per person; the row's own
    ``read_at`` closes it for all)."""

    __tablename__ = "notification_reads"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Base):
    """The archive: every document the system produced or received, with its SHA-256."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_instances.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255), default="")
    number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    signer: Mapped[str | None] = mapped_column(String(255), nullable=True)
    signed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    supersedes: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Counter(Base):
    """Running numbers (letter numbers per year, agenda numbers, ...)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
