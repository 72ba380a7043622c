"""What the facade hands out: plain data, never SpiffWorkflow objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .forms import FormFieldView


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class TaskView:
    id: str
    instance_id: int
    process_id: str
    element_id: str
    name: str
    role: str
    candidate_roles: list[str]
    ready_at: datetime
    due: datetime | None
    claimed_by: str | None
    fields: list[FormFieldView] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    #: users the task is offered to by name (an assignee, candidate users, a reassignment)
    candidate_users: list[str] = field(default_factory=list)

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and self.due < now

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "instance_id": self.instance_id,
            "process_id": self.process_id,
            "element_id": self.element_id,
            "name": self.name,
            "role": self.role,
            "candidate_roles": self.candidate_roles,
            "ready_at": iso(self.ready_at),
            "due": iso(self.due),
            "claimed_by": self.claimed_by,
            "properties": self.properties,
            "fields": [
                {
                    k: f.to_dict()[k]
                    for k in ("id", "label", "type", "required", "options", "default")
                }
                for f in self.fields
            ],
        }


@dataclass
class InstanceView:
    id: int
    process_id: str
    version: int
    status: str
    started: datetime
    ended: datetime | None
    current_tasks: list[str]
    next_timer: datetime | None
    title: str
    business_key: str | None
    started_by: str | None
    summary: dict[str, Any]
    #: after an action: the ids of the open user tasks, in the order of ``current_tasks``; else None
    open_task_ids: list[str] | None = None

    @classmethod
    def of(cls, row) -> InstanceView:
        return cls(
            row.id,
            row.process_id,
            row.version,
            row.status,
            row.started_at,
            row.ended_at,
            list(row.current_tasks or []),
            row.next_timer,
            row.title,
            row.business_key,
            row.started_by,
            dict(row.summary or {}),
            list(getattr(row, "open_task_order", None) or []) or None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "process_id": self.process_id,
            "version": self.version,
            "status": self.status,
            "started": iso(self.started),
            "ended": iso(self.ended),
            "current_tasks": self.current_tasks,
            "next_timer": iso(self.next_timer),
            "title": self.title,
            "business_key": self.business_key,
            "started_by": self.started_by,
            "summary": self.summary,
        }


@dataclass
class HistoryEntry:
    id: int
    at: datetime
    actor: str | None
    action: str
    element_id: str | None
    name: str | None
    task_id: str | None
    data: dict[str, Any]
    #: an acting official's step: the official it was done for, and "plh" or "plt"
    on_behalf_of: str | None = None
    acting_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        found = {
            "at": iso(self.at),
            "actor": self.actor,
            "action": self.action,
            "element_id": self.element_id,
            "name": self.name,
            "task_id": self.task_id,
            "data": self.data,
        }
        if self.on_behalf_of:
            found["on_behalf_of"], found["acting_kind"] = self.on_behalf_of, self.acting_kind
        return found


@dataclass
class IncidentView:
    id: int
    instance_id: int
    task_id: str
    element_id: str
    element_name: str
    topic: str | None
    message: str
    created_at: datetime
    resolved_at: datetime | None
    attempts: int

    @classmethod
    def of(cls, row) -> IncidentView:
        return cls(
            row.id,
            row.instance_id,
            row.task_id,
            row.element_id,
            row.element_name,
            row.topic,
            row.message,
            row.created_at,
            row.resolved_at,
            row.attempts,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "instance_id": self.instance_id,
            "task_id": self.task_id,
            "element_id": self.element_id,
            "element_name": self.element_name,
            "topic": self.topic,
            "message": self.message,
            "created_at": iso(self.created_at),
            "resolved_at": iso(self.resolved_at),
            "attempts": self.attempts,
            "status": "open" if self.resolved_at is None else "resolved",
        }


@dataclass
class DefinitionView:
    id: int
    process_id: str
    version: int
    name: str
    filename: str
    deployed_at: datetime
    deployed_by: str | None
    #: what the deploying analyst said changed (empty for versions deployed without a note)
    change_note: str = ""

    @classmethod
    def of(cls, row) -> DefinitionView:
        return cls(
            row.id,
            row.process_id,
            row.version,
            row.name,
            row.filename,
            row.deployed_at,
            row.deployed_by,
            row.change_note or "",
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "process_id": self.process_id,
            "version": self.version,
            "name": self.name,
            "filename": self.filename,
            "deployed_at": iso(self.deployed_at),
            "deployed_by": self.deployed_by,
            "change_note": self.change_note,
        }
