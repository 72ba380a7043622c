"""A worker that starts while Word templates are deployed warms LibreOffice in the background,
so the first letter does not wait ~6 s for it; without templates it starts nothing."""

from __future__ import annotations

import time

import pytest

from engine.facade import BpmnEngine
from jobs.cli import start_in_background
from reports import office_pdf, warm_office
from reports.plugin import warm_office_for_templates
from tests.conftest import PROCESSES
from tests.factories import fake_registry
from web.composition import registration

from .word_helpers import docx_bytes

needs_warm_office = pytest.mark.skipif(
    not warm_office.available() or office_pdf.soffice_path() is None,
    reason="LibreOffice with python3-uno and unoserver are needed (make test installs them)",
)


@pytest.fixture
def cold(monkeypatch):
    """This test's process starts without a warm LibreOffice (the one it starts ends at exit)."""
    monkeypatch.setattr(office_pdf, "_warm", None)
    monkeypatch.setattr(office_pdf, "_warm_failed", False)


def test_the_worker_runs_the_reports_warm_up_in_the_background():
    assert warm_office_for_templates in registration().worker_starts


def test_without_templates_deployed_nothing_is_started(cold, database, settings):
    engine = BpmnEngine(database, fake_registry(), settings)
    engine.deploy_path(PROCESSES / "permohonan_data_agregat.bpmn", create_roles=True)
    assert warm_office_for_templates(engine) is False
    assert office_pdf._warm is None


def test_the_setting_turns_the_warm_up_off(cold, engine):
    engine.settings.office_prewarm = 0
    assert warm_office_for_templates(engine) is False
    assert office_pdf._warm is None


@needs_warm_office
def test_after_the_warm_up_the_first_letter_converts_in_under_two_seconds(cold, engine):
    [thread] = start_in_background(engine, [warm_office_for_templates])
    thread.join(timeout=90)
    assert office_pdf._warm is not None and office_pdf._warm.alive()
    started = time.perf_counter()
    pdf = office_pdf.docx_to_pdf(docx_bytes("Berita acara perbaikan jaringan"))
    assert pdf.startswith(b"%PDF")
    assert time.perf_counter() - started < 2.0
