"""Documents as a plug-in: ``reports.render`` over every registered document, ``reports.sign``,
and the commands ``laksana report``, ``documents`` and ``document``.

``reports.render`` renders a Word template when the service task names one (``template``,
``reports.template_letter``; the ``.docx`` format is declared here for deploy's checks), else it
dispatches to ``registration.documents``: the documents the other plug-ins
declare (``registration.document(kind, renderer)``), so a new SOP package brings its own.
"""

from __future__ import annotations

from engine.plugins import Registration

from . import template_letter, topics
from .cli import document, documents, report
from .word import DOCX_FORMAT


def register(registration: Registration) -> None:
    registration.topic(
        "reports.render", template_letter.with_templates(topics.make_render(registration.documents))
    )
    registration.template_format(DOCX_FORMAT)
    registration.topic("reports.sign", topics.sign)
    registration.command(report)
    registration.command(documents)
    registration.command(document)
