"""Letter templates deployed with a process version, checked against the diagram's form fields.

An analyst writes a letter in Word with placeholders (``{{ lokasi }}``); the ``.docx`` travels with
its diagram as one bundle and is kept per process version (``process_templates``), so a running
instance renders with the template of its own version. The engine knows no file format: a plug-in
declares one (``Registration.template_format``) with a function that lists a file's placeholders
(or refuses the file with a sentence for people) and the built-in names its renderer fills itself.

A service task names its template by file name in its ``camunda:properties`` (``template``).
Deploy refuses, naming the file (and the element or placeholder): a file of no declared format, a
file that is too big or broken, a placeholder that is neither a form field of the diagram nor a
built-in, and a task naming a template that is neither in the bundle nor kept with the deployed
version. A bundle without templates (the web editor sends the diagram alone) keeps the templates
of the deployed version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import DiagramIssue
from .models import ProcessInstance, ProcessTemplate, utcnow
from .refusals import describe, issue_at

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
#: the service-task property that names a template file of the bundle
TEMPLATE_PROPERTY = "template"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
#: (file name, bytes) of the templates sent with a diagram
Templates = Sequence[tuple[str, bytes]]


class TemplateRejected(Exception):
    """A template that cannot be used; the message is for people (Bahasa Indonesia)."""


@dataclass(frozen=True)
class TemplateFormat:
    """A template file format a plug-in renders (e.g. Word ``.docx``)."""

    suffix: str
    #: ``fn(filename, content) -> placeholders``; raises :class:`TemplateRejected`
    inspect: Callable[[str, bytes], frozenset[str]]
    #: placeholders the renderer fills itself (``nomor_surat``, ``tanggal``, ...)
    builtins: frozenset[str]
    #: what the format is, for messages ("dokumen Word .docx")
    label: str


@dataclass(frozen=True)
class CheckedTemplate:
    filename: str
    content: bytes
    placeholders: tuple[str, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class TemplateView:
    """A template kept with a version, as the model page lists it."""

    filename: str
    size: int
    sha256: str
    placeholders: tuple[str, ...]


def _issue(filename: str, message: str) -> DiagramIssue:
    return DiagramIssue(message, None, None, filename)


def _names(values: Sequence[str], limit: int = 15) -> str:
    shown = ", ".join(values[:limit])
    return shown + (", …" if len(values) > limit else "") if values else "tidak ada"


def form_field_ids(root) -> set[str]:
    """Every ``camunda:formField`` id of the diagram (start forms and task forms)."""
    return {f.get("id") for f in root.iter(f"{CAMUNDA}formField") if f.get("id")}


def template_tasks(root) -> list[tuple[object, str]]:
    """(element, template file name) of every service task that names a template."""
    found = []
    for task in root.iter(f"{BPMN}serviceTask"):
        for prop in task.iter(f"{CAMUNDA}property"):
            if prop.get("name") == TEMPLATE_PROPERTY and (prop.get("value") or "").strip():
                found.append((task, prop.get("value").strip()))
    return found


def _format_for(filename: str, formats: Mapping[str, TemplateFormat]) -> TemplateFormat | None:
    return formats.get(PurePath(filename).suffix.lower())


def _inspect(
    filename: str, content: bytes, formats: Mapping[str, TemplateFormat]
) -> tuple[CheckedTemplate | None, list[DiagramIssue]]:
    fmt = _format_for(filename, formats)
    if fmt is None:
        known = " atau ".join(sorted(f.label for f in formats.values())) or "tidak ada"
        return None, [
            _issue(filename, f"berkas '{filename}' bukan templat surat yang dikenal ({known})")
        ]
    if len(content) > MAX_TEMPLATE_BYTES:
        return None, [_issue(filename, f"templat '{filename}' lebih besar dari 5 MB")]
    try:
        placeholders = fmt.inspect(filename, content)
    except TemplateRejected as exc:
        return None, [_issue(filename, str(exc))]
    return CheckedTemplate(filename, content, tuple(sorted(placeholders))), []


def _placeholder_issues(
    template: CheckedTemplate, fields: set[str], formats: Mapping[str, TemplateFormat]
) -> list[DiagramIssue]:
    fmt = _format_for(template.filename, formats)
    builtins = fmt.builtins if fmt is not None else frozenset()
    return [
        _issue(
            template.filename,
            f"templat '{template.filename}': isian {{{{ {name} }}}} bukan isian formulir "
            f"diagram ini maupun isian bawaan (isian formulir: {_names(sorted(fields))}; "
            f"bawaan: {_names(sorted(builtins))})",
        )
        for name in template.placeholders
        if name not in fields and name not in builtins
    ]


def check_templates(
    root,
    filename: str,
    bundle: Templates,
    kept: Mapping[str, CheckedTemplate],
    formats: Mapping[str, TemplateFormat],
) -> tuple[dict[str, CheckedTemplate], list[DiagramIssue]]:
    """The templates the new version keeps ({file name: template}) and the issues refusing it.

    ``bundle`` are the files sent with the diagram; ``kept`` those of the deployed version, used
    when the bundle brings none. Every template is checked against the diagram's form fields.
    """
    issues: list[DiagramIssue] = []
    chosen: dict[str, CheckedTemplate] = {}
    for name, content in bundle:
        name = PurePath(name).name
        if name in chosen:
            issues.append(_issue(name, f"templat '{name}' dikirim dua kali"))
            continue
        checked, found = _inspect(name, content, formats)
        issues += found
        if checked is not None:
            chosen[name] = checked
    if not bundle:
        chosen = dict(kept)
    fields = form_field_ids(root)
    for template in chosen.values():
        issues += _placeholder_issues(template, fields, formats)
    for element, wanted in template_tasks(root):
        if wanted not in chosen:
            issues.append(
                issue_at(
                    element,
                    f"{describe(element)} memakai templat '{wanted}' yang tidak diterapkan "
                    f"bersama diagram ini (templat yang ada: {_names(sorted(chosen))}); "
                    "sertakan berkasnya atau perbaiki properti 'template'",
                    filename,
                )
            )
    return chosen, issues


def checksum_parts(templates: Mapping[str, CheckedTemplate]) -> dict[str, str]:
    """What a version's checksum covers of its templates: each file's name and SHA-256."""
    return {f"templat/{name}": t.sha256 for name, t in templates.items()}


def store_templates(
    session: Session, definition_id: int, templates: Mapping[str, CheckedTemplate]
) -> None:
    for template in templates.values():
        session.add(
            ProcessTemplate(
                definition_id=definition_id,
                filename=template.filename,
                content=template.content,
                size=len(template.content),
                sha256=template.sha256,
                placeholders=list(template.placeholders),
                created_at=utcnow(),
            )
        )
    session.flush()


def templates_of(session: Session, definition_id: int | None) -> dict[str, CheckedTemplate]:
    """The templates kept with a version ({} for none or no version)."""
    if definition_id is None:
        return {}
    rows = session.scalars(
        select(ProcessTemplate).where(ProcessTemplate.definition_id == definition_id)
    )
    return {
        row.filename: CheckedTemplate(row.filename, row.content, tuple(row.placeholders or ()))
        for row in rows
    }


def template_views(session: Session, definition_id: int) -> list[TemplateView]:
    rows = session.scalars(
        select(ProcessTemplate)
        .where(ProcessTemplate.definition_id == definition_id)
        .order_by(ProcessTemplate.filename)
    )
    return [TemplateView(r.filename, r.size, r.sha256, tuple(r.placeholders or ())) for r in rows]


def template_for_instance(session: Session, instance_id: int, filename: str) -> bytes | None:
    """The bytes of ``filename`` as deployed with the instance's own version, or None."""
    found = session.scalar(
        select(ProcessTemplate.content)
        .join(ProcessInstance, ProcessInstance.definition_id == ProcessTemplate.definition_id)
        .where(ProcessInstance.id == instance_id, ProcessTemplate.filename == filename)
    )
    return bytes(found) if found is not None else None
