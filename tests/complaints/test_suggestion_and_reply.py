"""The decision table's suggestion on the classification, and the complainant's reply as a message.

The business rule task ``saran_klasifikasi_pengaduan`` (processes/klasifikasi_pengaduan.dmn)
suggests the weight and the handling unit from the category and the channel; the officer's form
shows them pre-filled and an override needs a reason. After the response the process waits for
the message ``balasan_pengadu_diterima`` that the public status page sends when the complainant
replies, or for the auto-close deadline.
"""

from __future__ import annotations

import pytest

from complaints.public import REPLIED_STATUS, REPLY_MESSAGE
from engine.errors import FormInvalid


def history(desk, complaint):
    return desk.engine.history(complaint.instance_id)


def shown_defaults(desk, complaint, step: str) -> dict:
    task = desk.task(complaint, step)
    view = desk.engine.task(task.id, "petugas_pengaduan")
    return {field.id: field.default for field in view.fields}


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_confirmed_suggestion_needs_no_reason(desk):
    complaint = desk.receive()  # telephone, category "dokumen", unit complained about: dafduk
    desk.do(complaint, "verifikasi_pengaduan")
    defaults = shown_defaults(desk, complaint, "klasifikasi_pengaduan")
    assert defaults["klasifikasi"] == "ringan" and defaults["unit_penanganan"] == "dafduk"
    assert defaults["alasan_klasifikasi"] is None
    desk.do(complaint, "klasifikasi_pengaduan", alasan_klasifikasi="")
    assert desk.open_steps(complaint) == ["penyelesaian_unit"]
    row = desk.row(complaint)
    assert (row.bobot, row.alasan_bobot) == ("ringan", None)
    assert row.tindakan[-1]["uraian"] == (
        "Ditetapkan sebagai pengaduan ringan, ditangani Bidang Pelayanan Pendaftaran Penduduk "
        "sesuai saran tabel keputusan"
    )
    [decided] = [h for h in history(desk, complaint) if h.action == "decided"]
    assert decided.element_id == "saran_klasifikasi_pengaduan"
    assert decided.data == {
        "decision": "tabel_saran_klasifikasi",
        "saran_klasifikasi": "ringan",
        "saran_unit": "dafduk",
    }


def test_overriding_the_suggestion_requires_a_reason_and_the_log_keeps_both(desk):
    complaint = desk.receive(kategori="pungutan_liar", judul="Diminta uang untuk KK")
    desk.do(complaint, "verifikasi_pengaduan", kategori="pungutan_liar", unit_terlapor="capil")
    defaults = shown_defaults(desk, complaint, "klasifikasi_pengaduan")
    assert (defaults["klasifikasi"], defaults["unit_penanganan"]) == ("berat", "sekretariat")
    task = desk.task(complaint, "klasifikasi_pengaduan")
    choice = {"klasifikasi": "ringan", "unit_penanganan": "sekretariat"}
    with pytest.raises(FormInvalid) as refused:
        desk.engine.complete(task.id, "petugas_pengaduan", {**choice, "alasan_klasifikasi": " "})
    message = refused.value.by_field()["alasan_klasifikasi"]
    assert "wajib diisi karena pilihan berbeda dari saran" in message and "Bobot" in message
    assert desk.open_steps(complaint) == ["klasifikasi_pengaduan"]
    reason = "Uang sudah dikembalikan, cukup teguran langsung"
    desk.engine.complete(task.id, "petugas_pengaduan", {**choice, "alasan_klasifikasi": reason})
    assert desk.open_steps(complaint) == ["penyelesaian_unit"]
    row = desk.row(complaint)
    assert (row.bobot, row.alasan_bobot) == ("ringan", reason)
    assert row.tindakan[-1]["uraian"] == (
        f"Ditetapkan sebagai pengaduan ringan (saran: berat), ditangani Sekretariat: {reason}"
    )
    completed = [h for h in history(desk, complaint) if h.element_id == "klasifikasi_pengaduan"]
    assert completed[-1].data["alasan_klasifikasi"] == reason
    data = desk.engine.instance_data(complaint.instance_id)
    assert (data["saran_klasifikasi"], data["klasifikasi"]) == ("berat", "ringan")


def test_another_unit_than_suggested_also_needs_a_reason(desk):
    complaint = desk.receive(saluran="lapor", nomor_lapor="LAP-1", kategori="data_kependudukan")
    desk.do(complaint, "verifikasi_pengaduan", kategori="data_kependudukan")
    defaults = shown_defaults(desk, complaint, "klasifikasi_pengaduan")
    assert (defaults["klasifikasi"], defaults["unit_penanganan"]) == ("berat", "piak")
    task = desk.task(complaint, "klasifikasi_pengaduan")
    with pytest.raises(FormInvalid) as refused:
        desk.engine.complete(
            task.id, "petugas_pengaduan", {"klasifikasi": "berat", "unit_penanganan": "dafduk"}
        )
    assert "Unit penanganan" in refused.value.by_field()["alasan_klasifikasi"]


def test_the_reply_on_the_status_page_reaches_the_process_and_the_officer(desk, as_user):
    complaint = desk.receive()
    for step in ("verifikasi_pengaduan", "klasifikasi_pengaduan", "penyelesaian_unit"):
        desk.do(complaint, step)
    desk.do(complaint, "tanggapan_pengadu")
    assert desk.open_steps(complaint) == []  # waiting for the reply (or the deadline)
    public = as_user(None)
    url = f"/pengaduan/status?kode={complaint.kode_pelacakan}"
    assert "menunggu balasan Anda" in page(public.get(url))
    reply = "KTP-el sudah saya ambil, terima kasih"
    sent = public.post(
        "/pengaduan/status",
        data={"kode": complaint.kode_pelacakan, "kepuasan": "cukup", "balasan": reply},
    )
    assert sent.status_code == 302
    status = page(public.get(url))
    assert "menunggu balasan Anda" not in status and REPLIED_STATUS in status
    assert desk.open_steps(complaint) == ["konfirmasi_pengadu"]
    caught = [h for h in history(desk, complaint) if h.action == "message_caught"]
    assert caught and caught[0].data["message"] == REPLY_MESSAGE
    assert caught[0].data["kepuasan"] == "cukup" and caught[0].actor is None
    defaults = shown_defaults(desk, complaint, "konfirmasi_pengadu")
    assert (defaults["kepuasan"], defaults["balasan_pengadu"]) == ("cukup", reply)
    officer = as_user("petugas_pengaduan")
    task = desk.task(complaint, "konfirmasi_pengadu")
    shown = page(officer.get(f"/tugas/{task.id}"))
    assert reply in shown
    closed = officer.post(f"/tugas/{task.id}", data={"kepuasan": "cukup", "balasan_pengadu": reply})
    assert closed.status_code == 302
    row = desk.row(complaint)
    assert (row.status, row.kepuasan, row.balasan_pengadu, row.ditutup_otomatis) == (
        "selesai",
        "cukup",
        reply,
        False,
    )
    assert desk.engine.instance(complaint.instance_id).status == "completed"


def test_a_reply_with_no_process_waiting_is_kept_for_the_desk(desk):
    complaint = desk.receive()
    for step in ("verifikasi_pengaduan", "klasifikasi_pengaduan", "penyelesaian_unit"):
        desk.do(complaint, step)
    desk.do(complaint, "tanggapan_pengadu")
    desk.reply(complaint)
    assert desk.open_steps(complaint) == ["konfirmasi_pengadu"]
    # a second message finds nothing waiting: nothing moves, nothing fails
    assert desk.engine.correlate_message(REPLY_MESSAGE, {}, complaint.nomor_register) == []
    [told] = [n for n in desk.notifications(complaint, kind="pengaduan") if "membalas" in n.subject]
    assert told.recipient_role == "petugas_pengaduan"
    assert "Memeriksa balasan pengadu dan menutup pengaduan" in told.body


def test_a_reply_the_officer_leaves_is_closed_at_the_deadline(desk):
    complaint = desk.receive()
    for step in ("verifikasi_pengaduan", "klasifikasi_pengaduan", "penyelesaian_unit"):
        desk.do(complaint, step)
    desk.do(complaint, "tanggapan_pengadu")
    desk.reply(complaint, kepuasan="tidak_puas")
    deadline = desk.engine.instance(complaint.instance_id).next_timer
    assert deadline is not None
    assert desk.tick_at(deadline.replace(second=deadline.second + 1)) == [complaint.instance_id]
    row = desk.row(complaint)
    assert (row.status, row.ditutup_otomatis, row.kepuasan) == ("selesai", True, "tidak_puas")
    assert row.tindakan[-1]["uraian"] == (
        "Ditutup otomatis: balasan daring pengadu belum ditindaklanjuti petugas"
    )


def test_an_outside_party_sends_the_reply_through_the_api(client, desk):
    from tests.web.test_api import basic

    complaint = desk.receive()
    for step in ("verifikasi_pengaduan", "klasifikasi_pengaduan", "penyelesaian_unit"):
        desk.do(complaint, step)
    desk.do(complaint, "tanggapan_pengadu")
    body = {
        "name": REPLY_MESSAGE,
        "correlation_key": complaint.nomor_register,
        "payload": {"kepuasan": "puas", "balasan_pengadu": "Lewat LAPOR!: sudah beres"},
    }
    refused = client.post("/api/v1/messages", json=body, headers=basic("petugas_pengaduan"))
    assert refused.status_code == 403
    bad = client.post("/api/v1/messages", json={"name": REPLY_MESSAGE}, headers=basic("analis"))
    assert bad.status_code == 400 and "correlation_key" in bad.get_json()["error"]["message"]
    unknown = client.post(
        "/api/v1/messages", json={**body, "correlation_key": "P-1999-999"}, headers=basic("analis")
    )
    assert unknown.status_code == 404
    sent = client.post("/api/v1/messages", json=body, headers=basic("analis"))
    assert sent.status_code == 200 and sent.get_json() == {"instances": [complaint.instance_id]}
    assert desk.open_steps(complaint) == ["konfirmasi_pengadu"]
    defaults = shown_defaults(desk, complaint, "konfirmasi_pengadu")
    assert defaults["balasan_pengadu"] == "Lewat LAPOR!: sudah beres"
    [caught] = [h for h in history(desk, complaint) if h.action == "message_caught"]
    assert caught.actor == "analis"
