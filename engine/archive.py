"""The document archive: every produced or received file kept with its SHA-256."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from sqlalchemy import select
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

    Row-locked on PostgreSQL; SQLite serialises writers anyway.
    """
    counter = session.scalars(
        select(Counter).where(Counter.name == name, Counter.year == year).with_for_update()
    ).first()
    if counter is None:
        counter = Counter(name=name, year=year, value=0)
        session.add(counter)
    counter.value += 1
    session.flush()
    return counter.value
