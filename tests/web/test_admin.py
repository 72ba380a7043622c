"""User administration by the administrator."""

from __future__ import annotations

from engine.models import User
from engine.users import find_user, verify_password


def _user(engine, username: str) -> User:
    with engine.db.transaction() as session:
        return find_user(session, username)


def test_admin_creates_a_user_with_several_roles_who_can_then_sign_in(as_user, engine, client):
    response = as_user("admin").post(
        "/admin/pengguna/baru",
        data={
            "username": "rahmat",
            "full_name": "Rahmat Hidayat",
            "position": "Kepala Seksi",
            "nip": "198001012005011001",
            "email": "rahmat@example.invalid",
            "roles": ["kasi", "operator"],
            "active": "y",
            "password": "kata-sandi-awal-123",
        },
        follow_redirects=True,
    )
    assert "Pengguna rahmat dibuat" in response.get_data(as_text=True)
    user = _user(engine, "rahmat")
    assert user.roles == ["kasi", "operator"] and verify_password(user, "kata-sandi-awal-123")
    client.post("/keluar")
    signed_in = client.post(
        "/masuk", data={"username": "rahmat", "password": "kata-sandi-awal-123"}
    )
    assert signed_in.headers["Location"].endswith("/kotak-masuk")


def test_admin_form_errors_are_shown_next_to_the_fields(as_user, engine):
    response = as_user("admin").post(
        "/admin/pengguna/baru",
        data={"username": "Bad Name!", "full_name": "", "password": "pendek"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        'id="username-error"' in page
        and 'id="roles-error"' in page
        and 'id="password-error"' in page
    )
    duplicate = as_user("admin").post(
        "/admin/pengguna/baru",
        data={
            "username": "kasi",
            "full_name": "Kasi Lagi",
            "roles": ["kasi"],
            "password": "kata-sandi-awal-123",
        },
    )
    assert "sudah dipakai" in duplicate.get_data(as_text=True)


def test_admin_changes_roles_and_deactivates_a_user(as_user, engine):
    jfu = _user(engine, "jfu")
    as_user("admin").post(
        f"/admin/pengguna/{jfu.id}",
        data={"username": "jfu", "full_name": jfu.full_name, "roles": ["jfu", "sekretariat"]},
    )
    updated = _user(engine, "jfu")
    assert updated.roles == ["jfu", "sekretariat"] and updated.active is False
    assert as_user("jfu").get("/kotak-masuk").status_code == 302  # an inactive user is signed out


def test_admin_cannot_lock_themselves_out(as_user, engine):
    admin = _user(engine, "admin")
    response = as_user("admin").post(
        f"/admin/pengguna/{admin.id}",
        data={
            "username": "admin",
            "full_name": "Administrator Sistem",
            "roles": ["analis"],
            "active": "y",
        },
    )
    assert response.status_code == 422 and "tidak dapat mencabut" in response.get_data(as_text=True)
    assert "admin" in _user(engine, "admin").roles


def test_a_password_reset_signs_the_user_out_everywhere(as_user, engine):
    kasi = _user(engine, "kasi")
    client = as_user("kasi")
    assert client.get("/kotak-masuk").status_code == 200
    with engine.db.transaction() as session:
        session.get(User, kasi.id).password_hash = "$argon2id$v=19$m=65536,t=3,p=4$changed$changed"
    assert client.get("/kotak-masuk").status_code == 302
