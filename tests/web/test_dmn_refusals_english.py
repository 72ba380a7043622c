"""A malformed ``.dmn`` deployed with its diagram is refused in the page's language: English on an
English page (naming the table's element and its line), Indonesian through ``laksana deploy``."""

from __future__ import annotations

import html
import io
import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from tests.engine.test_business_rules import BPMN, DMN
from tests.web.conftest import sign_in
from web.cli import cli

#: the first rule's output cell "jumlah * 2" cut short: not a Python expression
BAD_CELL = DMN.read_bytes().replace(b"jumlah * 2", b"jumlah *")
#: the first rule without its second input cell: the other cells would shift columns
MISSING_CELL = DMN.read_bytes().replace(
    b'<inputEntry id="a1_jumlah"><text>&gt; 10</text></inputEntry>', b""
)


def _line_of(dmn: bytes, element_id: str) -> int:
    return next(
        n for n, text in enumerate(dmn.decode().splitlines(), 1) if f'id="{element_id}"' in text
    )


def _deploy_through_the_upload_form(client, dmn: bytes, lang: str) -> list[str]:
    """The refusals the model page shows, each as people read its list item."""
    client.post("/bahasa", data={"lang": lang, "next": "/model/"})
    response = client.post(
        "/model/unggah",
        data={
            "diagram": (io.BytesIO(BPMN.read_bytes()), BPMN.name),
            "decisions": [(io.BytesIO(dmn), DMN.name)],
            "deploy": "y",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    issues = re.search(r'<ul class="issues">(.*?)</ul>', response.get_data(as_text=True), re.S)
    assert issues is not None
    items = re.findall(r"<li>(.*?)</li>", issues.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items]


@pytest.fixture
def analyst(app, client):
    sign_in(client, app, "analis")
    return client


def test_a_bad_cell_is_refused_in_english_naming_the_cell_and_its_line(analyst, engine):
    [shown] = _deploy_through_the_upload_form(analyst, BAD_CELL, "en")
    assert "\n" not in shown.strip()
    message, detail = shown.rsplit(" (", 1)
    assert message == (
        "aturan_biaya.dmn: output entry 'a1_tarif' is not a valid Python expression (invalid "
        "Python syntax, line 1): 'jumlah *'; write for example \"berat\", > 10, "
        '? in ["a", "b"] or kategori'
    )
    assert detail == f"element a1_tarif · line {_line_of(BAD_CELL, 'a1_tarif')})"
    assert "uji_aturan_bisnis" not in {d.process_id for d in engine.list_definitions()}


def test_a_rule_missing_a_cell_is_refused_in_english_naming_the_rule(analyst):
    [shown] = _deploy_through_the_upload_form(analyst, MISSING_CELL, "en")
    assert shown == (
        "aturan_biaya.dmn: rule 'aturan_kilat' has 1 input entries and 2 output entries, but its "
        "table has 2 inputs and 2 outputs; fill in every cell (- for any value) "
        f"(element aturan_kilat · line {_line_of(MISSING_CELL, 'aturan_kilat')})"
    )


def test_the_indonesian_page_keeps_the_indonesian(analyst):
    [shown] = _deploy_through_the_upload_form(analyst, BAD_CELL, "id")
    assert shown.startswith(
        "aturan_biaya.dmn: sel keluaran 'a1_tarif' bukan ungkapan Python yang sah (susunan "
        "kalimat Python tidak sah, baris 1): 'jumlah *'; tulis misalnya"
    )


def test_laksana_deploy_says_it_in_indonesian(app, tmp_path):
    """Through the CLI nobody chose a language: the refusal stays Indonesian, file:line first."""
    (tmp_path / BPMN.name).write_bytes(BPMN.read_bytes())
    (tmp_path / DMN.name).write_bytes(BAD_CELL)
    info = ScriptInfo(create_app=lambda *_args: app)
    result = CliRunner().invoke(cli, ["deploy", str(tmp_path)], obj=info)
    assert result.exit_code == 2, result.output
    assert (
        "sel keluaran 'a1_tarif' bukan ungkapan Python yang sah (susunan kalimat Python tidak "
        "sah, baris 1): 'jumlah *'"
    ) in result.output
    assert f"aturan_biaya.dmn:{_line_of(BAD_CELL, 'a1_tarif')}" in result.output
    assert "output entry" not in result.output


def test_laksana_deploy_of_a_lone_dmn_file_says_what_to_deploy_instead(app, tmp_path):
    (tmp_path / DMN.name).write_bytes(DMN.read_bytes())
    info = ScriptInfo(create_app=lambda *_args: app)
    result = CliRunner().invoke(cli, ["deploy", str(tmp_path / DMN.name)], obj=info)
    assert result.exit_code != 0
    assert "berkas .dmn dipasang bersama .bpmn yang memakainya" in result.output
    assert "Traceback" not in result.output
    empty = tmp_path / "kosong"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["deploy", str(empty)], obj=info)
    assert result.exit_code != 0 and "tidak ada berkas .bpmn" in result.output
