"""E-mail from a new SOP's diagram alone, through a real SMTP server: notify.send's templates,
the result to the requester (the start-form field marked ``surel_pemohon``) with its tracking
link, and escalations to the late step's holder and the superior."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobs import mail
from tests.web.conftest import open_task
from tests.web.mail_sink import body_of, subject

DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "layanan_publik.bpmn"
PROCESS = "uji_layanan_publik"
REQUESTER = "budi.santoso@example.org"


@pytest.fixture
def service(engine):
    """The small public SOP deployed, and the jobs plug-in's outbox (as the app registers it)."""
    engine.deploy(DIAGRAM.read_bytes(), DIAGRAM.name)
    engine.services.outbox = mail.outbox
    return engine


def start(engine, code: str = "UJI7K2M9"):
    values = {"nama_pemohon": "Budi Santoso", "email_pemohon": REQUESTER, "keperluan": "sekolah"}
    return engine.start_with_form(PROCESS, values, "jfu", code, "kode_pelacakan")


def test_notify_send_mails_the_address_in_the_data_with_its_templates(service, smtp):
    start(service)
    [message] = smtp.to(REQUESTER)
    assert subject(message) == "Permohonan UJI7K2M9 diterima"
    assert "Yth. Budi Santoso, permohonan Anda untuk sekolah kami terima." in body_of(message)


def test_the_result_goes_to_the_requester_with_the_tracking_link(service, smtp, settings):
    instance = start(service)
    task = open_task(service, instance.id, "periksa")
    service.complete(task.id, "jfu", {"catatan": "surat siap diambil"})
    result = [m for m in smtp.to(REQUESTER) if "selesai" in subject(m)]
    assert [subject(m) for m in result] == ["Surat keterangan UJI7K2M9 selesai"]
    text = body_of(result[0])
    assert "Yth. Budi Santoso" in text and "surat siap diambil" in text
    assert f"{settings.base_url}/lacak/UJI7K2M9" in text
    sent = [n for n in service.notifications.for_instance(instance.id) if n.recipient_email]
    assert all(n.kind == "surel" and n.sent_at is not None for n in sent)


def test_an_escalation_mails_the_holder_and_the_superior(service, smtp, clock):
    instance = start(service)
    service.claim(open_task(service, instance.id, "periksa").id, "jfu")
    clock.advance(minutes=30)
    service.tick()
    [late] = smtp.to("jfu@example.invalid")  # the holder, once
    assert subject(late) == "Terlambat: Memeriksa permohonan"
    [superior] = smtp.to("kasi@example.invalid")
    assert subject(superior) == "Terlambat diperiksa: Budi Santoso"
    assert "UJI7K2M9 melewati waktu baku 5 menit" in body_of(superior)


def test_the_same_escalation_is_sent_once_when_holder_and_superior_are_one_role(
    engine, smtp, clock, started
):
    engine.services.outbox = mail.outbox
    clock.advance(minutes=30)
    engine.tick()
    # the data SOP's first step is the Kepala Dinas's, and its escalation goes to the Kepala Dinas
    late = smtp.to("kepala_dinas@example.invalid")
    assert [subject(m) for m in late] == [
        "Terlambat: Menerima surat dan mendisposisikan kepada Kabid PIAK"
    ]


def test_without_a_server_staff_get_no_mail_and_the_requesters_stays_queued(service, settings):
    assert settings.smtp_host is None
    instance = start(service)
    notes = [n for n in service.notifications.for_instance(instance.id) if n.recipient_email]
    assert [(n.recipient_email, n.kind, n.sent_at) for n in notes] == [
        (REQUESTER, "surel_antre", None)
    ]


def test_the_app_sends_the_engines_mail_through_the_jobs_outbox():
    from web.composition import registration

    declared = registration()
    assert declared.services.outbox is mail.outbox
    assert mail.EMAIL_JOB in declared.jobs
