"""A blank agenda number is taken from the running-number book when the step completes, never
for a rejected form (the diagram's field property ``running_number=agenda`` says so)."""

from __future__ import annotations

import pytest

from engine.errors import FormInvalid
from tests.factories import PROCESS, gen_form


def _registration(engine):
    instance = engine.start(PROCESS, None, user="sekretariat")
    [task] = [
        t for t in engine.tasks(instance_id=instance.id) if t.element_id == "registrasi_surat"
    ]
    return instance, task


def test_a_rejected_form_takes_no_agenda_number(engine, clock):
    year = clock.now.year
    instance, task = _registration(engine)
    bad = gen_form("registrasi_surat") | {"nomor_agenda": "", "perihal": ""}
    with pytest.raises(FormInvalid):
        engine.complete(task.id, "sekretariat", bad)
    engine.complete(task.id, "sekretariat", gen_form("registrasi_surat") | {"nomor_agenda": ""})
    assert engine.instance_data(instance.id)["nomor_agenda"] == f"001/{year}"

    second, task = _registration(engine)
    engine.complete(task.id, "sekretariat", gen_form("registrasi_surat") | {"nomor_agenda": ""})
    assert engine.instance_data(second.id)["nomor_agenda"] == f"002/{year}"


def test_a_typed_agenda_number_is_kept(engine):
    instance, task = _registration(engine)
    engine.complete(task.id, "sekretariat", gen_form("registrasi_surat") | {"nomor_agenda": "77/X"})
    assert engine.instance_data(instance.id)["nomor_agenda"] == "77/X"
