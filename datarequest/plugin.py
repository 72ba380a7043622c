"""The data-request SOP's registration: its documents for ``reports.render``."""

from __future__ import annotations

from engine.plugins import Registration
from reports.topics import DATA_REQUEST_DOCUMENTS


def register(registration: Registration) -> None:
    for kind, renderer in DATA_REQUEST_DOCUMENTS.items():
        registration.document(kind, renderer)
