"""Warehouse tables (SQLAlchemy Core), the same on DuckDB, PostgreSQL and SQLite.

Person-level data as SIAK keeps it, one snapshot per DKB period. Tables are
prefixed ``wh_`` so the warehouse can share a PostgreSQL database with the
engine store. ``umur`` is the completed age at the period's cut-off and
``kelompok_umur`` its standard five-year group, stored so that age queries are
portable and fast (a CASE over every row costs more than the scan).
``kunci_sel`` is the person's record key for the cell key method
(:mod:`warehouse.cellkey`); ``wh_secret`` holds the warehouse's secret for
deriving it from the NIK, so a person keeps their key when a period is loaded again.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

region = Table(
    "wh_region",
    metadata,
    Column("kode", String(16), primary_key=True),
    Column("tingkat", String(16), nullable=False),  # kabupaten | kecamatan | desa
    Column("nama", String(100), nullable=False),
    Column("kode_induk", String(16)),
    Column("jenis", String(16)),  # desa | kelurahan for villages
)

period = Table(
    "wh_period",
    metadata,
    Column("kode", String(8), primary_key=True),  # e.g. 2026-1
    Column("label", String(40), nullable=False),
    Column("keadaan", Date, nullable=False),  # the cut-off date
    Column("sumber", String(16), nullable=False),  # synthetic | import
    Column("seed", Integer),
    Column("skala", Float),
    Column("penduduk", Integer, nullable=False),
    Column("keluarga", Integer, nullable=False),
    Column("dibuat", DateTime(timezone=False), nullable=False),
)

family = Table(
    "wh_family",
    metadata,
    Column("periode", String(8), nullable=False),
    Column("no_kk", String(16), nullable=False),
    Column("kode_desa", String(16), nullable=False),
    Column("kode_kecamatan", String(8), nullable=False),
    Column("nik_kepala", String(16), nullable=False),
    Column("jumlah_anggota", SmallInteger, nullable=False),
    Index("ix_wh_family_periode_desa", "periode", "kode_desa"),
)

#: person columns holding SIAK codes (small integers), in table order after the identifiers
CODE_COLUMNS = (
    "jenis_kelamin",
    "agama",
    "pendidikan",
    "pekerjaan",
    "status_perkawinan",
    "golongan_darah",
    "shdk",
    "kewarganegaraan",
    "disabilitas",
    "akta_lahir",
    "ktp_el",
)

person = Table(
    "wh_person",
    metadata,
    Column("periode", String(8), nullable=False),
    Column("nik", String(16), nullable=False),
    Column("no_kk", String(16), nullable=False),
    Column("kode_desa", String(16), nullable=False),
    Column("kode_kecamatan", String(8), nullable=False),
    Column("tanggal_lahir", Date, nullable=False),
    Column("umur", SmallInteger, nullable=False),
    Column(
        "kelompok_umur", SmallInteger, nullable=False
    ),  # five-year group index: 0 = 0-4 ... 15 = 75+
    *(Column(name, SmallInteger, nullable=False) for name in CODE_COLUMNS),
    Column("kunci_sel", Integer, nullable=False),
    Index("ix_wh_person_periode_kecamatan", "periode", "kode_kecamatan"),
    Index("ix_wh_person_periode_desa", "periode", "kode_desa"),
)

secret = Table(
    "wh_secret",
    metadata,
    Column("nama", String(32), primary_key=True),
    Column("nilai", String(128), nullable=False),
)

PERSON_COLUMNS = tuple(c.name for c in person.columns)
FAMILY_COLUMNS = tuple(c.name for c in family.columns)


def create_schema(engine: Engine) -> None:
    metadata.create_all(engine)


def drop_schema(engine: Engine) -> None:
    metadata.drop_all(engine)
