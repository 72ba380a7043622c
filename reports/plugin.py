"""Documents as a plug-in: ``reports.render`` over every registered document, ``reports.sign``,
and the commands ``laksana report``, ``documents`` and ``document``.

``reports.render`` dispatches to ``registration.documents``: the documents the other plug-ins
declare (``registration.document(kind, renderer)``), so a new SOP package brings its own.
"""

from __future__ import annotations

from engine.plugins import Registration

from . import topics
from .cli import document, documents, report


def register(registration: Registration) -> None:
    registration.topic("reports.render", topics.make_render(registration.documents))
    registration.topic("reports.sign", topics.sign)
    registration.command(report)
    registration.command(documents)
    registration.command(document)
