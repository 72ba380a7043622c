"""Who may read which request, and what of it.

Managers and administrators read every request. Everyone else reads a request
they take part in: they acted in it (the audit log names them) or one of its
open tasks is theirs (their role, or claimed by them). A requester outside the
office sees only the public status by tracking code (``web.views.requests``).

Complainants' identity: data keys starting with ``pelapor_`` (and documents
whose kind starts with ``pengaduan``) are shown only to the complaint desk
(``petugas_pengaduan``); the unit complained about, and anyone else, sees
"(dirahasiakan)" instead. The complaint process keeps its identity fields under
that prefix.
"""

from __future__ import annotations

from typing import Any

from engine.documents import DocumentView
from webkit.access import SignedInUser

IDENTITY_PREFIXES = ("pelapor_",)
IDENTITY_DOCUMENT_KINDS = ("pengaduan",)
IDENTITY_READERS = frozenset({"petugas_pengaduan"})
#: audit actions that make someone a participant (a refused attempt does not)
HIDDEN = "(dirahasiakan)"


def reads_identity(user: SignedInUser | None) -> bool:
    return user is not None and user.has_any(IDENTITY_READERS)


def is_identity_key(key: str) -> bool:
    return key.startswith(IDENTITY_PREFIXES)


def redact(data: dict[str, Any], user: SignedInUser | None) -> dict[str, Any]:
    """The data with the complainant's identity hidden from those who may not read it."""
    if reads_identity(user):
        return dict(data)
    return {
        key: (HIDDEN if is_identity_key(key) and value not in (None, "") else value)
        for key, value in data.items()
    }


def document_visible(kind: str, user: SignedInUser | None) -> bool:
    return reads_identity(user) or not kind.startswith(IDENTITY_DOCUMENT_KINDS)


def may_read_instance(engine, user: SignedInUser, instance_id: int) -> bool:
    """Overseers read every request; others those they take part in (``BpmnEngine.takes_part``)."""
    return user.oversees or engine.takes_part(instance_id, user.username)


def visible_documents(engine, user: SignedInUser, instance_id: int) -> list[DocumentView]:
    """The instance's documents ``user`` may see, oldest first."""
    return [
        doc
        for doc in engine.documents.for_instance(instance_id)
        if document_visible(doc.kind, user)
    ]
