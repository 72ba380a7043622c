"""The engine's deploy refusals read in the page's language: Indonesian, or English when chosen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from engine.diagram_checks import FOREIGN_SERVICE, UNSUPPORTED
from engine.dmn_reading import DMN_KIND_WORDS
from engine.refusals import _TRANSLATIONS, KIND_WORDS
from engine.texts import WORD_CONTEXT
from tests.engine.test_refusals import chain
from tests.web.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "web" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
REFUSING_MODULES = (
    "engine/refusals.py",
    "engine/validation.py",
    "engine/file_checks.py",
    "engine/call_checks.py",
    "engine/diagram_checks.py",
    "engine/role_checks.py",
    "engine/form_pickers.py",
    "engine/flow_loops.py",
    "engine/call_versions.py",
    "engine/dmn_reading.py",
    "engine/dmn_checks.py",
    "engine/decisions.py",
    "engine/scripting.py",
)
DOCTYPE = '<!DOCTYPE d [<!ENTITY x "y">]>\n<bpmn:definitions'


def check(client, xml: str, lang: str) -> list[str]:
    client.post("/bahasa", data={"lang": lang, "next": "/"})
    response = client.post(
        "/model/validasi", data=xml.encode(), headers={"Content-Type": "application/xml"}
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    return [issue["message"] for issue in response.get_json()["issues"]]


@pytest.fixture
def analyst(app, client):
    sign_in(client, app, "analis")
    return client


def test_a_doctype_refusal_reads_in_english_when_english_is_chosen(analyst):
    xml = chain(2).replace("<bpmn:definitions", DOCTYPE)
    assert check(analyst, xml, "id") == [
        "diagram memuat deklarasi DOCTYPE; hapus deklarasi itu (berkas BPMN tidak "
        "memerlukannya, dan entitas di dalamnya tidak dibaca)"
    ]
    [english] = check(analyst, xml, "en")
    assert english.startswith("the diagram contains a DOCTYPE declaration; remove it")


def test_a_task_nobody_may_do_names_its_kind_in_english_too(analyst):
    xml = chain(1, "manualTask").replace('id="t0"', 'id="t0" name="Serahkan"')
    [indonesian] = check(analyst, xml, "id")
    assert indonesian.startswith("tugas manual 'Serahkan' (t0) tidak dapat dikerjakan siapa pun")
    [english] = check(analyst, xml, "en")
    assert english.startswith("nobody can do manual task 'Serahkan' (t0): put it in a lane")


def test_the_size_limit_and_a_library_parse_error_read_in_english(analyst):
    [too_many] = check(analyst, chain(2_000), "en")
    assert re.match(r"the diagram has \d+ flow elements .* at most \d+; split it", too_many)
    two_out = chain(2).replace(
        '<bpmn:sequenceFlow id="f2"',
        '<bpmn:sequenceFlow id="extra" sourceRef="t0" targetRef="e"/><bpmn:sequenceFlow id="f2"',
    )
    [english] = check(analyst, two_out, "en")
    assert english.startswith("script task without a name (t0) has more than one outgoing flow")


def test_the_cli_and_jobs_keep_the_indonesian(engine):
    """Outside a request (``laksana deploy``) nobody chose a language: the Indonesian stays."""
    from engine.errors import DiagramInvalid

    with pytest.raises(DiagramInvalid) as refused:
        engine.deploy(chain(2).replace("<bpmn:definitions", DOCTYPE).encode(), "d.bpmn")
    assert refused.value.issues[0].message.startswith("diagram memuat deklarasi DOCTYPE")


def test_every_refusal_template_has_an_english_translation():
    catalogue = read_po(CATALOGUE.open("rb"))
    templates = (
        {
            message
            for module in REFUSING_MODULES
            for _line, message, _comments, _context in extract_from_file(
                "python", ROOT / module, keywords={"say": None}
            )
        }
        | {template for _pattern, template in _TRANSLATIONS}
        | set(UNSUPPORTED.values())
    )
    assert len(templates) > 40  # the extraction found the say() calls
    words = set(KIND_WORDS.values()) | set(DMN_KIND_WORDS.values())
    words |= {words for _name, words in FOREIGN_SERVICE}
    missing = [t for t in templates if not (catalogue.get(t) and catalogue.get(t).string)]
    missing += [
        w
        for w in words
        if not (catalogue.get(w, WORD_CONTEXT) and catalogue.get(w, WORD_CONTEXT).string)
    ]
    assert missing == [], "add these to web/translations/en/LC_MESSAGES/messages.po"
