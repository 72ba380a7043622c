"""The document archive: every produced or received file kept with its SHA-256."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .models import Counter, Document, utcnow


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def new_document_id() -> str:
    return str(uuid.uuid4())


def store_document(
    session: Session,
    *,
    kind: str,
    filename: str,
    content: bytes,
    instance_id: int | None = None,
    title: str = "",
    number: str | None = None,
    mime_type: str = "application/pdf",
    signed: bool = False,
    signer: str | None = None,
    signed_at: datetime | None = None,
    supersedes: str | None = None,
    created_by: str | None = None,
    document_id: str | None = None,
) -> Document:
    """Add a document to the archive (in the caller's transaction) and return it."""
    doc = Document(
        id=document_id or new_document_id(),
        instance_id=instance_id,
        kind=kind,
        title=title,
        number=number,
        filename=filename,
        mime_type=mime_type,
        content=content,
        size=len(content),
        sha256=sha256_hex(content),
        signed=signed,
        signer=signer,
        signed_at=signed_at,
        supersedes=supersedes,
        created_by=created_by,
        created_at=utcnow(),
    )
    session.add(doc)
    session.flush()
    return doc


def find_by_sha256(session: Session, digest: str) -> Document | None:
    return session.scalars(select(Document).where(Document.sha256 == digest)).first()


def next_number(session: Session, name: str, year: int) -> int:
    """The next running number of a series for a year (letters, agenda, receipts).

    One statement that creates the year's counter or adds one to it (``INSERT ... ON CONFLICT
    DO UPDATE ... RETURNING``, on PostgreSQL and SQLite alike): the row stays locked until the
    action ends, so concurrent actions take turns. Reading then inserting lost the race for the
    first number of a year on PostgreSQL (both found no row, one insert failed: a 500 under
    load).
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Counter)
        .values(name=name, year=year, value=1)
        .on_conflict_do_update(
            index_elements=[Counter.name, Counter.year], set_={"value": Counter.value + 1}
        )
        .returning(Counter.value)
    )
    session.flush()  # pending ORM changes first, so the statement sees them
    return int(session.execute(statement).scalar_one())
