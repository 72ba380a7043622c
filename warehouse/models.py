"""The warehouse's tables in the engine store: access grants, the query log, kept datasets.

They live on the engine's ``Base`` (one metadata, one Alembic history) and are declared by
``warehouse.plugin.register``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from engine.models import Base, utcnow


class AccessGrant(Base):
    """SOP step 3: the Kasi grants a named operator warehouse access for one request."""

    __tablename__ = "access_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    operator: Mapped[str] = mapped_column(String(64))
    granted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class QueryLog(Base):
    """Every warehouse query and every refusal: who, which request, the spec, rows, ms."""

    __tablename__ = "query_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    username: Mapped[str | None] = mapped_column(String(64), nullable=True)
    instance_id: Mapped[int | None] = mapped_column(nullable=True, index=True)
    spec: Mapped[dict[str, Any]] = mapped_column(default=dict)
    outcome: Mapped[str] = mapped_column(String(16), default="ok")
    message: Mapped[str] = mapped_column(Text, default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    milliseconds: Mapped[float] = mapped_column(default=0.0)


class Dataset(Base):
    """A warehouse result kept with its instance (for the Kasi's check and the documents)."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    spec: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = deferred(mapped_column(JSON))
