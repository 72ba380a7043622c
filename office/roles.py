"""The office's own people data: the roles of its staff and the fictional demo officials.

These are words of Dukcapil Banjarnegara, not of the engine: the engine checks a task's role
against a user's role codes and keeps roles as data (the ``roles`` table, ``engine.roles``).
``ROLES`` is the seed that writes the office's roles there (``laksana roles seed``,
``laksana seed-demo``); pages read names from the table (``engine.accounts.role_labels()``), so a
role an administrator adds appears everywhere with its name. ``register`` adds the commands.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Role
from engine.roles import ensure_roles
from engine.users import create_user, find_user

#: the seed of the roles table: role code -> name (Bahasa Indonesia)
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

#: the bidang of the seeded roles (the others belong to no bidang)
BIDANG = {
    "kabid_piak": "Bidang Pemanfaatan Data dan Inovasi Pelayanan",
    "kasi": "Bidang Pemanfaatan Data dan Inovasi Pelayanan",
    "operator": "Bidang Pemanfaatan Data dan Inovasi Pelayanan",
    "sekretariat": "Sekretariat",
    "jfu": "Sekretariat",
}
#: the seeded roles that head their bidang (may reassign its open tasks: ``engine.reassign``)
HEADS_OF_BIDANG = ("kabid_piak",)

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


def seed_roles(session: Session) -> list[str]:
    """Write the office's roles into the roles table (those missing); the codes added."""
    added = ensure_roles(
        session, [(code, name, BIDANG.get(code, "")) for code, name in ROLES.items()]
    )
    for role in session.scalars(select(Role).where(Role.code.in_(HEADS_OF_BIDANG))):
        if role.code in added:
            role.heads_bidang = True
    return added


def seed_demo_users(session: Session, password: str) -> list[str]:
    """The office's roles, then one demo user per role (username = role code); existing users
    are left alone."""
    seed_roles(session)
    created = []
    for role, (name, position, rank, nip) in DEMO_USERS.items():
        if find_user(session, role) is None:
            roles = [role] if role != "admin" else ["admin", "analis", "manajer"]
            user = create_user(
                session, role, password, roles, name, position, f"{role}@example.invalid"
            )
            user.rank, user.nip = rank, nip
            created.append(role)
    return created + _demo_users_for_data_roles(session, password)


def _demo_users_for_data_roles(session: Session, password: str) -> list[str]:
    """A demo user for each active role added as data (a deployed SOP's ``peran.csv``, an
    administrator's new role): username = role code, named as the role. Fictional, like the rest."""
    created = []
    for role in session.scalars(select(Role).where(Role.active.is_(True)).order_by(Role.code)):
        if role.code in DEMO_USERS or find_user(session, role.code) is not None:
            continue
        create_user(
            session,
            role.code,
            password,
            [role.code],
            f"Demo {role.name}",
            role.name,
            f"{role.code}@example.invalid",
        )
        created.append(role.code)
    return created
