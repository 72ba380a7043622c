"""E-mail through a real SMTP server on 127.0.0.1 (aiosmtpd): to the unit, and to the complainant."""

from __future__ import annotations

from aiosmtpd.controller import Controller

from tests.web.mail_sink import Inbox, free_port

COMPLAINANT = ("Siti Rahayu", "0812-2710-5566", "siti.rahayu@example.org", "3304014107850002")


def subject(message) -> str:
    """The subject as a mail client shows it (Python folds long ones right after the colon)."""
    return str(message["Subject"]).strip()


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_unit_gets_an_email_without_the_complainants_identity(desk, smtp):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    [message] = smtp.to("unit_layanan@example.invalid")
    assert subject(message) == (
        "Pengaduan P-2026-001 diteruskan kepada Bidang Pelayanan Pendaftaran Penduduk"
    )
    assert message["From"] == "noreply@dindukcapil.banjarnegarakab.go.id"
    text = body_of(message)
    assert "KTP-el belum dicetak tiga minggu setelah perekaman" in text
    assert "Identitas pengadu dirahasiakan" in text
    assert not any(part in text for part in COMPLAINANT)
    assert not any(part in message.as_string() for part in COMPLAINANT)
    sent = [n for n in desk.notifications(complaint, kind="surel")]
    assert [(n.recipient_email, n.sent_at is not None) for n in sent] == [
        ("unit_layanan@example.invalid", True)
    ]


def test_complainant_gets_the_response_with_the_tracking_code(desk, smtp):
    complaint = desk.receive()
    for step in (
        "verifikasi_pengaduan",
        "klasifikasi_pengaduan",
        "penyelesaian_unit",
        "tanggapan_pengadu",
    ):
        desk.do(complaint, step)
    [message] = smtp.to("siti.rahayu@example.org")
    assert subject(message) == "Tanggapan atas pengaduan P-2026-001"
    text = body_of(message)
    assert text.startswith("Yth. Siti Rahayu,")
    assert "KTP-el Anda sudah dapat diambil di loket Dafduk." in text
    assert complaint.kode_pelacakan in text
    assert f"/pengaduan/status?kode={complaint.kode_pelacakan}" in text
    assert (
        "paling lambat 2 April 2026" in text
    )  # 10 working days after 12 March: Nyepi, cuti bersama skipped


def test_answer_to_an_incomplete_complaint_is_emailed_and_final(desk, smtp):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan", hasil_verifikasi="tidak_lengkap")
    desk.do(complaint, "balas_verifikasi")
    [message] = smtp.to("siti.rahayu@example.org")
    assert "Pengaduan ini kami tutup." in body_of(message)
    assert smtp.to("unit_layanan@example.invalid") == []


def test_without_smtp_the_messages_wait_in_the_app(desk):
    complaint = desk.receive(pelapor_email="")
    for step in (
        "verifikasi_pengaduan",
        "klasifikasi_pengaduan",
        "penyelesaian_unit",
        "tanggapan_pengadu",
    ):
        desk.do(complaint, step)
    kept = {(n.recipient_role, n.kind): n for n in desk.notifications(complaint)}
    assert kept[("unit_layanan", "pengaduan")].sent_at is None
    by_phone = kept[("petugas_pengaduan", "surel")]
    assert by_phone.subject.startswith("Sampaikan lewat telepon/SMS")
    assert by_phone.recipient_email is None


def test_a_refusing_server_stops_the_step_at_an_incident_that_can_be_retried(desk, settings):
    settings.smtp_host, settings.smtp_port = "127.0.0.1", free_port()  # nobody listens there
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    [incident] = desk.engine.incidents(instance_id=complaint.instance_id)
    assert incident.element_id == "beritahu_unit"
    assert "surel tidak terkirim" in incident.message
    assert desk.row(complaint).pemberitahuan_unit is None  # nothing half-written

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.smtp_port)
    controller.start()
    try:
        desk.engine.retry(incident.id, user="admin")
    finally:
        controller.stop()
    assert len(inbox.to("unit_layanan@example.invalid")) == 1
    assert desk.open_steps(complaint) == ["klasifikasi_pengaduan"]
    assert desk.row(complaint).status == "diteruskan"
