"""What a page shows about one request: its letter, documents, timeline and data tables; the
plug-ins' panels about it, the words for its codes, and its name ("Pengaduan P-2026-001" rather
than "Permohonan #4").

Generic: the words come from the diagram's enum form fields and from the panels the plug-ins
declare (``engine.plugins.InstancePanel``); the noun from the process property ``instance_noun``
(default "Permohonan"). No process is named here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine import bpmn_info
from engine.delegations import KINDS
from engine.documents import DocumentView
from engine.plugins import InstancePanel
from engine.records import InstanceView, TaskView
from webkit.access import SignedInUser
from webkit.current import get_registration

from . import timeline
from .policy import redact, visible_documents

log = logging.getLogger(__name__)

#: the letter's fields, in the order an officer reads them
LETTER_FIELDS = (
    ("kode_pelacakan", _l("Kode pelacakan")),
    ("nomor_agenda", _l("Nomor agenda")),
    ("instansi_pengirim", _l("Instansi pengirim")),
    ("pimpinan_instansi", _l("Pimpinan instansi")),
    ("nomor_surat", _l("Nomor surat")),
    ("tanggal_surat", _l("Tanggal surat")),
    ("tanggal_diterima", _l("Tanggal diterima")),
    ("perihal", _l("Perihal")),
    ("sifat", _l("Sifat")),
    ("data_diminta", _l("Data yang diminta")),
    ("email_pemohon", _l("Surel pemohon")),
)
#: the complaint's summary as the process carries it (the complainant's identity is never in it)
COMPLAINT_FIELDS = (
    ("nomor_register", _l("Nomor register")),
    ("kanal", _l("Saluran")),
    ("nomor_lapor", _l("Nomor LAPOR!")),
    ("waktu_diterima", _l("Waktu diterima")),
    ("ringkasan", _l("Ringkasan pengaduan")),
    ("kategori", _l("Kategori")),
    ("unit_terlapor", _l("Unit yang diadukan")),
    ("klasifikasi", _l("Klasifikasi")),
    ("alasan_klasifikasi", _l("Alasan klasifikasi")),
    ("arahan_pimpinan", _l("Arahan pimpinan")),
    ("keputusan_penyelesaian", _l("Keputusan penyelesaian")),
    ("instruksi_unit", _l("Instruksi kepada unit")),
)
DOCUMENT_KINDS = {
    "surat_masuk": _l("Surat permohonan"),
    "lembar_disposisi": _l("Lembar disposisi"),
    "surat_penolakan": _l("Surat penolakan"),
    "surat_data": _l("Surat pengantar data"),
    "lampiran_data": _l("Lampiran data"),
    "lampiran_data_xlsx": _l("Lampiran data (XLSX)"),
    "tanda_terima": _l("Tanda terima"),
}


def document_title(doc: DocumentView) -> str:
    return doc.title or str(DOCUMENT_KINDS.get(doc.kind, "")) or doc.filename


#: the process property naming what one instance is ("Pengaduan"); a diagram without it: a request
NOUN_PROPERTY = "instance_noun"
DEFAULT_NOUN = "Permohonan"


@dataclass
class InstanceWords:
    """The plug-ins' panels, the words for the data's codes and the instance's name."""

    panels: list[InstancePanel] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    title: str = ""
    noun: str = DEFAULT_NOUN


def plugin_panels(engine, instance: InstanceView, reader) -> list[InstancePanel]:
    """Every plug-in's panel about this instance (a failing plug-in costs its panel, not the page)."""
    shown = []
    for provider in get_registration().instance_panels:
        try:
            panel = provider(engine, instance, reader)
        except Exception:  # noqa: BLE001 - one plug-in's panel must not break the task page
            log.exception("instance panel %r failed for instance %s", provider, instance.id)
            continue
        if panel is not None:
            shown.append(panel)
    return shown


def noun_of(xml: str, process_id: str) -> str:
    """What one instance of the process is called, in the page's language."""
    noun = bpmn_info.process_properties(xml, process_id).get(NOUN_PROPERTY) or DEFAULT_NOUN
    return _(noun)


def name_of(instance: InstanceView, noun: str, panels: list[InstancePanel]) -> str:
    """'Pengaduan P-2026-001': a panel's title, else the noun with the business key, else the number."""
    titled = next((panel.title for panel in panels if panel.title), None)
    if titled:
        return titled
    if noun != _(DEFAULT_NOUN) and instance.business_key:
        return f"{noun} {instance.business_key}"
    return _("Permohonan #%(id)d", id=instance.id)


def words_for(engine, instance: InstanceView, reader, xml: str | None = None) -> InstanceWords:
    """The panels, code labels (diagram enums, then the panels' own) and the name of ``instance``."""
    xml = xml or bpmn_info.deployed_xml(engine, instance.process_id, instance.version)
    panels = plugin_panels(engine, instance, reader)
    labels = {key: dict(options) for key, options in bpmn_info.enum_labels(xml).items()}
    for panel in panels:
        for key, options in panel.labels.items():
            labels.setdefault(key, {}).update(options)
    noun = noun_of(xml, instance.process_id)
    return InstanceWords(panels, labels, name_of(instance, noun, panels), noun)


@dataclass
class RequestInfo:
    letter: list[tuple[str, Any, Any]]
    documents: list[DocumentView]
    steps: list[timeline.Step]
    events: list[timeline.Event]
    open_tasks: list[TaskView]
    names: dict[str, str] = field(default_factory=dict)
    #: the plug-ins' panels, the words for the data's codes, the instance's name
    words: InstanceWords = field(default_factory=InstanceWords)
    #: ids of the open tasks the reader may hand to someone else (``engine.reassign``)
    reassignable: set[str] = field(default_factory=set)

    @property
    def is_letter(self) -> bool:
        """The data SOP's letter (else another process's summary)."""
        return bool(self.letter) and self.letter[0][0] in dict(LETTER_FIELDS)


def user_names(engine) -> dict[str, str]:
    """Every account's full name (its username when it has none), by username."""
    return {account.username: account.full_name for account in engine.accounts.list()}


def acting_title(kind: str | None, position: str) -> str:
    """ "Plh. Kepala Dinas": how an acting official's step is signed."""
    return f"{KINDS.get(kind or '', kind or '')} {position}".strip()


def mark_acting(engine, steps: list[timeline.Step]) -> None:
    """Name the steps an acting official did: the kind and the delegator's position."""
    acted = [step for step in steps if step.on_behalf_of]
    if not acted:
        return
    accounts = {account.username: account for account in engine.accounts.list()}
    for step in acted:
        account = accounts.get(step.on_behalf_of or "")
        position = (account.position or account.full_name) if account else step.on_behalf_of
        step.acting = acting_title(step.acting_kind, position or "")


def letter_of(data: dict[str, Any], summary: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(key, label, value) of the letter's fields; for another process, its summary columns."""
    for fields in (LETTER_FIELDS, COMPLAINT_FIELDS):
        found = [
            (key, label, data[key]) for key, label in fields if data.get(key) not in (None, "")
        ]
        if found:
            return found
    return [
        (key, key.replace("_", " ").capitalize(), value)
        for key, value in summary.items()
        if value not in (None, "") and not isinstance(value, (dict, list))
    ]


def gather(engine, user: SignedInUser, instance, data: dict[str, Any]) -> RequestInfo:
    """The letter (identity redacted), the visible documents, the timeline and the open steps."""
    xml = bpmn_info.deployed_xml(engine, instance.process_id, instance.version)
    entries = engine.history(instance.id)
    for entry in entries:
        entry.data = redact(entry.data, user)
    steps, events = timeline.build(entries, bpmn_info.elements(xml), bpmn_info.side_branch(xml))
    mark_acting(engine, steps)
    documents = visible_documents(engine, user, instance.id)
    names = user_names(engine)
    tasks = sorted(engine.tasks(instance_id=instance.id), key=lambda task: task.ready_at)
    letter = letter_of(redact(data, user), redact(dict(instance.summary or {}), user))
    words = words_for(engine, instance, user, xml)
    reassignable = {t.id for t in tasks if user and engine.may_reassign(t.id, user.username)}
    return RequestInfo(letter, documents, steps, events, tasks, names, words, reassignable)
