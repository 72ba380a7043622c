"""Issue 12 for complaints: an operator terminates a complaint's process in the console, and the
complainant is told once by the register (their address is not in the process data), through a
real SMTP server; without an address the desk is asked to pass it on by telephone or SMS."""

from __future__ import annotations

import pytest

from jobs import mail
from tests.web.mail_sink import body_of, subject

COMPLAINANT = "siti.rahayu@example.org"
REASON = "Pengaduan yang sama sudah ditangani lewat LAPOR!"


@pytest.fixture
def mailing(complaint_engine):
    """The engine's own outbox as the app registers it: it would mail an address it found."""
    complaint_engine.services.outbox = mail.outbox
    return complaint_engine


def terminate(client, instance_id: int):
    return client.post(
        f"/konsol/permohonan/{instance_id}/hentikan", data={"alasan": REASON, "konfirmasi": "ya"}
    )


def test_the_complainant_is_told_once_with_the_reason_and_the_status_link(
    as_user, desk, mailing, smtp, settings
):
    complaint = desk.receive()
    assert terminate(as_user("admin"), complaint.instance_id).status_code == 302
    assert mailing.instance(complaint.instance_id).status == "cancelled"

    [message] = smtp.to(COMPLAINANT)
    assert len(smtp.messages) == 1
    assert subject(message) == f"Pengaduan {complaint.nomor_register} dihentikan"
    text = body_of(message)
    assert f"Alasan: {REASON}" in text and "tetap berlaku" in text
    assert f"{settings.base_url}/pengaduan/status?kode={complaint.kode_pelacakan}" in text
    assert [n.recipient_email for n in desk.notifications(complaint) if n.recipient_email] == [
        COMPLAINANT
    ]

    status = as_user(None).get(f"/pengaduan/status?kode={complaint.kode_pelacakan}")
    assert "Dihentikan oleh Dinas" in status.get_data(as_text=True)


def test_without_an_address_the_desk_is_asked_to_tell_them(as_user, desk, mailing, smtp):
    complaint = desk.receive(pelapor_email="")
    assert terminate(as_user("admin"), complaint.instance_id).status_code == 302
    assert smtp.messages == []
    [note] = [n for n in desk.notifications(complaint) if "dihentikan" in n.subject]
    assert note.recipient_role == "petugas_pengaduan" and note.recipient_email is None
    assert note.subject.startswith("Sampaikan lewat telepon/SMS") and REASON in note.body


def test_a_refused_termination_tells_nobody(as_user, desk, mailing, smtp):
    complaint = desk.receive()
    refused = as_user("admin").post(
        f"/konsol/permohonan/{complaint.instance_id}/hentikan",
        data={"alasan": "", "konfirmasi": "ya"},
    )
    assert refused.status_code == 422
    assert mailing.instance(complaint.instance_id).status == "running"
    assert smtp.messages == []
    assert not [n for n in desk.notifications(complaint) if "dihentikan" in n.subject]
