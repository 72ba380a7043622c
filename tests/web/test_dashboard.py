"""The manager's dashboard: durations from the audit log against the standard minutes."""

from __future__ import annotations

import csv
import io
import json
import re

from engine.statistics import percentile
from tests.factories import gen_letter


def _run(actions, kadin_minutes: int, until: str | None = None):
    instance = actions.start(**gen_letter())
    actions.complete(instance.id, "registrasi_surat")
    actions.complete(instance.id, "disposisi_kadin", minutes=kadin_minutes)
    if until:
        actions.run_until(instance.id, stop_before=until)
    return instance


def _csv_rows(client) -> dict[str, dict]:
    text = client.get("/dasbor/langkah.csv").get_data(as_text=True).lstrip("\ufeff")
    return {row["element_id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_step_durations_median_p90_and_share_within_the_standard(as_user, actions):
    _run(actions, 3)
    _run(actions, 12)
    rows = _csv_rows(as_user("manajer"))
    kadin = rows["disposisi_kadin"]
    assert (
        kadin["jumlah"] == "2" and kadin["median_menit"] == "7.5" and kadin["p90_menit"] == "11.1"
    )
    assert kadin["waktu_baku_menit"] == "5" and kadin["persen_dalam_waktu_baku"] == "50.0"
    assert "registrasi_surat" in rows and rows["registrasi_surat"]["waktu_baku_menit"] == ""


def test_dashboard_page_shows_open_work_weekly_chart_and_heat_map(as_user, actions):
    _run(actions, 3, until="beri_akses")
    _run(actions, 20)
    page = as_user("manajer").get("/dasbor/").get_data(as_text=True)
    assert "Pekerjaan terbuka per langkah dan peran" in page
    open_rows = re.findall(
        r"<tr><td>([^<]+)</td><td>([^<]+)</td><td class=\"num\">(\d+)</td>", page
    )
    assert ("Memberikan hak akses/kewenangan kepada operator", "Kepala Seksi", "1") in open_rows
    assert '<svg class="bar-chart"' in page and "<title>9 Mar 2026: 2</title>" in page
    heat = json.loads(re.search(r'id="heat-config">(.*?)</script>', page, re.S).group(1))
    assert heat["heat"]["disposisi_kadin"]["level"] == 3  # median 11.5 minutes against 5
    assert heat["heat"]["disposisi_kadin"]["count"] == 2


def test_period_filter_excludes_older_requests(as_user, actions):
    _run(actions, 3)
    rows = _csv_rows(as_user("manajer"))
    assert rows
    page = (
        as_user("manajer").get("/dasbor/?dari=2026-03-13&sampai=2026-03-20").get_data(as_text=True)
    )
    assert "Belum ada langkah yang selesai pada periode ini" in page


def test_percentile_interpolates_between_ranks():
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([], 0.9) == 0.0


def test_quick_steps_show_seconds_and_the_untimed_agenda_step_comes_first(as_user, engine, clock):
    from tests.factories import PROCESS, gen_form

    instance = engine.start(PROCESS, gen_letter(), user="sekretariat")
    clock.advance(seconds=10)  # registered in ten seconds: never "0 menit"
    task = next(t for t in engine.tasks(instance_id=instance.id))
    engine.complete(task.id, "sekretariat", gen_form("registrasi_surat"))
    page = as_user("manajer").get("/dasbor/").get_data(as_text=True)
    rows = re.findall(r'<tr class="[^"]*" data-element="(\w+)">(.*?)</tr>', page, re.S)
    assert rows[0][0] == "registrasi_surat"
    assert "10 detik" in rows[0][1] and "tanpa waktu baku" in rows[0][1]
    assert not re.search(r"(?<![\d,])0 menit", page) and ">0<" not in rows[0][1]
    heat = json.loads(re.search(r'id="heat-config">(.*?)</script>', page, re.S).group(1))
    assert heat["heat"]["registrasi_surat"]["level"] == 0  # neither on time nor late
    assert heat["heat"]["registrasi_surat"]["label"] == "10 detik / tanpa waktu baku"
