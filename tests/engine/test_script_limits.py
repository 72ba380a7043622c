"""Every script, condition and expression runs within a CPU-time and memory limit; print works."""

import time

import pytest

from engine.restricted import evaluate
from engine.script_sandbox import (
    ScriptLimitExceeded,
    ScriptLimits,
    bounded_evaluate,
    bounded_execute,
    is_plainly_bounded,
    reset_limits,
    set_limits,
)
from tests.engine.diagram_tools import DIAGRAMS

TEMPLATE = (DIAGRAMS / "script.bpmn").read_text()


def diagram(script: str, condition: str = "biaya > 100", pid: str = "uji_skrip") -> bytes:
    xml = TEMPLATE.replace("SCRIPT", script).replace("CONDITION", condition)
    return xml.replace('id="uji_skrip" name', f'id="{pid}" name').encode()


@pytest.fixture
def tight(settings):
    settings.script_timeout = 1
    settings.script_memory_mb = 128
    return settings


@pytest.mark.parametrize(
    "script",
    ["while True:\n  pass", "x = 10**(10**8)", "x = [0] * (10**10)", "x = 'a' * (2**40)"],
    ids=["endless-loop", "huge-power", "huge-list", "huge-string"],
)
def test_runaway_script_becomes_an_incident_naming_the_element(engine, tight, script):
    engine.deploy(diagram(script), "skrip.bpmn")
    began = time.monotonic()
    instance = engine.start("uji_skrip", {}, user="kasi")
    assert time.monotonic() - began < 10  # the thread is free again
    assert instance.status == "incident"
    [incident] = engine.incidents(instance_id=instance.id)
    assert incident.element_id == "hitung"
    assert "'Hitung biaya' (hitung)" in incident.message
    assert "batas" in incident.message
    # and the engine goes on working for the next instance
    engine.deploy(diagram("biaya = 150", pid="uji_skrip_lain"), "lain.bpmn")
    assert engine.start("uji_skrip_lain", {}, user="kasi").status == "completed"


def test_a_runaway_condition_becomes_an_incident_on_the_gateway(engine, tight):
    engine.deploy(diagram("biaya = 5", condition="len(str(10**(10**8))) > biaya"), "c.bpmn")
    instance = engine.start("uji_skrip", {}, user="kasi")
    [incident] = engine.incidents(instance_id=instance.id)
    assert incident.element_id == "cek" and "batas" in incident.message


def test_print_output_goes_into_the_audit_log(engine):
    engine.deploy(diagram('biaya = 150\nprint("biaya dihitung:", biaya)'), "p.bpmn")
    instance = engine.start("uji_skrip", {}, user="kasi")
    assert instance.status == "completed"
    printed = [h for h in engine.history(instance.id) if h.action == "script_output"]
    assert [(h.element_id, h.data["output"]) for h in printed] == [
        ("hitung", "biaya dihitung: 150\n")
    ]


def test_script_errors_keep_their_meaning_across_the_worker():
    with pytest.raises(NameError, match="tidak_ada"):
        bounded_execute("x = tidak_ada + 1", {})
    with pytest.raises(ZeroDivisionError):
        bounded_evaluate("sorted([1])[0] / 0", {})
    changed, printed = bounded_execute(
        "total = sum(n for n in angka)\nprint(total)", {"angka": [1, 2]}
    )
    assert changed["total"] == 3 and printed == "3\n"


def test_limits_come_from_the_settings(settings, monkeypatch):
    monkeypatch.setenv("LAKSANA_SCRIPT_TIMEOUT", "7.5")
    monkeypatch.setenv("LAKSANA_SCRIPT_MEMORY_MB", "64")
    from engine.config import Settings

    fresh = Settings()
    assert (fresh.script_timeout, fresh.script_memory_mb) == (7.5, 64)
    token = set_limits(ScriptLimits(1, 64))
    try:
        with pytest.raises(ScriptLimitExceeded, match="memori 64 MB"):
            bounded_execute("x = [0] * (100 * 1024 * 1024)", {})
    finally:
        reset_limits(token)


def test_the_office_conditions_and_timers_stay_in_thread():
    for cheap in (
        'kadin_keputusan == "tolak"',
        '"PT5M"',
        "working_days_deadline(diteruskan_pada, 5)",
        "days_deadline(waktu_diterima, 60)",
        "len(items) > 1 and not selesai",
    ):
        assert is_plainly_bounded(cheap), cheap
    for costly in (
        "10**(10**8)",
        "'a' * n",
        "[x for x in items]",
        "working_days_deadline(mulai, n)",
        "'%*d' % (10**9, 1)",
        "s.center(10**9)",
    ):
        assert not is_plainly_bounded(costly), costly
    assert evaluate('a == "x"', {"a": "x"}) == (True, "")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SCRIPT_TIMEOUT", "2s"),
        ("SCRIPT_TIMEOUT", "0"),
        ("SCRIPT_TIMEOUT", "-1"),
        ("SCRIPT_MEMORY_MB", "256MB"),
        ("SCRIPT_MEMORY_MB", "0"),
    ],
)
def test_a_wrong_limit_stops_the_start_with_one_line_naming_the_variable(monkeypatch, name, value):
    """Not Python's 'could not convert string to float', and no limit of zero (every script
    would fail) or a negative one."""
    monkeypatch.setenv(f"LAKSANA_{name}", value)
    from engine.config import Settings

    with pytest.raises(ValueError) as refused:
        Settings()
    message = str(refused.value)
    assert message.startswith(f"LAKSANA_{name} harus") and repr(value) in message
    assert "\n" not in message and "convert" not in message
