"""Issue 12: an operator terminates a request in the console with a reason, and the requester who
gave an e-mail address is told once (reason, tracking link, documents kept), through a real SMTP
server; without an address, or when the termination is refused, nobody is mailed."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import Conflict, EngineError, Forbidden
from jobs import mail
from tests.factories import PROCESS, gen_letter
from tests.web.conftest import sign_out
from tests.web.mail_sink import body_of, free_port, subject

PUBLIC_DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "layanan_publik.bpmn"
REQUESTER = "bappeda@example.invalid"
CODE = "K7M2-P9QX-3RTB"
REASON = "Pemohon menarik permohonannya lewat surat 12 Maret"


@pytest.fixture
def mailing(engine):
    """The engine with the jobs plug-in's outbox, as the app registers it."""
    engine.services.outbox = mail.outbox
    return engine


def data_request(engine, actions, **letter):
    """A data request registered with a tracking code, waiting for the Kabid's disposition."""
    started = engine.start(
        PROCESS, gen_letter(kode_pelacakan=CODE, **letter), user="sekretariat", business_key=CODE
    )
    actions.complete(started.id, "registrasi_surat", **letter)
    return actions.run_until(started.id, stop_before="disposisi_kabid")


def terminate(client, instance_id: int, reason: str = REASON):
    return client.post(
        f"/konsol/permohonan/{instance_id}/hentikan", data={"alasan": reason, "konfirmasi": "ya"}
    )


def mailed(engine, instance_id: int):
    return [n for n in engine.notifications.for_instance(instance_id) if n.recipient_email]


def test_the_requester_is_mailed_once_with_the_reason_the_link_and_the_documents_kept(
    as_user, client, mailing, actions, smtp, settings
):
    instance = data_request(mailing, actions)
    console = as_user("analis")
    form = console.get(f"/konsol/permohonan/{instance.id}").get_data(as_text=True)
    assert "dikirim kepadanya lewat surel" in form  # the operator knows the requester is told
    assert terminate(console, instance.id).status_code == 302
    assert mailing.instance(instance.id).status == "cancelled"

    [message] = smtp.to(REQUESTER)
    assert len(smtp.messages) == 1
    assert subject(message) == f"Permohonan {CODE} dihentikan"
    text = body_of(message)
    link = f"{settings.base_url}/lacak/{CODE}"
    assert "Pemanfaatan Data Agregat Kependudukan" in text
    assert f"Alasan: {REASON}" in text
    assert "tetap berlaku" in text and link in text
    [note] = mailed(mailing, instance.id)
    assert (note.recipient_email, note.kind) == (REQUESTER, "surel") and note.sent_at is not None

    sign_out(client)
    tracking = client.get(link.removeprefix(settings.base_url)).get_data(as_text=True)
    assert REASON in tracking  # the link leads to the page that says why


def test_a_request_without_an_address_mails_nobody(as_user, mailing, actions, smtp):
    instance = data_request(mailing, actions, email_pemohon="")
    assert terminate(as_user("admin"), instance.id).status_code == 302
    assert mailing.instance(instance.id).status == "cancelled"
    assert smtp.messages == [] and mailed(mailing, instance.id) == []


def test_a_refused_termination_mails_nobody(as_user, mailing, actions, smtp):
    instance = data_request(mailing, actions)
    client = as_user("admin")
    refused = terminate(client, instance.id, reason="")
    assert refused.status_code == 422 and "Alasan wajib diisi" in refused.get_data(as_text=True)
    with pytest.raises(EngineError):
        mailing.terminate(instance.id, "admin", "ok")  # shorter than the shortest reason
    with pytest.raises(Forbidden):
        mailing.terminate(instance.id, "kasi", REASON)  # not an operator of the console
    assert mailing.instance(instance.id).status == "running"
    assert smtp.messages == [] and mailed(mailing, instance.id) == []

    assert terminate(client, instance.id).status_code == 302
    with pytest.raises(Conflict):
        mailing.terminate(instance.id, "admin", REASON)  # already ended: not told twice
    assert len(smtp.to(REQUESTER)) == 1 and len(mailed(mailing, instance.id)) == 1


def test_a_process_words_the_message_with_its_own_properties(as_user, mailing, smtp, settings):
    mailing.deploy(PUBLIC_DIAGRAM.read_bytes(), PUBLIC_DIAGRAM.name)
    values = {"nama_pemohon": "Budi Santoso", "email_pemohon": "budi@example.org"}
    instance = mailing.start_with_form(
        "uji_layanan_publik", {**values, "keperluan": "kerja"}, "jfu", "UJI7K2M9", "kode_pelacakan"
    )
    assert (
        terminate(as_user("admin"), instance.id, "Persyaratan tidak dilengkapi").status_code == 302
    )
    [message] = [m for m in smtp.to("budi@example.org") if "dihentikan" in subject(m)]
    assert subject(message) == "Surat keterangan UJI7K2M9 dihentikan"
    assert body_of(message).strip() == (
        "Yth. Budi Santoso, permohonan Surat keterangan uji Anda dihentikan: Persyaratan tidak "
        f"dilengkapi. Lihat {settings.base_url}/lacak/UJI7K2M9"
    )


def test_without_a_server_the_message_waits_in_the_outbox(as_user, mailing, actions, settings):
    assert settings.smtp_host is None
    instance = data_request(mailing, actions)
    assert terminate(as_user("admin"), instance.id).status_code == 302
    [note] = mailed(mailing, instance.id)
    assert (note.recipient_email, note.kind, note.sent_at) == (REQUESTER, "surel_antre", None)
    assert REASON in note.body


def test_a_refusing_server_does_not_undo_the_termination(as_user, mailing, actions, settings):
    settings.smtp_host, settings.smtp_port = "127.0.0.1", free_port()  # nobody listens there
    instance = data_request(mailing, actions)
    assert terminate(as_user("admin"), instance.id).status_code == 302
    assert mailing.instance(instance.id).status == "cancelled"
    assert mailed(mailing, instance.id) == []
    notes = mailing.notifications.for_instance(instance.id)
    [notice] = [n for n in notes if n.recipient_role == "admin"]
    assert "belum terkirim" in notice.subject and "secara langsung" in notice.body
