"""People and their roles (the engine checks roles itself, not only the UI)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .errors import NotFound
from .models import User

_hasher = PasswordHasher()

#: role code -> label (Bahasa Indonesia)
ROLES = {
    "sekretariat": "Sekretariat (agenda surat)",
    "kepala_dinas": "Kepala Dinas",
    "kabid_piak": "Kepala Bidang PIAK",
    "kasi": "Kepala Seksi",
    "operator": "Operator gudang data",
    "jfu": "JFU (umum)",
    "petugas_pengaduan": "Petugas pengaduan",
    "unit_layanan": "Unit layanan (yang diadukan)",
    "analis": "Analis proses",
    "manajer": "Manajer / pimpinan",
    "admin": "Administrator",
}

#: Fictional demo officials: username = role code.
DEMO_USERS = {
    "sekretariat": ("Sri Wahyuni", "Pengadministrasi Umum"),
    "kepala_dinas": ("Drs. Bambang Setiawan, M.Si.", "Kepala Dinas"),
    "kabid_piak": ("Rina Kusumawati, S.Kom.", "Kepala Bidang PIAK"),
    "kasi": ("Agus Prasetyo, S.T.", "Kepala Seksi Pengolahan dan Penyajian Data"),
    "operator": ("Dewi Lestari, A.Md.", "Operator Pengelola Data"),
    "jfu": ("Joko Santoso", "Pengadministrasi Umum"),
    "petugas_pengaduan": ("Nur Hidayah", "Petugas Pengaduan"),
    "unit_layanan": ("Hendra Wijaya", "Kepala Seksi Pelayanan"),
    "analis": ("Fajar Nugroho, S.Kom.", "Analis Proses Bisnis"),
    "manajer": ("Yuliana Putri, S.E.", "Sekretaris Dinas"),
    "admin": ("Administrator Sistem", "Administrator"),
}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user(session: Session, username: str | None) -> User | None:
    if not username:
        return None
    return session.scalars(select(User).where(User.username == username)).first()


_SELECT_ROLES = select(User.roles, User.active).where(User.username == bindparam("username"))


def active_roles(session: Session, username: str | None) -> list[str] | None:
    """The roles of an active user, or None for an unknown or inactive one (one light query)."""
    if not username:
        return None
    found = session.connection().execute(_SELECT_ROLES, {"username": username}).first()
    if found is None or not found.active:
        return None
    return list(found.roles or [])


def require_user(session: Session, username: str | None) -> User:
    user = find_user(session, username)
    if user is None or not user.active:
        raise NotFound(f"unknown user '{username}'")
    return user


def create_user(session: Session, username: str, password: str, roles: list[str], full_name: str = "",
                position: str = "", email: str = "") -> User:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(unknown)}")
    user = User(username=username, password_hash=hash_password(password), roles=list(roles),
                full_name=full_name or username, position=position, email=email)
    session.add(user)
    session.flush()
    return user


def seed_demo_users(session: Session, password: str) -> list[str]:
    """One demo user per role (username = role code); existing users are left alone."""
    created = []
    for role, (name, position) in DEMO_USERS.items():
        if find_user(session, role) is None:
            roles = [role] if role != "admin" else ["admin", "analis", "manajer"]
            create_user(session, role, password, roles, name, position, f"{role}@example.invalid")
            created.append(role)
    return created
