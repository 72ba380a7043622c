"""Letters coming in (Sekretariat, public form), tracking by code, downloads, verification."""

from __future__ import annotations

import io
import re

import pytest

from engine import bpmn_info
from engine.models import Document
from tests.factories import gen_letter
from tests.web.conftest import PDF, open_task
from web import letter_intake, tracking
from webkit.current import REGISTRATION_KEY

LETTER_FIELDS = {k: v for k, v in gen_letter().items()}


def _register(client, **overrides):
    data = {**LETTER_FIELDS, "nomor_agenda": "", **overrides}
    data.setdefault("surat", (io.BytesIO(PDF), "surat.pdf"))
    return client.post("/surat-masuk/baru", data=data, content_type="multipart/form-data")


def test_sekretariat_registers_a_letter_in_one_click(as_user, engine):
    response = _register(as_user("sekretariat"))
    assert response.status_code == 302
    instance = engine.list_instances()[0]
    assert instance.current_tasks == [
        "disposisi_kadin"
    ]  # registration done, on to the Kepala Dinas
    data = engine.instance_data(instance.id)
    assert data["nomor_agenda"] == "001/2026"
    assert len(data["kode_pelacakan"]) == 14 and instance.business_key == data["kode_pelacakan"]
    with engine.db.transaction() as session:
        letter = (
            session.query(Document).filter_by(instance_id=instance.id, kind="surat_masuk").one()
        )
        assert letter.content == PDF and letter.created_by == "sekretariat"
    page = as_user("sekretariat").get("/kotak-masuk").get_data(as_text=True)
    assert "001/2026" not in page  # the Sekretariat's inbox: nothing left to do
    _register(as_user("sekretariat"))
    assert engine.instance_data(engine.list_instances()[0].id)["nomor_agenda"] == "002/2026"


def test_a_registration_that_fails_to_complete_leaves_no_request_and_no_letter(
    as_user, engine, monkeypatch
):
    """Start, letter and completion are one transaction: a failure at the end undoes all three."""
    complete_in = engine._complete_in

    def complete_then_fail(*args, **kwargs):
        complete_in(*args, **kwargs)
        raise RuntimeError("the store went away")

    monkeypatch.setattr(engine, "_complete_in", complete_then_fail)
    with pytest.raises(RuntimeError):
        letter_intake.register_letter(
            engine, "sekretariat", dict(LETTER_FIELDS, nomor_agenda=""), PDF
        )
    assert engine.list_instances() == []
    with engine.db.Session() as session:
        assert session.query(Document).count() == 0
    monkeypatch.undo()
    done = letter_intake.register_letter(
        engine, "sekretariat", dict(LETTER_FIELDS, nomor_agenda=""), PDF
    )
    assert done.agenda == "001/2026"  # the failed attempt took no agenda number
    [letter] = engine.documents.for_instance(done.instance_id)
    assert letter.kind == "surat_masuk" and letter.created_by == "sekretariat"


def test_registration_refuses_a_file_that_is_not_a_pdf_and_keeps_the_values(as_user, engine):
    response = _register(
        as_user("sekretariat"),
        surat=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "surat.pdf"),
        perihal="Permohonan data penduduk",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-surat-error">Berkas bukan PDF', page)
    assert "Permohonan data penduduk" in page
    assert engine.list_instances() == []


def test_registration_refuses_a_letter_over_ten_megabytes(as_user, engine):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = _register(as_user("sekretariat"), surat=(io.BytesIO(big), "besar.pdf"))
    assert response.status_code == 422 and "terlalu besar" in response.get_data(as_text=True)
    assert engine.list_instances() == []


def test_registration_checks_the_fields_next_to_them(as_user, engine):
    response = _register(as_user("sekretariat"), instansi_pengirim="", tanggal_surat="2026-04-01")
    page = response.get_data(as_text=True)
    assert re.search(r'id="f-instansi_pengirim-error">[^<]*wajib diisi', page)
    assert re.search(r'id="f-tanggal_surat-error">[^<]*paling akhir 2026-03-12', page)
    assert engine.list_instances() == []


def _public_request(client, **overrides):
    data = {
        "instansi_pengirim": "Badan Pusat Statistik Kabupaten Banjarnegara",
        "pimpinan_instansi": "Kepala BPS Kabupaten Banjarnegara",
        "alamat_instansi": "Jl. Dipayuda 6",
        "email_pemohon": "bps3304@example.invalid",
        "nomor_surat": "B-12/33040/2026",
        "tanggal_surat": "2026-03-10",
        "perihal": "Permohonan data penduduk",
        "data_diminta": "Penduduk per desa menurut jenis kelamin",
        "surat": (io.BytesIO(PDF), "surat.pdf"),
    }
    data.update(overrides)
    return client.post(
        "/permohonan-data", data=data, content_type="multipart/form-data", follow_redirects=True
    )


def test_public_request_gives_a_tracking_code_and_waits_for_the_sekretariat(
    client, as_user, engine
):
    page = _public_request(client).get_data(as_text=True)
    code = re.search(r'data-code="([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})"', page).group(1)
    instance = engine.list_instances()[0]
    assert instance.business_key == code and instance.current_tasks == ["registrasi_surat"]
    task = open_task(engine, instance.id)
    form = as_user("sekretariat").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Badan Pusat Statistik" in form and "nomor agenda diberikan otomatis" in form
    response = as_user("sekretariat").post(
        f"/tugas/{task.id}",
        data={
            **{
                k: v
                for k, v in engine.task(task.id).data.items()
                if k in {f.id for f in task.fields}
            },
            "nomor_agenda": "",
        },
        follow_redirects=True,
    )
    assert "Tugas selesai" in response.get_data(as_text=True)
    assert engine.instance_data(instance.id)["nomor_agenda"] == "001/2026"


def test_public_form_shows_errors_and_refuses_a_letter_dated_tomorrow(client, engine):
    response = client.post(
        "/permohonan-data",
        data={"tanggal_surat": "2026-03-13", "email_pemohon": "bukan-email"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Wajib diisi" in page and "Alamat email tidak sah" in page and "Lampirkan surat" in page
    assert engine.list_instances() == []


def test_status_page_shows_steps_and_dates_but_no_internal_notes(client, as_user, engine, actions):
    code = re.search(r'data-code="([\w-]+)"', _public_request(client).get_data(as_text=True)).group(
        1
    )
    instance = engine.list_instances()[0]
    actions.complete(instance.id, "registrasi_surat", instansi_pengirim="Badan Pusat Statistik")
    actions.complete(
        instance.id, "disposisi_kadin", kadin_isi_disposisi="Catatan rahasia Kepala Dinas"
    )
    page = client.get(f"/lacak/{code.lower()}").get_data(as_text=True)
    assert "Mencatat surat masuk di buku agenda" in page and "Sedang diproses" in page
    assert "Menerima disposisi dan mendisposisikan kepada Kasi" in page  # the step it is at
    assert "Catatan rahasia" not in page and "Bambang" not in page and "bps3304" not in page


def test_unknown_tracking_code_is_a_polite_not_found(client):
    response = client.get("/lacak/AAAAAAAAAA")
    assert response.status_code == 404 and "tidak ditemukan" in response.get_data(as_text=True)
    assert client.get("/lacak?kode=k7qx-2m9r-ta").headers["Location"].endswith("/lacak/K7QX2M9RTA")


def test_delivered_request_offers_the_signed_documents_by_token(client, engine, actions, app):
    instance = actions.start(**gen_letter(kode_pelacakan="SELESAI234"))
    engine_row_key(engine, instance.id, "SELESAI234")
    actions.run_until(instance.id)
    page = client.get("/lacak/SELESAI234").get_data(as_text=True)
    assert "Selesai: Data terkirim kepada pemohon" in page  # the end event it reached
    links = re.findall(r'href="(/unduh/[^"]+)"', page)
    assert links, page
    download = client.get(links[0])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert "attachment" in download.headers["Content-Disposition"]
    assert client.get(links[0][:-3] + "xyz").status_code == 404  # tampered token
    with app.test_request_context():
        other = tracking.download_token("ANDERE2345", links[0].rsplit("/", 1)[1])
    assert client.get(f"/unduh/{other}").status_code == 404


def test_the_requester_gets_the_unsigned_documents_the_plugins_declare_public(
    client, engine, actions, app
):
    """Which unsigned documents reach the requester is the plug-ins' declaration
    (``Registration.public_documents``); the generic tracking page names no kind of its own.
    (The test engine's stand-in renderers name documents by their data key.)"""
    instance = actions.start(**gen_letter(kode_pelacakan="PUBLIK2345"))
    engine_row_key(engine, instance.id, "PUBLIK2345")
    actions.run_until(instance.id)
    declared = app.extensions[REGISTRATION_KEY]
    assert "tanda_terima" in declared.public_document_kinds  # the data SOP's receipt
    links = {}
    for public in (set(), {"dokumen_tanda_terima_id"}):
        declared.public_document_kinds.clear()
        declared.public_document_kinds.update(public)
        with app.test_request_context():
            offered = tracking.deliverables(engine, instance.id)
        page = client.get("/lacak/PUBLIK2345").get_data(as_text=True)
        links[frozenset(public)] = re.findall(r'href="(/unduh/[^"]+)"', page)
        unsigned = {doc.kind for doc in offered if not doc.signed}
        assert unsigned == public
    assert len(links[frozenset({"dokumen_tanda_terima_id"})]) == len(links[frozenset()]) + 1


def test_a_diagram_names_the_unsigned_documents_its_requester_receives(
    client, engine, actions, app
):
    """A diagram-only SOP (no plug-in) lists them in its process property requester_documents."""
    instance = actions.start(**gen_letter(kode_pelacakan="DIAGRAM234"))
    engine_row_key(engine, instance.id, "DIAGRAM234")
    actions.run_until(instance.id)
    app.extensions[REGISTRATION_KEY].public_document_kinds.clear()
    with app.test_request_context():
        before = tracking.deliverables(engine, instance.id)
    row = engine.instance(instance.id)
    xml = bpmn_info.deployed_xml(engine, row.process_id, row.version)
    marked = xml.replace(
        "<camunda:properties>",
        '<camunda:properties><camunda:property name="requester_documents" '
        'value="dokumen_tanda_terima_id, lain" />',
        1,
    )
    assert bpmn_info.process_properties(marked, row.process_id)["requester_documents"]
    bpmn_info._DEPLOYED[engine][(row.process_id, row.version)] = marked
    with app.test_request_context():
        after = tracking.deliverables(engine, instance.id)
    assert {d.kind for d in after} - {d.kind for d in before} == {"dokumen_tanda_terima_id"}
    page = client.get("/lacak/DIAGRAM234").get_data(as_text=True)
    assert len(re.findall(r'href="(/unduh/[^"]+)"', page)) == len(after)


def test_refused_request_says_so_and_waits_for_nothing(client, engine, actions):
    instance = actions.start(**gen_letter(kode_pelacakan="DITOLAK234"))
    engine_row_key(engine, instance.id, "DITOLAK234")
    actions.complete(instance.id, "registrasi_surat")
    actions.complete(
        instance.id,
        "disposisi_kadin",
        kadin_keputusan="tolak",
        kadin_alasan_penolakan="Permintaan data individu, bukan data agregat",
        kadin_konfirmasi_tolak=True,
    )
    waiting = client.get("/lacak/DITOLAK234").get_data(as_text=True)
    assert (
        "Sedang diproses" in waiting and "Alasan penolakan" not in waiting
    )  # letter not signed yet
    actions.complete(instance.id, "ttd_penolakan_kadin")
    page = client.get("/lacak/DITOLAK234").get_data(as_text=True)
    assert "Permohonan ditolak" in page and "Sedang diproses" not in page
    assert "Alasan penolakan: Permintaan data individu, bukan data agregat" in page
    # the Kepala Dinas's step is listed as the one that refused, not as done
    step = page.split("Menerima surat dan mendisposisikan")[1].split("</li>")[0]
    assert "ditolak" in step and "selesai" not in step
    assert page.count('class="is-open"') == 0  # and no step is waiting
    assert "/unduh/" in page and "ditandatangani" in page  # the signed letter to download


def engine_row_key(engine, instance_id: int, code: str) -> None:
    """Give an instance started without one a business key (what the intake does at start)."""
    from engine.models import ProcessInstance

    with engine.db.transaction() as session:
        session.get(ProcessInstance, instance_id).business_key = code


def test_verification_page_of_an_unknown_document(client):
    response = client.get("/verifikasi/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and "Dokumen tidak dikenal" in response.get_data(
        as_text=True
    )


def test_verification_upload_refuses_what_is_not_a_pdf(client):
    response = client.post(
        "/verifikasi",
        data={"berkas": (io.BytesIO(b"hello"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "bukan PDF" in response.get_data(as_text=True)


def test_request_and_complaint_codes_share_one_format_and_old_codes_still_work(
    client, actions, engine
):
    """Issue 13, point 13: a request's code looked unlike a complaint's. New ones are both
    XXXX-XXXX-XXXX; a request's old ten-character code is still found."""
    from complaints.intake import new_tracking_code

    grouped = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
    assert grouped.match(tracking.new_code()) and grouped.match(new_tracking_code())
    new = tracking.new_code()
    instance = actions.start(**gen_letter(kode_pelacakan=new))
    engine_row_key(engine, instance.id, new)
    typed = new.replace("-", " ").lower()
    assert client.get(f"/lacak?kode={typed}").headers["Location"].endswith(f"/lacak/{new}")
    assert client.get(f"/lacak/{new}").status_code == 200
    old = actions.start(**gen_letter(kode_pelacakan="LAMA234567"))
    engine_row_key(engine, old.id, "LAMA234567")
    assert client.get("/lacak/lama234567").status_code == 200


def test_a_terminated_request_tells_the_requester_why_and_keeps_their_documents(
    client, engine, actions
):
    """Terminating in the console with a reason: the tracking page says so, with the reason,
    and the documents already made for the requester stay downloadable."""
    from engine.documents import NewDocument

    instance = actions.start(**gen_letter(kode_pelacakan="HENTI23456"))
    engine_row_key(engine, instance.id, "HENTI23456")
    actions.complete(instance.id, "registrasi_surat")
    engine.documents.store(
        NewDocument("tanda_terima", "tanda-terima-{instance_id}.pdf", PDF, "Tanda terima"),
        instance.id,
        "sekretariat",
    )
    engine.terminate(instance.id, "admin", "Pemohon menarik permohonannya lewat surat")
    page = client.get("/lacak/HENTI23456").get_data(as_text=True)
    assert "Dibatalkan" in page and "Sedang diproses" not in page
    assert "Alasan pembatalan: Pemohon menarik permohonannya lewat surat" in page
    [link] = re.findall(r'href="(/unduh/[^"]+)"', page)
    assert client.get(link).data == PDF
