"""Word letter templates (``.docx``) filled with docxtpl: checked at deploy, rendered per letter.

An analyst writes the letter in Word with Jinja placeholders named as the diagram's form fields
(``{{ nama_isian }}``), with the filters ``tanggal`` (an ISO date in words: ``{{ isian|tanggal }}``)
and ``label`` (an enum value by its name in the form: ``{{ isian|label }}``). The
office letterhead is put in the first page's header; ``{{ tanda_tangan }}`` reserves the spot of the
electronic signature (an empty 78 x 24 mm box that ``reports.office_pdf`` finds in the PDF).
``inspect_docx`` is the deploy check (``engine.templates.TemplateFormat``): a file that is not a
Word document, has broken placeholders or fails to fill with sample values is refused naming it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from engine.templates import TemplateFormat, TemplateRejected

from .formatting import DASH, label, tanggal
from .layout import OFFICE, Office

#: placeholders the renderer fills itself; any other must be a form field of the diagram
BUILTINS = frozenset(
    {
        "nomor_surat",
        "tanggal",
        "penandatangan",
        "jabatan_penandatangan",
        "nip_penandatangan",
        "pangkat_penandatangan",
        "tanda_tangan",
        "kode_pelacakan",
    }
)
#: the signature spot's size: reserved by ``{{ tanda_tangan }}``, found again in the PDF
SIGNATURE_BOX_MM = (78.0, 24.0)
SAMPLE_VALUE = "contoh"


class MissingKey(Exception):
    """A placeholder with no value in the instance's data."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@lru_cache(maxsize=1)
def _blank_png() -> bytes:
    # a 1x1 white PNG, scaled to the signature box by Word/LibreOffice
    return bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
        "0000000c49444154789c63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082"
    )


def _shown(value: Any) -> Any:
    """An optional field left empty prints as a dash, not as "None"."""
    return DASH if value is None or value == "" else value


def _date_words(value: Any) -> str:
    """``2026-03-12`` -> ``12 Maret 2026``; a value that is no date prints as it is."""
    try:
        return tanggal(value)
    except (TypeError, ValueError):
        return str(value)


def environment(options: Mapping[str, str] | None = None) -> jinja2.Environment:
    """Strict (a missing key is an error, not an empty string), with the office's filters."""
    names = dict(options or {})
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, finalize=_shown)
    env.filters["tanggal"] = _date_words
    env.filters["label"] = lambda value: names.get(str(value), label(value))
    return env


def _open(filename: str, content: bytes) -> DocxTemplate:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise TemplateRejected(
                    f"berkas '{filename}' bukan dokumen Word .docx (tidak ada isi dokumen di dalamnya)"
                )
        template = DocxTemplate(io.BytesIO(content))
        template.init_docx()
    except TemplateRejected:
        raise
    except Exception:  # noqa: BLE001 - any damage to the zip or the XML is the file's problem
        raise TemplateRejected(
            f"berkas '{filename}' rusak atau bukan dokumen Word .docx; simpan ulang dari Word "
            "sebagai 'Word Document (.docx)'"
        ) from None
    return template


def _syntax_message(filename: str, exc: jinja2.TemplateSyntaxError) -> str:
    return (
        f"templat '{filename}': penanda isian rusak ({exc.message}); tulis isian sebagai "
        "{{ nama_isian }} dengan kurung kurawal ganda yang lengkap"
    )


def placeholders_of(filename: str, content: bytes) -> frozenset[str]:
    """The names a template asks for; refuses a broken file or broken placeholders."""
    template = _open(filename, content)
    try:
        return frozenset(template.get_undeclared_template_variables(environment()))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateRejected(_syntax_message(filename, exc)) from None


def inspect_docx(filename: str, content: bytes) -> frozenset[str]:
    """The deploy check: placeholders of a template that also fills with sample values."""
    names = placeholders_of(filename, content)
    try:
        render_docx(content, {name: SAMPLE_VALUE for name in names}, filename=filename)
    except TemplateRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - a template error is the analyst's to fix
        raise TemplateRejected(
            f"templat '{filename}' gagal diisi dengan nilai contoh: {_reason(exc)}"
        ) from None
    return names


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return re.sub(r"\s+", " ", text)[:200]


def _bottom_rule(paragraph) -> None:
    """The letterhead's double rule under its last line."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("val", "thinThickSmallGap"),
        ("sz", "18"),
        ("space", "4"),
        ("color", "000000"),
    ):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def add_letterhead(template: DocxTemplate, office: Office = OFFICE) -> None:
    """The kop surat in the first page's header (the other pages keep the template's header)."""
    section = template.docx.sections[0]
    section.different_first_page_header_footer = True
    header = section.first_page_header
    header.is_linked_to_previous = False
    for paragraph in list(header.paragraphs)[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    lines = (
        (office.government, 13, True),
        (office.name, 15.5, True),
        (f"{office.address}, Telepon {office.phone}", 9.5, False),
        (f"Laman: {office.website}", 9.5, False),
    )
    first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    for index, (text, size, bold) in enumerate(lines):
        paragraph = first if index == 0 else header.add_paragraph()
        paragraph.text = ""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.font.size, run.font.name = bold, Pt(size), "Liberation Sans"
    _bottom_rule(header.paragraphs[-1])
    section.header_distance = Mm(10)
    if section.top_margin is None or section.top_margin < Mm(45):
        section.top_margin = Mm(45)


def render_docx(
    content: bytes,
    values: Mapping[str, Any],
    *,
    filename: str = "templat.docx",
    options: Mapping[str, str] | None = None,
) -> bytes:
    """The filled document (``.docx`` bytes) with the letterhead; ``MissingKey`` for a
    placeholder without a value."""
    template = _open(filename, content)
    try:
        wanted = template.get_undeclared_template_variables(environment())
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateRejected(_syntax_message(filename, exc)) from None
    width, height = SIGNATURE_BOX_MM
    context = {
        **values,
        "tanda_tangan": InlineImage(
            template, io.BytesIO(_blank_png()), width=Mm(width), height=Mm(height)
        ),
    }
    missing = sorted(name for name in wanted if name not in context)
    if missing:
        raise MissingKey(missing[0])
    try:
        template.render(context, environment(options), autoescape=True)
    except jinja2.UndefinedError as exc:
        found = re.search(r"'([^']+)' is undefined", str(exc))
        raise MissingKey(found.group(1) if found else str(exc)) from None
    add_letterhead(template)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


#: the format the reports plug-in declares (``registration.template_format``)
DOCX_FORMAT = TemplateFormat(
    suffix=".docx", inspect=inspect_docx, builtins=BUILTINS, label="dokumen Word .docx"
)
