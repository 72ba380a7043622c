"""The engine's e-mail on PostgreSQL: a job deferred in the step's own transaction, sent by the
job's handler through a real SMTP server, and recorded as failed after the last try."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import Conflict, EngineError
from engine.services import ServiceError
from jobs import mail
from jobs.call import JobCall
from tests.jobs.conftest import queued_jobs
from tests.web.mail_sink import free_port, subject

DIAGRAM = Path(__file__).resolve().parents[1] / "web" / "diagrams" / "layanan_publik.bpmn"
REQUESTER = "budi.santoso@example.org"


@pytest.fixture
def service(pg_engine):
    pg_engine.deploy(DIAGRAM.read_bytes(), DIAGRAM.name)
    pg_engine.services.outbox = mail.outbox
    return pg_engine


def start(engine):
    values = {"nama_pemohon": "Budi Santoso", "email_pemohon": REQUESTER, "keperluan": "kerja"}
    return engine.start_with_form("uji_layanan_publik", values, "jfu", "UJIPG001", "kode_pelacakan")


def job_call(engine, *, last: bool) -> JobCall:
    return JobCall(engine.db, engine.settings, engine.clock(), 1, 0, last)


def test_the_step_defers_the_email_and_the_job_sends_it(service, smtp):
    instance = start(service)
    [job] = queued_jobs(service.db, mail.EMAIL_JOB)
    assert smtp.messages == []  # nothing sent inside the step
    mail.send_queued(job_call(service, last=False), **job["args"])
    [message] = smtp.to(REQUESTER)
    assert subject(message) == "Permohonan UJIPG001 diterima"
    [note] = [n for n in service.notifications.for_instance(instance.id) if n.recipient_email]
    assert note.kind == "surel" and note.sent_at is not None
    mail.send_queued(job_call(service, last=False), **job["args"])  # a second run sends nothing
    assert len(smtp.messages) == 1


def test_the_last_failing_try_marks_the_mail_failed_and_tells_the_admins(service, settings):
    instance = start(service)
    [job] = queued_jobs(service.db, mail.EMAIL_JOB)
    settings.smtp_host, settings.smtp_port = "127.0.0.1", free_port()  # nobody listens there
    with pytest.raises(ServiceError):
        mail.send_queued(job_call(service, last=True), **job["args"])
    notes = service.notifications.for_instance(instance.id)
    assert [n.kind for n in notes if n.recipient_email] == ["surel_gagal"]
    [notice] = [n for n in notes if n.recipient_role == "admin"]
    assert "Surel gagal terkirim" in notice.subject and REQUESTER not in notice.body
    assert service.notifications.unread_count("admin", ("admin",)) == 1


def test_a_termination_defers_its_email_in_its_own_transaction(service, smtp):
    instance = start(service)
    before = len(queued_jobs(service.db, mail.EMAIL_JOB))  # the acknowledgement's
    with pytest.raises(EngineError):
        service.terminate(instance.id, "admin", "")  # refused: nothing deferred
    assert len(queued_jobs(service.db, mail.EMAIL_JOB)) == before
    service.terminate(instance.id, "admin", "Pemohon menarik permohonannya")
    job = queued_jobs(service.db, mail.EMAIL_JOB)[-1]
    assert len(queued_jobs(service.db, mail.EMAIL_JOB)) == before + 1
    with pytest.raises(Conflict):
        service.terminate(instance.id, "admin", "Pemohon menarik permohonannya")
    assert len(queued_jobs(service.db, mail.EMAIL_JOB)) == before + 1
    assert smtp.messages == []  # nothing sent inside the termination
    mail.send_queued(job_call(service, last=False), **job["args"])
    [message] = [m for m in smtp.to(REQUESTER) if "dihentikan" in subject(m)]
    assert subject(message) == "Surat keterangan UJIPG001 dihentikan"
