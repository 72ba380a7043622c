"""Every path of ``pengaduan_layanan`` through the engine facade, with the log book it leaves."""

from __future__ import annotations

import pytest

from engine.errors import Forbidden

COMPLAINANT = ("Siti Rahayu", "0812-2710-5566", "siti.rahayu@example.org", "3304014107850002")


def history_actions(desk, complaint):
    return [(h.action, h.element_id) for h in desk.engine.history(complaint.instance_id)]


def test_a_received_complaint_waits_for_the_officer_with_a_register_number(desk):
    complaint = desk.receive()
    assert complaint.nomor_register == "P-2026-001"
    assert desk.receive().nomor_register == "P-2026-002"
    assert desk.open_steps(complaint) == ["verifikasi_pengaduan"]
    instance = desk.engine.instance(complaint.instance_id)
    assert instance.business_key == "P-2026-001"
    assert instance.summary["kanal"] == "telepon"
    assert desk.row(complaint).status == "diterima"


@pytest.mark.parametrize("result", ["tidak_lengkap", "bukan_kewenangan"])
def test_incomplete_or_not_our_authority_ends_with_an_answer(desk, result):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan", hasil_verifikasi=result, unit_terlapor="luar_dinas")
    assert desk.open_steps(complaint) == ["balas_verifikasi"]
    assert desk.notifications(complaint, kind="pengaduan") == []  # the unit is not told
    instance = desk.do(complaint, "balas_verifikasi")
    assert instance.status == "completed"
    row = desk.row(complaint)
    assert (row.status, row.hasil_verifikasi) == (result, result)
    assert row.tanggapan.startswith("Mohon lengkapi")
    assert row.tanggal_selesai is not None and row.pemberitahuan_unit is None
    [answer] = desk.notifications(complaint, kind="surel")
    assert (
        answer.recipient_email == "siti.rahayu@example.org" and answer.sent_at is None
    )  # no SMTP: kept
    assert answer.recipient_role == "petugas_pengaduan"
    assert "Mohon lengkapi nomor registrasi" in answer.body


def test_light_complaint_is_resolved_by_the_unit(desk):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    row = desk.row(complaint)
    assert row.status == "diteruskan" and row.pemberitahuan_unit is not None
    assert row.petugas == "Nur Hidayah"  # the officer's name, for the log book
    [told] = desk.notifications(complaint, kind="pengaduan")
    assert told.recipient_role == "unit_layanan"
    assert "P-2026-001" in told.subject and "KTP-el belum dicetak" in told.body
    desk.do(complaint, "klasifikasi_pengaduan")
    assert desk.open_steps(complaint) == ["penyelesaian_unit"]
    desk.do(complaint, "penyelesaian_unit")
    assert desk.row(complaint).status == "ditangani"
    desk.do(complaint, "tanggapan_pengadu")
    assert desk.row(complaint).status == "ditanggapi"
    assert desk.open_steps(complaint) == []  # waiting for the complainant's reply
    desk.reply(complaint)
    instance = desk.do(complaint, "konfirmasi_pengadu")
    assert instance.status == "completed"
    row = desk.row(complaint)
    assert (row.status, row.bobot, row.kepuasan, row.ditutup_otomatis) == (
        "selesai",
        "ringan",
        "puas",
        False,
    )
    assert [a["uraian"] for a in row.tindakan] == [
        "Diverifikasi: Lengkap",
        "Diteruskan kepada Bidang Pelayanan Pendaftaran Penduduk",
        "Ditetapkan sebagai pengaduan ringan, ditangani Bidang Pelayanan Pendaftaran Penduduk "
        "sesuai saran tabel keputusan: Keterlambatan satu dokumen",
        "Tindakan unit: KTP-el dicetak dan siap diambil",
        "Tanggapan disampaikan kepada pengadu",
        "Pengaduan ditutup (kepuasan: Puas)",
    ]
    assert row.tindakan[3]["tanggal"] == "2026-03-13"  # the date the unit acted, as it said


def test_heavy_complaint_with_investigation(desk):
    complaint = desk.receive(kategori="pungutan_liar", judul="Diminta uang untuk KK")
    desk.do(complaint, "verifikasi_pengaduan", kategori="pungutan_liar")
    assert desk.engine.instance_data(complaint.instance_id)["saran_klasifikasi"] == "berat"
    desk.do(
        complaint,
        "klasifikasi_pengaduan",
        klasifikasi="berat",
        unit_penanganan="sekretariat",
        alasan_klasifikasi="Dugaan pungutan liar",
    )
    assert desk.open_steps(complaint) == ["penanganan_berat"]
    desk.do(complaint, "penanganan_berat", user="kepala_dinas")
    assert desk.open_steps(complaint) == ["investigasi_analisis"]
    desk.do(complaint, "investigasi_analisis")
    desk.do(complaint, "keputusan_pimpinan")
    desk.do(complaint, "tindak_lanjut_unit")
    desk.do(complaint, "tanggapan_pengadu")
    desk.reply(complaint, kepuasan="cukup")
    assert desk.do(complaint, "konfirmasi_pengadu", kepuasan="cukup").status == "completed"
    row = desk.row(complaint)
    assert (row.bobot, row.alasan_bobot, row.kepuasan) == ("berat", "Dugaan pungutan liar", "cukup")
    texts = [a["uraian"] for a in row.tindakan]
    assert "Pimpinan menetapkan penanganan: Investigasi dan analisis (Periksa loket)" in texts
    assert any(t.startswith("Investigasi dan analisis: Blangko habis") for t in texts)
    assert "Keputusan pimpinan: Petugas ditegur, biaya dikembalikan" in texts


def test_heavy_complaint_discussed_in_a_meeting(desk):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    desk.do(
        complaint,
        "klasifikasi_pengaduan",
        klasifikasi="berat",
        alasan_klasifikasi="Banyak warga terdampak",
    )
    desk.do(complaint, "penanganan_berat", cara_penanganan="rapat")
    assert desk.open_steps(complaint) == ["rapat_pembahasan"]
    desk.do(complaint, "rapat_pembahasan")
    desk.do(complaint, "keputusan_pimpinan")
    desk.do(complaint, "tindak_lanjut_unit")
    desk.do(complaint, "tanggapan_pengadu")
    desk.reply(complaint)
    desk.do(complaint, "konfirmasi_pengadu")
    meeting = [
        a for a in desk.row(complaint).tindakan if a["uraian"].startswith("Rapat pembahasan")
    ]
    assert meeting == [
        {"tanggal": "2026-03-16", "uraian": "Rapat pembahasan (Kadin, Kabid Dafduk, Kasi): Teguran"}
    ]
    data = desk.engine.instance_data(complaint.instance_id)
    assert (
        data["notulen_rapat"] == "Dibahas keterlambatan dan pungutan"
    )  # the minutes stay with the instance


def test_leadership_steps_are_refused_to_the_unit_and_the_officer(desk):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    desk.do(complaint, "klasifikasi_pengaduan", klasifikasi="berat")
    task = desk.task(complaint, "penanganan_berat")
    assert set(task.candidate_roles) == {"kabid_piak", "kepala_dinas"}
    for outsider in ("unit_layanan", "petugas_pengaduan"):
        with pytest.raises(Forbidden):
            desk.engine.complete(task.id, outsider, {"cara_penanganan": "rapat"})


def test_complaint_closes_itself_ten_working_days_after_the_response(desk, clock):
    complaint = desk.receive()  # Thursday 12 March 2026, 08:00 WIB
    for step in ("verifikasi_pengaduan", "klasifikasi_pengaduan", "penyelesaian_unit"):
        desk.do(complaint, step)
    desk.do(complaint, "tanggapan_pengadu", minutes=24 * 60)  # Friday 13 March
    responded = desk.row(complaint).ditanggapi_pada
    # 10 working days: 16, 17, (18 cuti, 19 Nyepi, 20 cuti, 21-22 weekend, 23-24 cuti) 25, 26, 27, 30, 31 Mar,
    # 1, 2 Apr, (3 Apr Good Friday, weekend) 6 Apr
    deadline = responded.replace(month=4, day=6)
    assert desk.tick_at(deadline.replace(day=3)) == []
    assert desk.open_steps(complaint) == []  # waiting for the reply or the deadline
    assert desk.tick_at(deadline.replace(second=deadline.second + 1)) == [complaint.instance_id]
    instance = desk.engine.instance(complaint.instance_id)
    assert instance.status == "completed" and instance.current_tasks == []
    row = desk.row(complaint)
    assert (row.status, row.ditutup_otomatis, row.kepuasan) == ("selesai", True, None)
    assert row.tindakan[-1]["uraian"].startswith(
        "Ditutup otomatis: tidak ada balasan dalam 10 hari kerja"
    )
    assert ("timer_fired", "batas_balasan") in history_actions(desk, complaint)


def test_a_shared_step_counts_for_each_of_its_roles(desk):
    complaint = desk.receive(kategori="pungutan_liar")
    desk.do(complaint, "verifikasi_pengaduan", kategori="pungutan_liar")
    desk.do(
        complaint,
        "klasifikasi_pengaduan",
        klasifikasi="berat",
        alasan_klasifikasi="Dugaan pungutan liar",
    )
    assert desk.open_steps(complaint) == [
        "penanganan_berat"
    ]  # candidate roles kabid_piak, kepala_dinas
    for username in ("kabid_piak", "kepala_dinas"):
        assert desk.engine.takes_part(complaint.instance_id, username), username
    assert not desk.engine.takes_part(complaint.instance_id, "operator")
