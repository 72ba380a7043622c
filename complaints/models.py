"""The complaint register (buku log pengaduan): one row per complaint.

The complainant's identity (name, telephone, e-mail, NIK) and own words live
only here, never in the process's task data, so the unit complained about,
whose task pages show that data, cannot see who complained. Column names
follow the entry keys of ``reports.log_pengaduan``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models import Base, utcnow

from .catalog import CLOSED_STATUSES


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (UniqueConstraint("tahun", "nomor_urut"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer)
    nomor_urut: Mapped[int] = mapped_column(Integer)
    nomor_register: Mapped[str] = mapped_column(String(32), unique=True)
    #: the complainant's bearer code for the public status page
    kode_pelacakan: Mapped[str] = mapped_column(String(16), unique=True)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_instances.id"), nullable=True, index=True
    )
    #: when the complaint was received
    waktu: Mapped[datetime] = mapped_column(index=True)
    saluran: Mapped[str] = mapped_column(String(16), index=True)
    nomor_lapor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    dicatat_oleh: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # -- identity: officers and leadership only
    pelapor_nama: Mapped[str | None] = mapped_column(String(200), nullable=True)
    pelapor_telepon: Mapped[str | None] = mapped_column(String(40), nullable=True)
    pelapor_email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    pelapor_nik: Mapped[str | None] = mapped_column(String(16), nullable=True)
    rahasia: Mapped[bool] = mapped_column(Boolean, default=False)
    # -- the complaint
    judul: Mapped[str] = mapped_column(String(200), default="")
    isi: Mapped[str] = mapped_column(Text, default="")
    #: the officer's summary without the complainant's identity (what the unit sees)
    ringkasan: Mapped[str] = mapped_column(String(500), default="")
    unit_diadukan: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    kategori: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    # -- handling
    hasil_verifikasi: Mapped[str | None] = mapped_column(String(32), nullable=True)
    diverifikasi_pada: Mapped[datetime | None] = mapped_column(nullable=True)
    petugas: Mapped[str | None] = mapped_column(String(200), nullable=True)
    bobot: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    alasan_bobot: Mapped[str | None] = mapped_column(Text, nullable=True)
    pemberitahuan_unit: Mapped[datetime | None] = mapped_column(nullable=True)
    tindak_lanjut_pertama: Mapped[datetime | None] = mapped_column(nullable=True)
    #: [{"tanggal": ISO date, "uraian": text}] in order
    tindakan: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(32), default="diterima", index=True)
    tanggapan: Mapped[str | None] = mapped_column(Text, nullable=True)
    ditanggapi_pada: Mapped[datetime | None] = mapped_column(nullable=True)
    tanggal_selesai: Mapped[datetime | None] = mapped_column(nullable=True)
    ditutup_otomatis: Mapped[bool] = mapped_column(Boolean, default=False)
    kepuasan: Mapped[str | None] = mapped_column(String(16), nullable=True)
    balasan_pengadu: Mapped[str | None] = mapped_column(Text, nullable=True)
    dibalas_pada: Mapped[datetime | None] = mapped_column(nullable=True)
    # -- time limits (fixed when the complaint is received or forwarded)
    batas_verifikasi: Mapped[datetime] = mapped_column()
    batas_tindak_lanjut: Mapped[datetime | None] = mapped_column(nullable=True)
    batas_penyelesaian: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def pelapor_kontak(self) -> str | None:
        return (
            ", ".join(part for part in (self.pelapor_telepon, self.pelapor_email) if part) or None
        )

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def overdue_limits(self, now: datetime) -> list[str]:
        """Which time limits this complaint has passed without the step being done."""
        if self.closed:
            return []
        late = []
        if self.diverifikasi_pada is None and now > self.batas_verifikasi:
            late.append("verifikasi")
        if (
            self.batas_tindak_lanjut
            and self.tindak_lanjut_pertama is None
            and now > self.batas_tindak_lanjut
        ):
            late.append("tindak_lanjut")
        if self.ditanggapi_pada is None and now > self.batas_penyelesaian:
            late.append("penyelesaian")
        return late

    def add_action(self, day: str, text: str) -> None:
        """Append to the actions (a new list, so the JSON column is seen as changed)."""
        self.tindakan = [*(self.tindakan or []), {"tanggal": day, "uraian": text}]
