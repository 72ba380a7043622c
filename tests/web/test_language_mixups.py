"""The English pages say what the Indonesian ones mean: an arrival date is not "Sign in", one task
is "1 open task"."""

from __future__ import annotations

import re


def _english(client):
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    return client


def test_the_english_inbox_labels_the_arrival_and_counts_one_task(as_user, started):
    page = _english(as_user("kepala_dinas")).get("/kotak-masuk").get_data(as_text=True)
    meta = re.search(r'<div class="meta">(.*?)</div>', page, re.S).group(1)
    assert "Sign in" not in meta and "Arrived" in meta
    assert "1 open task" in page and "1 open tasks" not in page


def test_the_indonesian_inbox_keeps_its_words(as_user, started):
    page = as_user("kepala_dinas").get("/kotak-masuk").get_data(as_text=True)
    assert "1 tugas terbuka" in page
    assert re.search(r"<span>Masuk \d", page)


def test_two_tasks_are_plural_in_english(as_user, engine, started):
    from tests.factories import PROCESS, gen_letter

    letter = gen_letter()
    second = engine.start(PROCESS, letter, user="sekretariat")
    task = next(t for t in engine.tasks(instance_id=second.id))
    engine.complete(task.id, "sekretariat", letter)
    page = _english(as_user("kepala_dinas")).get("/kotak-masuk").get_data(as_text=True)
    assert "2 open tasks" in page


def test_the_history_pdf_speaks_of_the_request_and_credits_automatic_steps_to_the_system(
    as_user, actions, clock
):
    from tests.reports.helpers import pdf_text
    from tests.web.test_history import _delivered

    instance = _delivered(actions, clock)
    pdf = as_user("manajer").get(f"/riwayat/{instance.id}/riwayat.pdf").data
    text = pdf_text(pdf)
    assert "instance" not in text.lower() and "Kunci bisnis" not in text
    assert "Nomor registrasi" in text and "Kode pelacakan" in text
    assert f"Riwayat permohonan {instance.id}" in text
    # the letter and the disposition sheet are made by the engine, after a person's step
    rows = [line for line in text.splitlines() if "Membuat lembar disposisi" in line]
    assert rows, text
    assert all("Sistem" in row for row in rows), rows
    assert all("Otomatis" in row for row in rows), rows


def test_the_request_list_names_open_steps_not_element_ids(as_user, started):
    page = as_user("manajer").get("/riwayat").get_data(as_text=True)
    assert "Menerima surat dan mendisposisikan kepada Kabid PIAK" in page
    assert "disposisi_kadin" not in page


def test_the_english_dashboard_heads_one_role_per_row(as_user, started):
    page = _english(as_user("manajer")).get("/dasbor/").get_data(as_text=True)
    heads = re.search(r'aria-labelledby="terbuka-h">.*?<thead>(.*?)</thead>', page, re.S).group(1)
    assert "<th>Role</th>" in heads and "Roles" not in heads
