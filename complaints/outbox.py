"""The job ``complaints.email``: send the messages a step recorded, in the background.

The step (``complaints.email._deliver``) recorded the messages as ``Notification`` rows of kind
``surel_antre`` and deferred this job in its own transaction. The worker sends them through SMTP
outside any database transaction, then marks them sent. A failure raises, so procrastinate
retries the job with exponential back-off (``Settings.job_retries``, ``job_backoff_seconds``);
the last try that fails marks the messages ``surel_gagal`` and tells the administrators (the
failure, without addresses) and the complaint desk (the message, to pass on by hand).
Sending is at least once: a crash between sending and marking sends again on the retry.
"""

from __future__ import annotations

from engine.models import Notification
from jobs.call import JobCall
from jobs.mail import send_pending

from .email import DESK_ROLE, FAILED_KIND

ADMIN_ROLE = "admin"


def send_queued(call: JobCall, notifications: list[int]) -> None:
    """Handler of the job: send what is still unsent among ``notifications`` (``jobs.mail``),
    telling the desk and the administrators after the last failed try."""
    send_pending(call, notifications, record_failure)


def record_failure(call: JobCall, notes: list[Notification], error: str) -> None:
    """After the last try: mark the messages failed and leave notices in the app."""
    tries = call.attempt + 1
    with call.database.transaction() as session:
        for note in notes:
            row = session.get(Notification, note.id)
            if row is None or row.sent_at is not None:
                continue
            row.kind = FAILED_KIND
            session.add(
                Notification(
                    instance_id=row.instance_id,
                    recipient_role=DESK_ROLE,
                    subject=f"Gagal terkirim, sampaikan secara manual: {row.subject}"[:255],
                    body=f"Kepada: {row.recipient_email}\n\n{row.body}",
                    kind="surel",
                    created_at=call.now,
                )
            )
        session.add(
            Notification(
                instance_id=notes[0].instance_id,
                recipient_role=ADMIN_ROLE,
                subject=f"Surel pengaduan gagal terkirim setelah {tries} percobaan"[:255],
                body=(
                    f"{len(notes)} surel (pemberitahuan nomor {', '.join(str(n.id) for n in notes)}, "
                    f"pekerjaan latar {call.job_id}) tidak terkirim: {error}\n"
                    "Periksa pengaturan SMTP (LAKSANA_SMTP_*); petugas pengaduan sudah diberi "
                    "salinan pesan untuk disampaikan secara manual."
                ),
                kind="surel_gagal",
                created_at=call.now,
            )
        )
