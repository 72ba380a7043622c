"""The JSON API with a personal token (run by ``bench/web.py``).

Two figures: what authenticating one API request costs (the request loader of
``webkit.apiauth``: header, SHA-256, one indexed query; against HTTP Basic with and without its
one-minute cache of verified passwords, the first paying argon2 at its production parameters),
and how many instances of a linear diagram of eight user tasks a client drives through the API
per second with a token (start through the engine, then per task GET /api/v1/tasks?instance=ID
and POST .../complete: 16 API requests per instance).
"""

from __future__ import annotations

import base64
import time

from flask import request

from engine.facade import BpmnEngine
from webkit.apiauth import forget_verified, load_api_user

PROCESS_ID = "bench_api_linear"
STEPS = 8
ROLE = "analis"  # no step of the SOP belongs to it: the bench's tasks are the only ones in its list


def linear_diagram(steps: int = STEPS) -> bytes:
    tasks = "".join(
        f'<bpmn:userTask id="langkah_{n}" name="Langkah {n}" camunda:candidateGroups="{ROLE}">'
        f"<bpmn:incoming>f{n}</bpmn:incoming><bpmn:outgoing>f{n + 1}</bpmn:outgoing>"
        "</bpmn:userTask>"
        for n in range(1, steps + 1)
    )
    flows = "".join(
        f'<bpmn:sequenceFlow id="f{n}" sourceRef="{"mulai" if n == 1 else f"langkah_{n - 1}"}" '
        f'targetRef="{"selesai" if n == steps + 1 else f"langkah_{n}"}" />'
        for n in range(1, steps + 2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="bench_api" '
        'targetNamespace="http://laksana/bench">'
        f'<bpmn:process id="{PROCESS_ID}" name="Bench API" isExecutable="true">'
        '<bpmn:startEvent id="mulai"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        f"{tasks}"
        f'<bpmn:endEvent id="selesai"><bpmn:incoming>f{steps + 1}</bpmn:incoming></bpmn:endEvent>'
        f"{flows}</bpmn:process></bpmn:definitions>"
    ).encode()


def _loader_ms(app, authorization: str, count: int, before=None) -> list[float]:
    """Milliseconds of the request loader alone (the request context is made outside the timing)."""
    samples = []
    for _ in range(count):
        with app.test_request_context("/api/v1/tasks", headers={"Authorization": authorization}):
            if before is not None:
                before()
            started = time.perf_counter()
            user = load_api_user(request)
            samples.append((time.perf_counter() - started) * 1000)
            assert user is not None, "the bench's credentials were refused"
    return samples


def measure_auth(app, engine: BpmnEngine, password: str, count: int) -> dict[str, list[float]]:
    token, _info = engine.tokens.create(ROLE, "bench")
    basic = "Basic " + base64.b64encode(f"{ROLE}:{password}".encode()).decode()
    # warm-up: statements compiled, connection open, the Basic password verified once
    _loader_ms(app, f"Bearer {token}", 5)
    _loader_ms(app, basic, 1)
    return {
        "auth: Bearer token": _loader_ms(app, f"Bearer {token}", count),
        "auth: Basic, remembered": _loader_ms(app, basic, count),
        "auth: Basic, argon2 (first)": _loader_ms(
            app, basic, max(3, count // 20), before=forget_verified
        ),
    }


def drive_instances(app, engine: BpmnEngine, instances: int) -> tuple[float, float, list[float]]:
    """Instances per second driven over the API with a token, by the wall clock and per second of
    this process's CPU time (what a core of its own would give: this machine is shared, and the
    wall clock also counts the time other jobs hold the cores), and each instance's milliseconds."""
    engine.deploy(linear_diagram(), "bench_api_linear.bpmn")
    token, _info = engine.tokens.create(ROLE, "bench-drive")
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()

    def one() -> None:
        instance = engine.start(PROCESS_ID, {}, user=ROLE)
        for _ in range(STEPS):
            listed = client.get(f"/api/v1/tasks?instance={instance.id}", headers=headers)
            assert listed.status_code == 200, listed.get_data(as_text=True)[:200]
            task = next(t for t in listed.get_json()["tasks"] if t["instance_id"] == instance.id)
            done = client.post(
                f"/api/v1/tasks/{task['id']}/complete", headers=headers, json={"data": {}}
            )
            assert done.status_code == 200, done.get_data(as_text=True)[:200]
        assert done.get_json()["instance"]["status"] == "completed"

    for _ in range(3):  # warm-up: the spec parsed and cached, the routes' statements compiled
        one()
    samples = []
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(instances):
        begun = time.perf_counter()
        one()
        samples.append((time.perf_counter() - begun) * 1000)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return instances / wall, instances / cpu, samples
