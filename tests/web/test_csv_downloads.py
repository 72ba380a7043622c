"""Every CSV download of the staff pages: one charset in its Content-Type, a BOM, no formulas."""

from __future__ import annotations

from tests.factories import gen_letter
from tests.web.test_history import _delivered
from webkit.downloads import csv_text, safe_cell


def _charsets(response) -> int:
    return response.headers["Content-Type"].lower().count("charset")


def test_each_csv_response_names_its_charset_exactly_once(as_user, actions, clock, engine):
    instance = _delivered(actions, clock)
    actions.start(**gen_letter())
    downloads = {
        "manajer": ["/dasbor/langkah.csv", "/buku-agenda/unduh.csv"],
        "kasi": [f"/riwayat/{instance.id}/data.csv"],
    }
    for role, urls in downloads.items():
        client = as_user(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.mimetype == "text/csv", url
            assert _charsets(response) == 1, (url, response.headers["Content-Type"])
            assert "attachment" in response.headers["Content-Disposition"], url


def test_csv_text_keeps_spreadsheets_from_running_cells():
    text = csv_text(["a", "b"], [['=HYPERLINK("x")', 5], ["-1", None]])
    assert text.startswith("\ufeff")
    assert "'=HYPERLINK" in text and "\r\n'-1," in text and ",5\r\n" in text
    assert safe_cell(-3) == "-3" and safe_cell("@x") == "'@x"
