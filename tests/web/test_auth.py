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


def test_sign_in_attempts_are_rate_limited(strict_app):
    client = strict_app.test_client()
    token = _token(client, "/masuk")
    statuses = [
        client.post(
            "/masuk",
            data={"username": "kasi", "password": "salah", "csrf_token": token},
            environ_base={"REMOTE_ADDR": "10.1.2.3"},
        ).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429
    page = client.post(
        "/masuk",
        data={"username": "kasi", "password": DEMO_PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert page.status_code == 429 and "Terlalu banyak percobaan" in page.get_data(as_text=True)


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
