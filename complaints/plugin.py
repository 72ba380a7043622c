"""The complaint procedure as a plug-in: ``complaints.log``, the register's table, its pages
(public form and status, desk, log book, recap), ``laksana report log-pengaduan`` and the job
that sends its e-mail in the background (``complaints.email``), and the complainant's notice
when an operator terminates a complaint (``complaints.termination``)."""

from __future__ import annotations

from engine.plugins import Registration

from . import email, models, outbox, panel, termination, topics, views
from .cli import log_pengaduan


def register(registration: Registration) -> None:
    registration.topic(topics.TOPIC, topics.log_step)
    registration.job(email.EMAIL_JOB, outbox.send_queued)
    registration.tables(models.Complaint)
    registration.blueprint(views.bp)
    registration.instance_panel(panel.complaint_panel)
    registration.termination_notice(termination.tell_complainant)
    registration.command(log_pengaduan, group="report")
