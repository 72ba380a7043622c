"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what arrives.

The ``smtp`` fixture (made available to every test by ``tests/conftest.py``) starts one on a free
port and points the test's settings at it; it yields the :class:`Inbox`.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler that keeps the messages (recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for rcpts, m in self.messages if address in rcpts]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def subject(message) -> str:
    return str(message["Subject"]).strip()


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.smtp_host, settings.smtp_port = "127.0.0.1", controller.port
    yield inbox
    controller.stop()
