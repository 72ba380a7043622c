"""complaints: the complaint register (buku log pengaduan)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

import engine.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tahun", sa.Integer(), nullable=False),
        sa.Column("nomor_urut", sa.Integer(), nullable=False),
        sa.Column("nomor_register", sa.String(length=32), nullable=False),
        sa.Column("kode_pelacakan", sa.String(length=16), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("waktu", engine.models.TZDateTime(), nullable=False),
        sa.Column("saluran", sa.String(length=16), nullable=False),
        sa.Column("nomor_lapor", sa.String(length=64), nullable=True),
        sa.Column("dicatat_oleh", sa.String(length=64), nullable=True),
        sa.Column("pelapor_nama", sa.String(length=200), nullable=True),
        sa.Column("pelapor_telepon", sa.String(length=40), nullable=True),
        sa.Column("pelapor_email", sa.String(length=200), nullable=True),
        sa.Column("pelapor_nik", sa.String(length=16), nullable=True),
        sa.Column("rahasia", sa.Boolean(), nullable=False),
        sa.Column("judul", sa.String(length=200), nullable=False),
        sa.Column("isi", sa.Text(), nullable=False),
        sa.Column("ringkasan", sa.String(length=500), nullable=False),
        sa.Column("unit_diadukan", sa.String(length=32), nullable=True),
        sa.Column("kategori", sa.String(length=32), nullable=True),
        sa.Column("hasil_verifikasi", sa.String(length=32), nullable=True),
        sa.Column("diverifikasi_pada", engine.models.TZDateTime(), nullable=True),
        sa.Column("petugas", sa.String(length=200), nullable=True),
        sa.Column("bobot", sa.String(length=16), nullable=True),
        sa.Column("alasan_bobot", sa.Text(), nullable=True),
        sa.Column("pemberitahuan_unit", engine.models.TZDateTime(), nullable=True),
        sa.Column("tindak_lanjut_pertama", engine.models.TZDateTime(), nullable=True),
        sa.Column("tindakan", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("tanggapan", sa.Text(), nullable=True),
        sa.Column("ditanggapi_pada", engine.models.TZDateTime(), nullable=True),
        sa.Column("tanggal_selesai", engine.models.TZDateTime(), nullable=True),
        sa.Column("ditutup_otomatis", sa.Boolean(), nullable=False),
        sa.Column("kepuasan", sa.String(length=16), nullable=True),
        sa.Column("balasan_pengadu", sa.Text(), nullable=True),
        sa.Column("dibalas_pada", engine.models.TZDateTime(), nullable=True),
        sa.Column("batas_verifikasi", engine.models.TZDateTime(), nullable=False),
        sa.Column("batas_tindak_lanjut", engine.models.TZDateTime(), nullable=True),
        sa.Column("batas_penyelesaian", engine.models.TZDateTime(), nullable=False),
        sa.Column("created_at", engine.models.TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instances.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kode_pelacakan"),
        sa.UniqueConstraint("nomor_register"),
        sa.UniqueConstraint("tahun", "nomor_urut"),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaints_bobot"), ["bobot"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_instance_id"), ["instance_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_kategori"), ["kategori"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_saluran"), ["saluran"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_unit_diadukan"), ["unit_diadukan"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_waktu"), ["waktu"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_waktu"))
        batch_op.drop_index(batch_op.f("ix_complaints_unit_diadukan"))
        batch_op.drop_index(batch_op.f("ix_complaints_status"))
        batch_op.drop_index(batch_op.f("ix_complaints_saluran"))
        batch_op.drop_index(batch_op.f("ix_complaints_kategori"))
        batch_op.drop_index(batch_op.f("ix_complaints_instance_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_bobot"))

    op.drop_table("complaints")
