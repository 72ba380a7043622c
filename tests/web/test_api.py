"""JSON API /api/v1 with HTTP Basic: tasks, completion, instances, history, and its OpenAPI document."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from tests.factories import gen_form
from tests.web.conftest import DEMO_PASSWORD, open_task

OPENAPI = Path(__file__).resolve().parents[2] / "web" / "views" / "openapi.json"


def basic(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_my_tasks_with_basic_auth(client, started):
    response = client.get("/api/v1/tasks", headers=basic("kepala_dinas"))
    tasks = response.get_json()["tasks"]
    assert response.status_code == 200 and [t["element_id"] for t in tasks] == ["disposisi_kadin"]
    assert client.get("/api/v1/tasks", headers=basic("operator")).get_json()["tasks"] == []
    refused = client.get("/api/v1/tasks", headers=basic("kepala_dinas", "salah"))
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Basic")
    assert "Set-Cookie" not in response.headers  # Basic auth does not open a session


def test_get_a_task_with_its_form_and_complete_it(client, engine, started):
    task = open_task(engine, started.id)
    body = client.get(f"/api/v1/tasks/{task.id}", headers=basic("kepala_dinas")).get_json()
    fields = {f["id"]: f for f in body["fields"]}
    assert (
        fields["kadin_keputusan"]["type"] == "enum"
        and fields["kadin_keputusan"]["required"] is True
    )
    assert body["data"]["instansi_pengirim"].startswith("Badan Perencanaan")
    invalid = client.post(
        f"/api/v1/tasks/{task.id}/complete",
        headers=basic("kepala_dinas"),
        json={"data": {"kadin_keputusan": "mungkin"}},
    )
    assert invalid.status_code == 422
    assert invalid.get_json()["error"]["fields"][0]["field"] == "kadin_keputusan"
    done = client.post(
        f"/api/v1/tasks/{task.id}/complete",
        headers=basic("kepala_dinas"),
        json={"data": gen_form("disposisi_kadin")},
    )
    assert done.status_code == 200 and done.get_json()["instance"]["current_tasks"] == [
        "disposisi_kabid"
    ]
    again = client.post(
        f"/api/v1/tasks/{task.id}/complete",
        headers=basic("kepala_dinas"),
        json={"data": gen_form("disposisi_kadin")},
    )
    assert again.status_code == 409


def test_someone_elses_task_is_forbidden(client, engine, started):
    task = open_task(engine, started.id)
    assert client.get(f"/api/v1/tasks/{task.id}", headers=basic("operator")).status_code == 403
    response = client.post(
        f"/api/v1/tasks/{task.id}/complete", headers=basic("operator"), json={"data": {}}
    )
    assert response.status_code == 403 and "Badan Perencanaan" not in response.get_data(
        as_text=True
    )


def test_claim_and_unclaim(client, engine, started):
    task = open_task(engine, started.id)
    assert (
        client.post(f"/api/v1/tasks/{task.id}/claim", headers=basic("kepala_dinas")).get_json()[
            "claimed_by"
        ]
        == "kepala_dinas"
    )
    assert (
        client.post(f"/api/v1/tasks/{task.id}/claim", headers=basic("kepala_dinas")).status_code
        == 200
    )
    assert (
        client.post(f"/api/v1/tasks/{task.id}/unclaim", headers=basic("kepala_dinas")).get_json()[
            "claimed_by"
        ]
        is None
    )


def test_instances_and_history(client, started):
    listing = client.get("/api/v1/instances", headers=basic("manajer")).get_json()
    assert listing["total"] == 1 and listing["instances"][0]["business_key"] == "TESTKODE23"
    assert client.get("/api/v1/instances", headers=basic("kasi")).status_code == 403
    one = client.get(f"/api/v1/instances/{started.id}", headers=basic("sekretariat")).get_json()
    assert one["current_tasks"] == ["disposisi_kadin"] and one["data"]["nomor_surat"]
    history = client.get(
        f"/api/v1/instances/{started.id}/history", headers=basic("kepala_dinas")
    ).get_json()
    assert [h["action"] for h in history["history"]][:2] == ["started", "completed"]
    assert (
        client.get(f"/api/v1/instances/{started.id}/history", headers=basic("jfu")).status_code
        == 403
    )
    assert client.get("/api/v1/instances/999", headers=basic("manajer")).status_code == 404


def test_openapi_documents_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document == json.loads(OPENAPI.read_text())
    documented = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post")
    }
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1") :])
        for method in rule.methods & {"GET", "POST"}:
            if (path, method.lower()) not in documented:
                missing.append(f"{method} {path}")
    assert missing == [], "document these routes in web/views/openapi.json"
    for path in document["paths"]:
        assert any(
            re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule) == "/api/v1" + path
            for r in app.url_map.iter_rules()
        )


def test_wrong_passwords_over_basic_auth_are_rate_limited(strict_app):
    client = strict_app.test_client()
    statuses = [
        client.get(
            "/api/v1/tasks",
            headers=basic(f"tebakan{n}", "salah"),
            environ_base={"REMOTE_ADDR": "10.9.8.7"},
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    refused = client.get(
        "/api/v1/tasks", headers=basic("kasi"), environ_base={"REMOTE_ADDR": "10.9.8.7"}
    )
    assert refused.status_code == 429 and refused.is_json
    assert (
        "Terlalu banyak percobaan masuk yang gagal dari alamat Anda"
        in (refused.get_json()["error"]["message"])
    )
    assert (
        client.get(
            "/api/v1/tasks", headers=basic("kasi"), environ_base={"REMOTE_ADDR": "10.9.8.6"}
        ).status_code
        == 200
    )


def test_wrong_passwords_for_one_account_over_basic_auth_are_limited(strict_app):
    client = strict_app.test_client()
    statuses = [
        client.get(
            "/api/v1/tasks",
            headers=basic("kasi", "salah"),
            environ_base={"REMOTE_ADDR": f"10.7.0.{n}"},
        ).status_code
        for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    held = client.get(
        "/api/v1/tasks", headers=basic("kasi"), environ_base={"REMOTE_ADDR": "10.7.1.1"}
    )
    assert held.status_code == 429
    assert held.get_json()["error"]["message"].startswith(
        "Terlalu banyak percobaan masuk yang gagal untuk akun ini."
    )
