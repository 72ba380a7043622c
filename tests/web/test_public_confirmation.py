"""The public confirmation page: a print button and what happens next, with the SOP's steps and
standard time read from the deployed diagram."""

from __future__ import annotations

import re

from tests.web.test_requests import _public_request


def test_the_confirmation_prints_and_says_what_happens_next(client):
    page = _public_request(client).get_data(as_text=True)
    assert re.search(r'data-code="[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"', page)
    assert "data-print" in page and "Cetak bukti ini" in page and "js/print.js" in page
    section = re.search(r'<section class="card next-steps".*?</section>', page, re.S).group(0)
    assert "Apa yang terjadi selanjutnya" in section
    # the SOP's standard time (125 minutes in its document) and its steps, with who does them
    assert "2 jam 5 menit" in section
    steps = re.findall(r"<li><strong>([^<]+)</strong>: ([^<]+)</li>", section)
    assert len(steps) == 8
    assert steps[0] == ("Kepala Dinas", "Menerima surat dan mendisposisikan kepada Kabid PIAK")
    assert steps[-1][0] == "JFU"


def test_the_confirmation_in_english(client):
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    page = _public_request(client).get_data(as_text=True)
    assert "What happens next" in page and "2 h 5 min" in page and "Print this receipt" in page
