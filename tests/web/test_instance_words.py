"""How pages word stored values: moments in WIB, codes in the diagram's words, plug-in panels."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine.bpmn_info import enum_labels
from engine.plugins import InstancePanel, Registration, RegistrationError
from tests.conftest import PROCESSES
from web.i18n import data_value, wib


def test_a_utc_moment_is_shown_on_the_office_day_in_wib(app):
    with app.test_request_context():
        assert wib("2026-12-01T21:32:30.951234+00:00") == "2 Desember 2026 04.32 WIB"
        assert wib(datetime(2026, 3, 12, 2, 5, tzinfo=timezone.utc)) == "12 Maret 2026 09.05 WIB"
        assert wib(None) == "" and wib("bukan waktu") == "bukan waktu"


def test_data_values_in_words(app):
    with app.test_request_context():
        assert data_value("dafduk", {"dafduk": "Bidang Pelayanan Pendaftaran Penduduk"}) == (
            "Bidang Pelayanan Pendaftaran Penduduk"
        )
        assert data_value("2026-12-01T21:32:30+00:00") == "2 Desember 2026 04.32 WIB"
        assert data_value("2026-12-01") == "2026-12-01"  # a date alone is left to |day
        assert data_value(7) == 7


def test_the_diagrams_enum_fields_give_the_words_for_their_codes():
    labels = enum_labels((PROCESSES / "pengaduan_layanan.bpmn").read_text(encoding="utf-8"))
    assert labels["kategori"]["dokumen"] == "Penerbitan dokumen (KTP-el, KK, KIA, akta)"
    assert labels["klasifikasi"] == {"ringan": "Ringan", "berat": "Berat"}


def test_an_instance_panel_must_be_callable_and_declared_once():
    def panel(engine, instance, reader):
        return InstancePanel(template="x.html")

    registration = Registration()
    registration.instance_panel(panel)
    assert registration.instance_panels == [panel]
    with pytest.raises(RegistrationError, match="declared twice"):
        registration.instance_panel(panel)
    with pytest.raises(RegistrationError, match="not callable"):
        registration.instance_panel("complaints.panel")  # type: ignore[arg-type]
