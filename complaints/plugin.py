"""The complaint procedure as a plug-in: ``complaints.log``, the register's table, its pages
(public form and status, desk, log book, recap) and ``laksana report log-pengaduan``."""

from __future__ import annotations

from engine.plugins import Registration

from . import models, topics, views
from .cli import log_pengaduan


def register(registration: Registration) -> None:
    registration.topic(topics.TOPIC, topics.log_step)
    registration.tables(models.Complaint)
    registration.blueprint(views.bp)
    registration.command(log_pengaduan, group="report")
