"""The complainant's identity never enters what the engine shows the unit complained about."""

from __future__ import annotations

import json

from sqlalchemy import select

from engine.models import AuditEntry, Notification

IDENTITY = ("Siti Rahayu", "0812-2710-5566", "siti.rahayu@example.org", "3304014107850002")


def leaks(value) -> list[str]:
    text = json.dumps(value, default=str)
    return [part for part in IDENTITY if part in text]


def test_identity_is_in_the_register_only(desk):
    complaint = desk.receive()
    unit_views = []
    for step in ("verifikasi_pengaduan", "klasifikasi_pengaduan"):
        desk.do(complaint, step)
    task = desk.task(complaint, "penyelesaian_unit")
    unit_views.append(desk.engine.task(task.id, user="unit_layanan"))
    desk.do(complaint, "penyelesaian_unit")
    desk.do(complaint, "tanggapan_pengadu")
    engine = desk.engine
    assert leaks([v.data for v in unit_views]) == []
    assert leaks(engine.instance_data(complaint.instance_id)) == []
    assert leaks(engine.instance(complaint.instance_id).to_dict()) == []
    assert leaks([h.to_dict() for h in engine.history(complaint.instance_id)]) == []
    assert leaks([t.to_dict() for t in engine.tasks(user="unit_layanan")]) == []
    with engine.db.transaction() as session:
        audit = [row.data for row in session.scalars(select(AuditEntry))]
        unit_notes = [
            (n.subject, n.body)
            for n in session.scalars(
                select(Notification).where(Notification.recipient_role == "unit_layanan")
            )
        ]
    assert leaks(audit) == [] and unit_notes and leaks(unit_notes) == []
    assert desk.row(complaint).pelapor_nama == "Siti Rahayu"  # kept where the desk can answer
