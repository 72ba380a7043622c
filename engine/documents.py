"""Documents through the facade: reading the archive and keeping a received file.

The web reaches the ``documents`` table only through these methods (``BpmnEngine.documents``);
each is one session or transaction of its own and answers plain :class:`DocumentView` values,
never a SQLAlchemy object. Service handlers keep writing in their call's session with
``engine.archive.store_document``; a file that must be kept together with an engine action (the
letter of a registration) is a :class:`NewDocument` handed to that action
(``BpmnEngine.start(documents=[...])``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from .archive import store_document
from .db import Database
from .models import Document, ProcessInstance


@dataclass(frozen=True)
class DocumentView:
    """One archived document; ``content`` only when it was asked for (``Documents.get``)."""

    id: str
    instance_id: int | None
    kind: str
    title: str
    number: str | None
    filename: str
    mime_type: str
    size: int
    sha256: str
    signed: bool
    signer: str | None
    signed_at: datetime | None
    archived: bool
    supersedes: str | None
    created_at: datetime
    created_by: str | None
    content: bytes | None = None

    @classmethod
    def of(cls, doc: Document, content: bool = False) -> DocumentView:
        return cls(
            id=doc.id,
            instance_id=doc.instance_id,
            kind=doc.kind,
            title=doc.title or "",
            number=doc.number,
            filename=doc.filename,
            mime_type=doc.mime_type,
            size=doc.size,
            sha256=doc.sha256,
            signed=bool(doc.signed),
            signer=doc.signer,
            signed_at=doc.signed_at,
            archived=bool(doc.archived),
            supersedes=doc.supersedes,
            created_at=doc.created_at,
            created_by=doc.created_by,
            content=doc.content if content else None,
        )


@dataclass(frozen=True)
class NewDocument:
    """A file to keep with an action; ``{instance_id}`` in ``filename`` becomes the instance's id."""

    kind: str
    filename: str
    content: bytes
    title: str = ""
    number: str | None = None
    mime_type: str = "application/pdf"

    def store(self, session: Session, instance_id: int | None, created_by: str | None) -> Document:
        """Add it to the archive in ``session`` (the caller's transaction)."""
        return store_document(
            session,
            kind=self.kind,
            filename=self.filename.format(instance_id=instance_id),
            content=self.content,
            instance_id=instance_id,
            title=self.title,
            number=self.number,
            mime_type=self.mime_type,
            created_by=created_by,
        )


@dataclass(frozen=True)
class IssuedDocument:
    """A numbered document the office signed (a letter it sent out), with its request's summary."""

    document: DocumentView
    process_id: str | None
    business_key: str | None
    instance_title: str
    summary: dict[str, Any] = field(default_factory=dict)


class Documents:
    """``BpmnEngine.documents``: the archive as the pages read it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, document_id: str, content: bool = False) -> DocumentView | None:
        """One document (with its bytes when ``content``), or None."""
        options = [undefer(Document.content)] if content else []
        with self.db.Session() as session:
            doc = session.get(Document, document_id, options=options)
            return DocumentView.of(doc, content) if doc is not None else None

    def for_instance(self, instance_id: int) -> list[DocumentView]:
        """An instance's documents, oldest first (without their bytes)."""
        with self.db.Session() as session:
            rows = session.scalars(
                select(Document)
                .where(Document.instance_id == instance_id)
                .order_by(Document.created_at, Document.id)
            )
            return [DocumentView.of(doc) for doc in rows]

    def store(
        self, document: NewDocument, instance_id: int | None = None, created_by: str | None = None
    ) -> DocumentView:
        """Keep a file in a transaction of its own."""
        with self.db.transaction() as session:
            return DocumentView.of(document.store(session, instance_id, created_by))

    def issued(self, since: datetime, until: datetime) -> list[IssuedDocument]:
        """The signed numbered documents signed in [since, until), oldest first: one per number
        and request (the first signed, i.e. the letter, not the attachments under its number)."""
        query = (
            select(Document, ProcessInstance)
            .outerjoin(ProcessInstance, ProcessInstance.id == Document.instance_id)
            .where(
                Document.signed.is_(True),
                Document.number.is_not(None),
                Document.number != "",
                Document.signed_at >= since,
                Document.signed_at < until,
            )
            .order_by(Document.signed_at, Document.created_at, Document.id)
        )
        found: dict[tuple[int | None, str], IssuedDocument] = {}
        with self.db.Session() as session:
            for doc, instance in session.execute(query):
                key = (doc.instance_id, doc.number or "")
                if key in found:
                    continue
                found[key] = IssuedDocument(
                    document=DocumentView.of(doc),
                    process_id=instance.process_id if instance else None,
                    business_key=instance.business_key if instance else None,
                    instance_title=instance.title if instance else "",
                    summary=dict(instance.summary or {}) if instance else {},
                )
        return list(found.values())
