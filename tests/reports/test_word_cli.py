"""`laksana deploy DIR` takes a diagram with its Word templates; a bad one is one line naming the file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from web.cli import cli

from .word_helpers import TEMPLATE, diagram, letter


@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda *_args: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info, catch_exceptions=False)


def bundle(folder, template: bytes) -> None:
    (folder / "surat_uji.bpmn").write_bytes(diagram())
    (folder / "surat_uji").mkdir()
    (folder / "surat_uji" / TEMPLATE).write_bytes(template)


def test_deploy_dir_takes_the_templates_of_the_folder_named_as_the_diagram(run, engine, tmp_path):
    bundle(tmp_path, letter())
    result = run("deploy", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "deployed: surat_uji version 1" in result.output
    assert [t.filename for t in engine.definition_templates("surat_uji", 1)] == [TEMPLATE]


def test_a_bad_template_is_one_line_naming_file_and_placeholder(run, engine, tmp_path):
    bundle(tmp_path, letter("{{ rekening }}"))
    result = run("deploy", str(tmp_path))
    assert result.exit_code != 0
    assert "surat_uji.docx" in result.output and "{{ rekening }}" in result.output
    assert "Traceback" not in result.output
    assert "surat_uji" not in {d.process_id for d in engine.list_definitions()}
