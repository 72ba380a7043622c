"""The job engine as a plug-in: ``laksana worker``, the continuation of ``camunda:asyncBefore``
service tasks and the outbox of the engine's e-mail (``jobs.mail``). Other jobs are declared by the plug-ins that own them (``registration.job``); this
package runs them."""

from __future__ import annotations

from engine.plugins import Registration

from . import mail
from .cli import worker
from .continuation import defer_continuation


def register(registration: Registration) -> None:
    registration.command(worker)
    registration.async_continuation(defer_continuation)
    registration.outbox(mail.outbox)
    registration.job(mail.EMAIL_JOB, mail.send_queued)
