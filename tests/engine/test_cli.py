"""The `laksana` command line: an instance from letter to receipt, errors as one line."""

import json

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from tests.factories import ROLE_OF_STEP, gen_form
from web.cli import cli


@pytest.fixture
def run(app):
    """Invoke `laksana ...` against the test app (its engine, store and clock)."""
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda *_args: app)

    def invoke(*args):
        return runner.invoke(cli, list(args), obj=info, catch_exceptions=False)

    return invoke


def test_instance_runs_from_letter_to_receipt_through_the_cli(run):
    started = run("start", "permohonan_data_agregat", "--user", "sekretariat")
    assert started.exit_code == 0, started.output
    instance_id = started.output.split()[-1]
    assert instance_id.isdigit()

    for _ in range(20):
        listed = run("tasks", "--instance", instance_id, "--json")
        tasks = json.loads(listed.output)
        if not tasks:
            break
        task = tasks[0]
        assert {
            "id",
            "instance_id",
            "process_id",
            "element_id",
            "name",
            "role",
            "due",
            "fields",
        } <= set(task)
        assert all(
            {"id", "label", "type", "required", "options", "default"} <= set(f)
            for f in task["fields"]
        )
        user = ROLE_OF_STEP[task["element_id"]]
        assert run("claim", task["id"], "--user", user).exit_code == 0
        done = run(
            "complete",
            task["id"],
            "--user",
            user,
            "--data",
            json.dumps(gen_form(task["element_id"])),
        )
        assert done.exit_code == 0, done.output

    instances = json.loads(run("instances", "--json").output)
    assert instances[0]["status"] == "completed"
    assert set(instances[0]) >= {"id", "process_id", "version", "status", "started", "ended"}
    history = json.loads(run("history", instance_id, "--json").output)
    assert history[0]["action"] == "started"
    assert {"at", "actor", "action", "element_id", "name", "data"} <= set(history[0])
    assert history[-1]["action"] == "ended"


def test_errors_are_one_line_without_traceback(run):
    bad_json = run("start", "permohonan_data_agregat", "--data", "{bad")
    assert bad_json.exit_code != 0
    assert "not valid JSON" in bad_json.output and "Traceback" not in bad_json.output

    unknown = run("complete", "00000000-0000-0000-0000-000000000000", "--user", "kasi")
    assert unknown.exit_code == 1 and "no open task" in unknown.output

    started = run("start", "permohonan_data_agregat")
    instance_id = started.output.split()[-1]
    task = json.loads(run("tasks", "--instance", instance_id, "--json").output)[0]
    wrong_role = run("complete", task["id"], "--user", "operator", "--data", "{}")
    assert wrong_role.exit_code == 1 and "needs the role sekretariat" in wrong_role.output
    invalid = run(
        "complete", task["id"], "--user", "sekretariat", "--data", '{"tanggal_surat": "x"}'
    )
    assert invalid.exit_code == 2 and "field tanggal_surat" in invalid.output


def test_deploy_reports_the_broken_line(run, tmp_path):
    broken = tmp_path / "rusak.bpmn"
    broken.write_text(
        "<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'>\n<a>\n"
    )
    result = run("deploy", str(broken))
    assert result.exit_code == 2
    assert "rusak.bpmn:3" in result.output and "tidak tersusun dengan benar" in result.output


def test_incidents_and_retry_from_the_cli(run, engine):
    engine.services._handlers.pop("warehouse.grant")
    instance_id = run("start", "permohonan_data_agregat").output.split()[-1]
    for step in ["registrasi_surat", "disposisi_kadin", "disposisi_kabid", "beri_akses"]:
        task = json.loads(run("tasks", "--instance", instance_id, "--json").output)[0]
        run(
            "complete",
            task["id"],
            "--user",
            ROLE_OF_STEP[step],
            "--data",
            json.dumps(gen_form(step)),
        )
    listed = json.loads(run("incidents", "--json").output)
    assert listed[0]["element_id"] == "catat_akses" and listed[0]["topic"] == "warehouse.grant"
    failed = run("retry", str(listed[0]["id"]))
    assert failed.exit_code == 1 and "failed again" in failed.output
    from tests.factories import fake_registry

    engine.services.register("warehouse.grant", fake_registry().get("warehouse.grant"))
    assert "resolved" in run("retry", str(listed[0]["id"])).output
    assert json.loads(run("incidents", "--json").output) == []


def test_serve_answers_http(app, tmp_path):
    """`laksana serve` really serves (Flask's app.run() is a no-op under its CLI)."""
    import socket
    import threading
    import time
    import urllib.request

    from web.cli import serve

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    thread = threading.Thread(
        target=lambda: app.test_cli_runner().invoke(serve, ["--port", str(port)]), daemon=True
    )
    thread.start()
    for _ in range(50):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                assert response.status == 200
                assert "Laksana" in response.read().decode()
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("laksana serve did not answer")
