"""People and their roles (the engine checks roles itself, not only the UI)."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .errors import NotFound
from .models import User

#: LAKSANA_PASSWORD_HASH=fast (the test suite sets it) uses argon2's cheapest parameters, made for
#: tests; anything else keeps argon2-cffi's default (RFC 9106 low-memory). Hashes record their own
#: parameters, so either setting verifies both kinds.
_hasher = (
    PasswordHasher.from_parameters(profiles.CHEAPEST)
    if os.environ.get("LAKSANA_PASSWORD_HASH") == "fast"
    else PasswordHasher()
)

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
DEMO_USERS = {  # name, position, pangkat/golongan, NIP (all fictional: 18 digits, not real officials)
    "sekretariat": (
        "Sri Wahyuni",
        "Pengadministrasi Umum",
        "Pengatur (II/c)",
        "198703122010012001",
    ),
    "kepala_dinas": (
        "Drs. Bambang Setiawan, M.Si.",
        "Kepala Dinas",
        "Pembina Utama Muda (IV/c)",
        "197005141995031002",
    ),
    "kabid_piak": (
        "Rina Kusumawati, S.Kom.",
        "Kepala Bidang PIAK",
        "Pembina (IV/a)",
        "197811202003122003",
    ),
    "kasi": (
        "Agus Prasetyo, S.T.",
        "Kepala Seksi Pengolahan dan Penyajian Data",
        "Penata Tingkat I (III/d)",
        "198206152008011004",
    ),
    "operator": (
        "Dewi Lestari, A.Md.",
        "Operator Pengelola Data",
        "Pengatur Tingkat I (II/d)",
        "199001252015032005",
    ),
    "jfu": ("Joko Santoso", "Pengadministrasi Umum", "Pengatur Muda (II/a)", "199109082019021006"),
    "petugas_pengaduan": (
        "Nur Hidayah",
        "Petugas Pengaduan",
        "Penata Muda (III/a)",
        "199304172020122007",
    ),
    "unit_layanan": (
        "Hendra Wijaya",
        "Kepala Seksi Pelayanan",
        "Penata (III/c)",
        "198510302009031008",
    ),
    "analis": (
        "Fajar Nugroho, S.Kom.",
        "Analis Proses Bisnis",
        "Penata Muda Tingkat I (III/b)",
        "199206112018011009",
    ),
    "manajer": (
        "Yuliana Putri, S.E.",
        "Sekretaris Dinas",
        "Pembina Tingkat I (IV/b)",
        "197402281998032010",
    ),
    "admin": ("Administrator Sistem", "Administrator", "", ""),
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


def create_user(
    session: Session,
    username: str,
    password: str,
    roles: list[str],
    full_name: str = "",
    position: str = "",
    email: str = "",
) -> User:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(unknown)}")
    user = User(
        username=username,
        password_hash=hash_password(password),
        roles=list(roles),
        full_name=full_name or username,
        position=position,
        email=email,
    )
    session.add(user)
    session.flush()
    return user


def seed_demo_users(session: Session, password: str) -> list[str]:
    """One demo user per role (username = role code); existing users are left alone."""
    created = []
    for role, (name, position, rank, nip) in DEMO_USERS.items():
        if find_user(session, role) is None:
            roles = [role] if role != "admin" else ["admin", "analis", "manajer"]
            user = create_user(
                session, role, password, roles, name, position, f"{role}@example.invalid"
            )
            user.rank, user.nip = rank, nip
            created.append(role)
    return created
