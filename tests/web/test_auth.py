"""Signing in, rate limits, CSRF, cookies, the password change, error pages."""

from __future__ import annotations

import re

from tests.web.conftest import DEMO_PASSWORD
from web.app import create_app


def _login(client, username="kasi", password=DEMO_PASSWORD, **extra):
    return client.post("/masuk", data={"username": username, "password": password, **extra})


def test_sign_in_and_out(client):
    response = _login(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/kotak-masuk")
    assert "Agus Prasetyo" in client.get("/kotak-masuk").get_data(as_text=True)
    client.post("/keluar")
    assert client.get("/kotak-masuk").headers["Location"].startswith("/masuk")


def test_wrong_password_is_said_next_to_the_field(client):
    page = _login(client, password="salah").get_data(as_text=True)
    assert re.search(r'id="password-error">Nama pengguna atau kata sandi salah', page)
    assert 'aria-invalid="true"' in page
    assert "Nama pengguna atau kata sandi salah" in _login(client, username="tidak_ada").get_data(
        as_text=True
    )


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client):
    assert _login(client, next="/riwayat").headers["Location"] == "/riwayat"
    client.post("/keluar")
    assert _login(client, next="https://evil.example/").headers["Location"].endswith("/kotak-masuk")
    client.post("/keluar")
    assert _login(client, next="//evil.example/").headers["Location"].endswith("/kotak-masuk")


def _attempt(client, token, username, password="salah", address="10.1.2.3"):
    return client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sign_in_attempts_are_rate_limited_per_address(strict_app):
    client = strict_app.test_client()
    token = _token(client, "/masuk")
    # a different account each time: only the address's limit (10 a minute) applies
    statuses = [_attempt(client, token, f"tebakan{n}").status_code for n in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429
    page = _attempt(client, token, "kasi", DEMO_PASSWORD)
    text = page.get_data(as_text=True)
    assert page.status_code == 429 and 1 <= int(page.headers["Retry-After"]) <= 60
    # the sign-in page again, saying why and how long to wait (not a bare error page)
    assert 'name="username"' in text and 'value="kasi"' in text
    assert "Terlalu banyak percobaan masuk dari alamat Anda." in text
    assert re.search(r"Tunggu sekitar \d+ menit, lalu coba lagi", text)
    assert _attempt(client, token, "kasi", DEMO_PASSWORD, "10.1.2.4").status_code == 302


def test_failed_sign_ins_are_limited_per_account_from_any_address(strict_app):
    client = strict_app.test_client()
    token = _token(client, "/masuk")
    # successes cost nothing: six in a row leave the account's allowance (5 failures) untouched
    for n in range(6):
        assert _attempt(client, token, "kasi", DEMO_PASSWORD, f"10.2.0.{n}").status_code == 302
        client.post("/keluar", data={"csrf_token": token})
        token = _token(client, "/masuk")
    # a guesser spreading over addresses: five failures for kasi, then the account is held
    statuses = [
        _attempt(client, token, "kasi", "salah", f"10.3.0.{n}").status_code for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    held = _attempt(client, token, " KASI ", DEMO_PASSWORD, "10.3.1.1")
    assert held.status_code == 429  # the same account however it is typed, even with the password
    assert "Terlalu banyak percobaan masuk yang gagal untuk akun ini." in held.get_data(
        as_text=True
    )
    # other accounts from those same addresses are not held
    assert _attempt(client, token, "sekretariat", DEMO_PASSWORD, "10.3.0.1").status_code == 302


def _token(client, path: str) -> str:
    return re.search(
        r'<meta name="csrf-token" content="([^"]+)"', client.get(path).get_data(as_text=True)
    ).group(1)


def test_every_post_needs_the_csrf_token(strict_app):
    client = strict_app.test_client()
    response = client.post("/masuk", data={"username": "kasi", "password": DEMO_PASSWORD})
    assert response.status_code == 400 and "Formulir kedaluwarsa" in response.get_data(as_text=True)
    token = _token(client, "/masuk")
    assert (
        client.post(
            "/masuk", data={"username": "kasi", "password": DEMO_PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    assert client.post("/keluar").status_code == 400  # even signing out
    api = client.post("/api/v1/tasks/x/claim")
    assert api.status_code == 400 and api.is_json  # a session POST to the API needs X-CSRFToken


def test_session_cookie_flags(settings, engine, monkeypatch):
    monkeypatch.delenv("LAKSANA_SECURE_COOKIES", raising=False)
    production = create_app({"LAKSANA_SETTINGS": _https(settings)}, engine=engine)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True
    assert production.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert (
        create_app({"TESTING": True, "LAKSANA_SETTINGS": _https(settings)}, engine=engine).config[
            "SESSION_COOKIE_SECURE"
        ]
        is False
    )
    monkeypatch.setenv("LAKSANA_SECURE_COOKIES", "1")
    assert create_app({"TESTING": True, "LAKSANA_SETTINGS": settings}, engine=engine).config[
        "SESSION_COOKIE_SECURE"
    ]
    client = production.test_client()
    response = client.get("/masuk")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def _https(settings):
    settings.base_url = "https://laksana.banjarnegarakab.go.id"
    return settings


def test_changing_the_password(as_user, client):
    as_user("kasi")
    response = client.post(
        "/akun/kata-sandi",
        data={"current": "salah", "new": "kata-sandi-baru-1", "confirm": "kata-sandi-baru-1"},
    )
    assert re.search(
        r'id="current-error">Kata sandi sekarang salah', response.get_data(as_text=True)
    )
    response = client.post(
        "/akun/kata-sandi",
        data={"current": DEMO_PASSWORD, "new": "kata-sandi-baru-1", "confirm": "kata-sandi-baru-1"},
        follow_redirects=True,
    )
    assert "Kata sandi sudah diganti" in response.get_data(as_text=True)
    assert client.get("/kotak-masuk").status_code == 200  # this session stays signed in
    client.post("/keluar")
    assert _login(client, password="kata-sandi-baru-1").status_code == 302


def test_error_pages_are_in_bahasa_indonesia_without_traceback(as_user, client):
    missing = client.get("/tidak-ada")
    assert missing.status_code == 404 and "Halaman tidak ditemukan" in missing.get_data(
        as_text=True
    )
    forbidden = as_user("operator").get("/admin/pengguna")
    assert forbidden.status_code == 403 and "Akses ditolak" in forbidden.get_data(as_text=True)
    assert "Traceback" not in forbidden.get_data(as_text=True)
    wrong_method = client.get("/keluar")
    assert wrong_method.status_code == 405 and "tidak dapat dibuka" in wrong_method.get_data(
        as_text=True
    )


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
