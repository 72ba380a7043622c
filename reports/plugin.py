"""Documents as a plug-in: ``reports.render`` over every registered document, ``reports.sign``,
and the commands ``laksana report``, ``documents`` and ``document``.

``reports.render`` renders a Word template when the service task names one (``template``,
``reports.template_letter``; the ``.docx`` format is declared here for deploy's checks), else it
dispatches to ``registration.documents``: the documents the other plug-ins
declare (``registration.document(kind, renderer)``), so a new SOP package brings its own.
"""

from __future__ import annotations

from engine.plugins import Registration

from . import office_pdf, template_letter, topics
from .cli import document, documents, report
from .word import DOCX_FORMAT


def register(registration: Registration) -> None:
    registration.topic(
        "reports.render", template_letter.with_templates(topics.make_render(registration.documents))
    )
    registration.template_format(DOCX_FORMAT)
    registration.topic("reports.sign", topics.sign)
    registration.worker_start(warm_office_for_templates)
    registration.command(report)
    registration.command(documents)
    registration.command(document)


def warm_office_for_templates(engine) -> bool:
    """When a worker starts and a deployed process has Word templates, start LibreOffice and
    convert an empty page, so the first letter waits no ~6 s for it. True when warmed."""
    if not engine.settings.office_prewarm:
        return False
    latest: dict[str, int] = {}
    for definition in engine.list_definitions():
        latest[definition.process_id] = max(
            latest.get(definition.process_id, 0), definition.version
        )
    if not any(engine.definition_templates(pid, version) for pid, version in latest.items()):
        return False
    return office_pdf.prewarm()
