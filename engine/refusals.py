"""Refusals people can act on: SpiffWorkflow's parse errors said in Bahasa Indonesia.

Every refusal names the element (its kind, name and id), carries the line where
lxml found it, and says what to change. SpiffWorkflow's own messages are
English, sometimes cut off ("... not supported for tasks of type") or a Python
repr of another exception; the table below turns the ones it raises into whole
sentences, and anything not in the table into a plain sentence without the
library's text.
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import DiagramIssue
from .texts import say, word

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"

#: what people call each kind of BPMN element in the office's language
KIND_WORDS = {
    "process": "proses",
    "userTask": "tugas pengguna",
    "serviceTask": "tugas layanan",
    "scriptTask": "tugas skrip",
    "task": "tugas",
    "manualTask": "tugas manual",
    "businessRuleTask": "tugas aturan bisnis",
    "sendTask": "tugas kirim",
    "receiveTask": "tugas terima",
    "callActivity": "pemanggilan proses",
    "subProcess": "subproses",
    "transaction": "transaksi",
    "adHocSubProcess": "subproses ad hoc",
    "exclusiveGateway": "gerbang eksklusif",
    "parallelGateway": "gerbang paralel",
    "inclusiveGateway": "gerbang inklusif",
    "eventBasedGateway": "gerbang berbasis event",
    "complexGateway": "gerbang kompleks",
    "startEvent": "event mulai",
    "endEvent": "event selesai",
    "intermediateCatchEvent": "event tangkap",
    "intermediateThrowEvent": "event lempar",
    "boundaryEvent": "event batas",
    "sequenceFlow": "aliran",
    "messageFlow": "aliran pesan",
    "dataStoreReference": "data store",
    "dataObjectReference": "data object",
    "dataObject": "data object",
    "dataStore": "data store",
    "timerEventDefinition": "timer",
}


def local_name(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def is_bpmn(element) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).namespace == BPMN_NS


def describe(element) -> str:
    """ "tugas pengguna 'Periksa berkas' (periksa)": kind, name and id of an element (an element
    without a name: "tugas pengguna tanpa nama (Activity_0x1)")."""
    kind = local_name(element)
    kind = word(KIND_WORDS[kind]) if kind in KIND_WORDS else kind or word("elemen")
    name = " ".join((element.get("name") or "").split())
    element_id = element.get("id")
    if name and element_id and name != element_id:
        return f"{kind} '{name}' ({element_id})"
    if name:
        return f"{kind} '{name}'"
    if element_id:  # a generated id says nothing to people: say the element has no name
        return say("%(kind)s tanpa nama (%(id)s)", kind=kind, id=element_id)
    return kind


def issue_at(element, message: str, filename: str) -> DiagramIssue:
    """An issue about ``element``: its id, its line, and ``message`` (already naming it)."""
    return DiagramIssue(message, element.get("id") or None, element.sourceline, filename)


def find_element(tree, element_id: str | None):
    if not element_id:
        return None
    found = tree.xpath("//*[@id=$id]", id=element_id)
    return found[0] if found else None


# (pattern of SpiffWorkflow's message, what to say: %(el)s is the element, groups by name)
_TRANSLATIONS: list[tuple[str, str]] = [
    (
        r"Multiple outgoing flows are not supported",
        "%(el)s punya lebih dari satu aliran keluar; sebuah tugas atau event hanya boleh punya "
        "satu: sambungkan ke gerbang paralel atau eksklusif dan percabangkan dari sana",
    ),
    (
        r"Non-default exclusive outgoing sequence flow without condition",
        "%(el)s tidak punya syarat padahal keluar dari gerbang eksklusif atau inklusif dan bukan "
        "aliran bawaan (default): beri syarat (conditionExpression) atau jadikan aliran bawaan",
    ),
    (
        r"Exactly one start event is required in a SubWorkflow Task; found (?P<n>\d+)",
        "%(el)s harus punya tepat satu event mulai di dalamnya (ditemukan %(n)s); tambahkan atau "
        "hapus event mulai",
    ),
    (
        r"A SubWorkflow Must contain an End event",
        "%(el)s harus punya event selesai di dalamnya; tambahkan satu",
    ),
    (
        r"Unknown Time Specification",
        "%(el)s tidak punya waktu: isi timeDuration, timeDate atau timeCycle",
    ),
    (
        r"A multiinstance task must specify",
        "%(el)s bertanda multi-instance tanpa jumlah maupun koleksi: isi loopCardinality atau "
        "loopDataInputRef (atau camunda:collection)",
    ),
    (
        r"A loopMaximum or loopCondition must be specified",
        "%(el)s bertanda loop tanpa batas: isi loopMaximum atau loopCondition",
    ),
    (
        r"Data Store with name (?P<store>.*) has no implementation",
        "%(el)s memakai data store '%(store)s' yang tidak dikenal mesin proses; hapus data store "
        "itu atau ganti dengan data di formulir",
    ),
    (
        r"No DMN Diagram available with id \"(?P<dmn>[^\"]*)\"",
        "%(el)s memanggil keputusan DMN '%(dmn)s' yang tidak ikut diterapkan; sertakan berkas "
        ".dmn-nya bersama diagram",
    ),
    (
        r"Cancel Events may only be used with transactions",
        "%(el)s adalah event batal di luar transaksi; pakai event batal hanya pada subproses "
        "transaksi",
    ),
    (
        r"Cannot resolve data(?:Input|Output)Association (?P<ref>.*)",
        "%(el)s merujuk data '%(ref)s' yang tidak ada di proses; perbaiki asosiasi datanya",
    ),
    (
        r"Duplicate process ID: (?P<pid>.*)",
        "%(el)s: id proses '%(pid)s' dipakai dua kali; beri setiap proses id sendiri",
    ),
    (
        r"No start event found",
        "%(el)s tidak punya event mulai; tambahkan satu",
    ),
    (
        r"There is no support implemented for this task type",
        "%(el)s adalah jenis elemen yang belum dapat dijalankan mesin proses; ganti dengan "
        "tugas pengguna, tugas layanan atau tugas skrip",
    ),
    (
        r"we found two items",
        "%(el)s menunjuk elemen yang tidak ada; periksa sourceRef/targetRef alirannya",
    ),
    (
        r"Invalid Script Task",
        "%(el)s tidak punya skrip; isi skripnya",
    ),
    (
        r"Could not find messageRef",
        "%(el)s memakai event pesan tanpa messageRef; pilih pesannya",
    ),
    (
        r"Expected an? (?P<what>\w+) node",
        "%(el)s merujuk definisi yang tidak ada di berkas; pilih definisinya",
    ),
]


def translate(message: str, element, default: str) -> str:
    el = describe(element) if element is not None else word("diagram")
    for pattern, template in _TRANSLATIONS:
        found = re.search(pattern, message)
        if found:
            return say(template, el=el, **found.groupdict())
    return say(default, el=el)


def refusal_of(exc, tree, filename: str) -> DiagramIssue:
    """A SpiffWorkflow ValidationException (or any parse error) as one Indonesian issue."""
    message = str(exc.args[0]) if getattr(exc, "args", None) else ""
    element = find_element(tree, getattr(exc, "id", None) or None)
    named = re.search(r"with name (.*) has no implementation", message, re.S)
    if element is None and named:
        found = tree.xpath("//*[@name=$n]", n=named.group(1))
        element = found[0] if found else None
    text = translate(
        message,
        element,
        "%(el)s memakai konstruksi yang belum dapat dijalankan mesin proses; sederhanakan "
        "elemen ini (lihat docs/architecture.md, bagian BPMN yang dijalankan)",
    )
    if element is None:
        return DiagramIssue(text, None, None, filename)
    return issue_at(element, text, filename)
