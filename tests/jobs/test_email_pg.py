"""PostgreSQL: the complaint e-mail is a job deferred in the step's own transaction, sent by a
worker through a real SMTP server (aiosmtpd), retried with back-off, then recorded as failed."""

from __future__ import annotations

import time

import pytest
from aiosmtpd.controller import Controller

from complaints.email import EMAIL_JOB, FAILED_KIND, QUEUED_KIND
from complaints.topics import TOPIC, log_step
from engine.services import ServiceError
from tests.complaints.conftest import Desk
from tests.complaints.test_email import Inbox, free_port

from .conftest import queued_jobs, wait_for

pytestmark = pytest.mark.postgres

UNIT_ADDRESS = "unit_layanan@example.invalid"


class Refusing(Inbox):
    """A server that answers every message with a temporary failure, noting when the unit's came
    (the worker's real-time ticks also fire the complaint's escalations, mailed to the Kabid)."""

    def __init__(self) -> None:
        super().__init__()
        self.tries: list[float] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if UNIT_ADDRESS in envelope.rcpt_tos:
            self.tries.append(time.monotonic())
        return "451 4.3.0 kotak surat sementara tidak tersedia"


def serve_smtp(handler, settings):
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.smtp_host, settings.smtp_port = "127.0.0.1", controller.port
    return controller


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = serve_smtp(inbox, settings)
    yield inbox
    controller.stop()


def smtp_env(settings) -> dict[str, str]:
    return {"LAKSANA_SMTP_HOST": settings.smtp_host, "LAKSANA_SMTP_PORT": str(settings.smtp_port)}


@pytest.fixture
def desk(pg_engine, clock) -> Desk:
    return Desk(pg_engine, clock)


def test_a_rolled_back_step_defers_no_email_and_a_committed_one_does(desk, pg_engine, smtp):
    failing = {"on": True}

    def log_then_fail(call):
        result = log_step(call)  # records the message and defers the job ...
        if failing["on"] and call.properties.get("email"):
            raise ServiceError("gagal sesudah menunda surel")  # ... then the step rolls back
        return result

    pg_engine.services.register(TOPIC, log_then_fail)
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    [incident] = pg_engine.incidents(instance_id=complaint.instance_id)
    assert "gagal sesudah menunda surel" in incident.message
    assert queued_jobs(pg_engine.db, EMAIL_JOB) == []
    assert desk.notifications(complaint, kind=QUEUED_KIND) == []

    failing["on"] = False
    assert pg_engine.retry(incident.id).resolved_at is not None
    [job] = queued_jobs(pg_engine.db, EMAIL_JOB)
    [note] = desk.notifications(complaint, kind=QUEUED_KIND)
    assert job["status"] == "todo" and job["args"] == {"notifications": [note.id]}
    assert (note.recipient_email, note.sent_at) == (UNIT_ADDRESS, None)
    assert smtp.messages == []  # nothing left inside the step: the worker sends it


def test_the_worker_sends_the_queued_email(desk, pg_engine, smtp, settings, workers):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    assert smtp.messages == []
    workers.start(**smtp_env(settings))
    [message] = wait_for(lambda: smtp.to(UNIT_ADDRESS), "the unit's e-mail")
    assert "diteruskan kepada" in str(message["Subject"])

    def unit_sent():
        return [
            n
            for n in desk.notifications(complaint, kind="surel")
            if n.recipient_email == UNIT_ADDRESS
        ]

    # the worker's timer ticks run on the real clock, past the test clock's due times: they
    # also mail the next step's escalations ('Terlambat: ...'), so pick the unit's message
    [sent] = wait_for(unit_sent, "the message marked sent")
    assert sent.sent_at is not None
    [job] = wait_for(
        lambda: [j for j in queued_jobs(pg_engine.db, EMAIL_JOB) if j["status"] == "succeeded"],
        "the job to succeed",
    )
    assert job["attempts"] == 1  # one try (procrastinate counts finished tries)


def test_a_failing_server_is_retried_with_back_off_then_recorded(
    desk, pg_engine, settings, workers
):
    refusing = Refusing()
    controller = serve_smtp(refusing, settings)
    try:
        complaint = desk.receive()
        desk.do(complaint, "verifikasi_pengaduan")
        workers.start(
            LAKSANA_JOB_RETRIES="2", LAKSANA_JOB_BACKOFF_SECONDS="2", **smtp_env(settings)
        )
        [job] = wait_for(
            lambda: [j for j in queued_jobs(pg_engine.db, EMAIL_JOB) if j["status"] == "failed"],
            "the job to fail for good",
        )
    finally:
        controller.stop()
    assert job["attempts"] == 3 and len(refusing.tries) == 3
    first, second, third = refusing.tries
    assert second - first >= 2 and third - second >= 4  # waits 2**1, then 2**2 seconds

    [failed] = desk.notifications(complaint, kind=FAILED_KIND)[:1]
    assert failed.recipient_email == UNIT_ADDRESS and failed.sent_at is None
    [admin] = [
        n
        for n in desk.notifications(complaint)
        if n.recipient_role == "admin" and n.subject.startswith("Surel pengaduan")
    ]
    assert admin.subject == "Surel pengaduan gagal terkirim setelah 3 percobaan"
    assert "451" in admin.body and UNIT_ADDRESS not in admin.body
    [copy] = [
        n
        for n in desk.notifications(complaint)
        if n.recipient_role == "petugas_pengaduan" and n.subject.startswith("Gagal terkirim")
    ]
    assert UNIT_ADDRESS in copy.body and "Identitas pengadu dirahasiakan" in copy.body
