"""Bahasa Indonesia by default, English switchable; the English catalogue is complete and compiled."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[2] / "web"
TRANSLATIONS = WEB / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def test_pages_are_in_bahasa_indonesia_until_english_is_chosen(client):
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="id">' in page and "Masuk petugas" in page
    response = client.post("/bahasa", data={"lang": "en", "next": "/masuk"})
    assert response.headers["Location"] == "/masuk"
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="en">' in page and "Staff sign-in" in page and "Masuk petugas" not in page
    client.post("/masuk", data={"username": "kasi", "password": "salah"})
    assert "Wrong username or password." in client.post(
        "/masuk", data={"username": "kasi", "password": "salah"}
    ).get_data(as_text=True)
    assert "Page not found" in client.get("/tidak-ada").get_data(as_text=True)
    client.post("/masuk", data={"username": "kasi", "password": "laksana-demo"})
    assert "Inbox" in client.get("/kotak-masuk").get_data(
        as_text=True
    )  # signing in keeps the language
    client.post("/bahasa", data={"lang": "xx"})
    assert '<html lang="en">' in client.get("/masuk").get_data(
        as_text=True
    )  # unknown codes are ignored


#: labels the web shows from outside ``web/`` (marked with ``N_``, translated when a page is rendered)
LABEL_MODULES = [WEB.parent / "complaints" / "catalog.py", WEB.parent / "complaints" / "recap.py"]


def _messages_in_code() -> set[str]:
    with open(TRANSLATIONS / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    found = {
        message
        for _file, _line, message, *_ in extract_from_dir(
            str(WEB), method_map, options_map, keywords=keywords
        )
        if message
    }
    for module in LABEL_MODULES:
        with open(module, "rb") as source:
            found |= {
                message
                for _line, _func, message, *_ in extract_python(source, ["N_"], [], {})
                if message
            }
    return found


def test_the_complaint_labels_are_in_the_catalogue_check():
    labels = _messages_in_code()
    assert {"Pungutan liar atau biaya tidak resmi", "Maret", "Belum dikategorikan"} <= labels


def test_every_message_has_an_english_translation():
    with open(PO, "rb") as handle:
        translated = {m.id: m.string for m in read_po(handle) if m.id}
    missing = sorted(m for m in _messages_in_code() if isinstance(m, str) and not translated.get(m))
    assert missing == [], (
        "run pybabel extract/update (see web/translations/babel.cfg) and translate these"
    )


def _key(text: str | tuple | list) -> str | tuple:
    """A message id or string as a dict key: a plural's forms (a list from a .mo) as a tuple."""
    return text if isinstance(text, str) else tuple(text)


def test_the_compiled_catalogue_matches_the_source():
    with open(PO, "rb") as source, open(MO, "rb") as compiled:
        expected = {_key(m.id): _key(m.string) for m in read_po(source) if m.id and m.string}
        actual = {_key(m.id): _key(m.string) for m in read_mo(compiled) if m.id}
    assert actual == expected, "run: .venv/bin/pybabel compile -d web/translations"
