"""The data-request SOP's registration: its documents for ``reports.render``, and which of
them the requester downloads from the tracking page."""

from __future__ import annotations

from engine.plugins import Registration
from reports.topics import DATA_REQUEST_DOCUMENTS

#: what the requester receives: the letter, the data (PDF and XLSX), a refusal, the receipt
REQUESTER_DOCUMENTS = (
    "surat_data",
    "lampiran_data",
    "lampiran_data_xlsx",
    "surat_penolakan",
    "tanda_terima",
)


def register(registration: Registration) -> None:
    for kind, renderer in DATA_REQUEST_DOCUMENTS.items():
        registration.document(kind, renderer)
    registration.public_documents(*REQUESTER_DOCUMENTS)
