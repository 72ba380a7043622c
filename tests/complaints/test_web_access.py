"""Who may call the complaint routes, and what the unit complained about can see anywhere in the app.

The complaint rows of ``tests/web/test_access_matrix.py::MATRIX`` are checked again here with a
real complaint registered, so that the detail pages answer with the complaint, not a 404.
"""

from __future__ import annotations

import base64

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import ROLES, sign_in
from tests.web.test_access_matrix import MATRIX, PUBLIC
from tests.web.test_access_matrix import _call as call

#: the complaint rows of the app's authorization matrix, checked here with a real complaint in place
COMPLAINT_MATRIX = {
    endpoint: rule for endpoint, rule in MATRIX.items() if endpoint.startswith("complaints.")
}
#: the JSON API signs in with HTTP Basic
API_AUTH = {
    "Authorization": "Basic " + base64.b64encode(f"unit_layanan:{DEMO_PASSWORD}".encode()).decode()
}
IDENTITY = ("Siti Rahayu", "0812-2710-5566", "siti.rahayu@example.org", "3304014107850002")


@pytest.fixture
def at_the_unit(desk):
    """A complaint waiting for the unit (light): its task, instance and register row."""
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    desk.do(complaint, "klasifikasi_pengaduan")
    task = desk.task(complaint, "penyelesaian_unit")
    return {
        "task_id": task.id,
        "instance_id": complaint.instance_id,
        "complaint_id": complaint.id,
        "fmt": "pdf",
        "process_id": "pengaduan_layanan",
        "version": 1,
    }


def complaint_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("complaints."):
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield rule, method


def test_every_complaint_route_has_a_rule(app):
    endpoints = {
        r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("complaints.")
    }
    assert endpoints == set(COMPLAINT_MATRIX)


def test_every_role_and_visitor_gets_what_the_rules_say(app, client, at_the_unit):
    failures = []
    for rule, method in complaint_rules(app):
        expected = COMPLAINT_MATRIX[rule.endpoint]
        for role in (*ROLES, None):
            response = call(client, app, rule, method, at_the_unit, role)
            status, location = response.status_code, response.headers.get("Location", "")
            if role is None:
                ok = (
                    (status < 500 and status not in (401, 403))
                    if expected.anonymous == PUBLIC
                    else (status == 302 and "/masuk" in location)
                )
            elif role in expected.allowed:
                ok = status < 500 and status not in (401, 403) and "/masuk" not in location
            else:
                ok = status == 403 and not any(part.encode() in response.data for part in IDENTITY)
            if not ok:
                failures.append(f"{method} {rule.rule} as {role or 'anonymous'}: {status}")
    assert failures == [], "\n".join(failures)


def test_the_unit_sees_its_task_but_never_the_complainant_on_any_page(app, client, at_the_unit):
    """Every GET route of the whole app, opened as the unit: whatever it may read carries no identity."""
    sign_in(client, app, "unit_layanan")
    assert client.get(f"/tugas/{at_the_unit['task_id']}").status_code == 200
    request_page = client.get(f"/riwayat/{at_the_unit['instance_id']}").get_data(as_text=True)
    assert (
        "KTP-el belum dicetak tiga minggu setelah perekaman" in request_page
    )  # what it must act on
    readable = []
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint == "static"
            or "GET" not in rule.methods
            or not set(rule.arguments) <= set(at_the_unit)
        ):
            continue
        url = rule.build({k: at_the_unit[k] for k in rule.arguments})[1]
        response = client.get(url, headers=API_AUTH if url.startswith("/api/") else None)
        if response.status_code == 200:
            readable.append(rule.rule)
            leaked = [part for part in IDENTITY if part.encode() in response.data]
            assert leaked == [], f"{rule.rule} shows {leaked} to the unit"
    assert {
        "/kotak-masuk",
        "/tugas/<task_id>",
        "/riwayat/<int:instance_id>",
        "/api/v1/tasks",
        "/api/v1/tasks/<task_id>",
        "/api/v1/instances/<int:instance_id>",
    } <= set(readable)
