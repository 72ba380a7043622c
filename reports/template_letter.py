"""Topic ``reports.render`` with the property ``template``: a letter from a Word template.

The diagram's service task names the template by file name (deployed with its version,
``engine.templates``) and says, in its ``camunda:properties``:

- ``template``: the ``.docx`` file (required);
- ``running_number`` / ``running_number_format``: the number's series (default ``surat_keluar``,
  the office's outgoing letters) and its shape (default ``400.12.4/{number}/{year}``);
- ``signer_step``: the user task whose completer signs (an acting official signs as "Plh. ...");
  without it, the head of office;
- ``signed``: ``true`` signs the letter at once with the office certificate (PAdES, QR mark and
  footer, as ``reports.sign``); otherwise it is stored unsigned for a later ``reports.sign``;
- ``title``: the document's title (default: the file name in words).

It writes ``dokumen_<stem>_id`` (the letter in the archive) and ``nomor_<stem>`` (its number),
``<stem>`` being the file name without ``.docx``. A placeholder with no value in the data is an
incident naming the template and the key; nothing is numbered or stored then.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from lxml import etree
from sqlalchemy.orm import Session

from engine.archive import next_number, store_document
from engine.db import PENDING_AUDIT
from engine.delegations import KINDS
from engine.models import Document, ProcessInstance
from engine.parser import safe_xml_parser
from engine.services import Handler, ServiceCall, ServiceError
from engine.templates import TemplateRejected, template_for_instance

from . import gather
from .formatting import as_wib, label, tanggal
from .layout import Official
from .office_pdf import ConversionError, docx_to_pdf, mark_signature_spot
from .pki import SigningConfigurationError
from .signing import ensure_office_certificate
from .topics import LETTER_CODE, LETTER_SERIES, sign_stored
from .word import SIGNATURE_BOX_MM, MissingKey, render_docx

CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
DEFAULT_FORMAT = LETTER_CODE + "/{number}/{year}"
TRUE_WORDS = {"true", "ya", "yes", "1"}


def stem_key(filename: str) -> str:
    """``Berita Acara.docx`` -> ``berita_acara``: the data keys' part."""
    return re.sub(r"[^a-z0-9]+", "_", PurePath(filename).stem.lower()).strip("_") or "surat"


@lru_cache(maxsize=32)
def option_names(xml: str) -> dict[str, str]:
    """Enum values of the diagram's forms -> their names (for the ``label`` filter)."""
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    return {v.get("id"): v.get("name") for v in root.iter(f"{CAMUNDA}value") if v.get("id")}


def _completion(session: Session, instance_id: int, step: str) -> tuple[str, str, str] | None:
    """(actor, on behalf of, acting kind) of the step's last completion: one queued by the
    running action first (its audit rows are written at commit), else the stored one."""
    queued = [
        entry
        for entry in session.info.get(PENDING_AUDIT, [])
        if entry["instance_id"] == instance_id
        and entry["action"] == "completed"
        and entry["element_id"] == step
    ]
    if queued:
        last = queued[-1]
        return last["actor"] or "", last["on_behalf_of"] or "", last["acting_kind"] or ""
    row = gather.completions(session, instance_id, (step,)).get(step)
    if row is None:
        return None
    return row.actor or "", row.on_behalf_of or "", row.acting_kind or ""


def _signer_from_step(session: Session, instance_id: int, step: str) -> Official | None:
    done = _completion(session, instance_id, step)
    user = gather.find_user(session, done[0]) if done else None
    if user is None or done is None:
        return None
    _actor, on_behalf_of, acting_kind = done
    position = user.position or ""
    if on_behalf_of:
        delegator = gather.find_user(session, on_behalf_of)
        prefix = KINDS.get(acting_kind, acting_kind)
        position = f"{prefix} {delegator.position if delegator else on_behalf_of}"
    return gather.official_for(user, position or None)


def signer_of(call: ServiceCall) -> Official:
    step = (call.properties or {}).get("signer_step", "").strip()
    found = _signer_from_step(call.session, call.instance_id, step) if step else None
    return found or gather.head_of_office(call.session, call.instance_id)


def _number(call: ServiceCall, year: int) -> str:
    props = call.properties or {}
    series = props.get("running_number") or LETTER_SERIES
    pattern = props.get("running_number_format") or DEFAULT_FORMAT
    try:
        return pattern.format(number=next_number(call.session, series, year), year=year)
    except (KeyError, IndexError, ValueError) as exc:
        raise ServiceError(
            f"Format nomor surat '{pattern}' tidak sah ({exc}); pakai {{number}} dan {{year}}"
        ) from None


def _values(call: ServiceCall, number: str, signer: Official) -> dict[str, Any]:
    instance = call.session.get(ProcessInstance, call.instance_id)
    return {
        **call.data,
        "nomor_surat": number,
        "tanggal": tanggal(as_wib(call.now).date()),
        "penandatangan": signer.name,
        "jabatan_penandatangan": signer.position,
        "nip_penandatangan": signer.nip,
        "pangkat_penandatangan": signer.rank,
        "kode_pelacakan": call.data.get("kode_pelacakan")
        or (instance.business_key if instance else "")
        or "",
    }


def _filled_pdf(call: ServiceCall, filename: str, values: dict[str, Any]) -> bytes:
    content = template_for_instance(call.session, call.instance_id, filename)
    if content is None:
        raise ServiceError(
            f"Templat '{filename}' tidak diterapkan bersama versi proses instance ini"
        )
    instance = call.session.get(ProcessInstance, call.instance_id)
    definition = gather.definition_of(call.session, instance) if instance else None
    options = option_names(definition.bpmn_xml) if definition is not None else {}
    try:
        docx = render_docx(content, values, filename=filename, options=options)
        pdf = docx_to_pdf(docx)
    except MissingKey as exc:
        raise ServiceError(
            f"Templat '{filename}': kunci '{exc.key}' tidak ada di data proses; isi dulu "
            "langkah yang mengisinya atau ubah templatnya"
        ) from None
    except (TemplateRejected, ConversionError) as exc:
        raise ServiceError(f"Templat '{filename}': {exc}") from None
    return mark_signature_spot(pdf, *SIGNATURE_BOX_MM)


def render_template_letter(call: ServiceCall) -> dict[str, Any]:
    props = call.properties or {}
    filename = props["template"].strip()
    year = as_wib(call.now).date().year
    signer = signer_of(call)
    number = _number(call, year)
    pdf = _filled_pdf(call, filename, _values(call, number, signer))
    key = stem_key(filename)
    title = props.get("title") or label(key)
    doc = _store(call, key, pdf, title, number)
    if (props.get("signed") or "").strip().lower() in TRUE_WORDS:
        try:
            paths = ensure_office_certificate(call.settings)
        except SigningConfigurationError as exc:
            raise ServiceError(f"Sertifikat tanda tangan tidak dapat dipakai: {exc}") from exc
        signed_label = ", ".join(part for part in (signer.name, signer.position) if part)
        doc = sign_stored(call, doc, paths, signed_label)
    return {f"dokumen_{key}_id": doc.id, f"nomor_{key}": number}


def _store(call: ServiceCall, key: str, pdf: bytes, title: str, number: str) -> Document:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-").lower()
    return store_document(
        call.session,
        kind=key[:64],
        filename=f"{key.replace('_', '-')}-{slug}.pdf",
        content=pdf,
        instance_id=call.instance_id,
        title=title,
        number=number,
        created_by=call.actor,
    )


def with_templates(render: Handler) -> Handler:
    """``reports.render``: a Word template when the task names one, else the registered documents."""

    def handler(call: ServiceCall) -> dict[str, Any] | None:
        if (call.properties or {}).get("template", "").strip():
            return render_template_letter(call)
        return render(call)

    return handler
