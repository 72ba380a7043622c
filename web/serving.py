"""Serving the app: Werkzeug in one process (a laptop), or gunicorn with N worker processes.

``laksana serve`` without ``--workers`` keeps the single-process Werkzeug server ``make run``
uses. With ``--workers N`` the app runs under gunicorn's arbiter through its programmatic API
(``BaseApplication``): every worker process calls the app factory after the fork, so each has
its own engine and connection pool, and a worker that dies is replaced.
"""

from __future__ import annotations

import errno
import socket
from typing import Any

from flask import Flask

#: gunicorn's access log line, with the worker's pid (``<1234>``) at the end
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss %(p)s'


class PortInUse(Exception):
    """The address to bind is taken (or not ours to take)."""


def bind_address(host: str, port: int) -> str:
    """``host:port`` as gunicorn writes it (an IPv6 address in brackets)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def check_free(host: str, port: int) -> None:
    """Refuse early, in one line, when the address cannot be bound (gunicorn would retry noisily)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {port} di {host} sudah dipakai proses lain") from None
            raise PortInUse(f"tidak dapat memakai {host}:{port}: {exc.strerror}") from None


def gunicorn_options(host: str, port: int, workers: int, timeout: int) -> dict[str, Any]:
    return {
        "bind": [bind_address(host, port)],
        "workers": workers,
        "worker_class": "sync",
        "timeout": timeout,
        "graceful_timeout": 30,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "proc_name": "laksana",
        # X-Forwarded-* are the app's business (LAKSANA_TRUSTED_PROXIES); gunicorn trusts nobody
        "forwarded_allow_ips": "",
        "preload_app": False,
        # gunicorn >= 24 opens a control socket under ~/.gunicorn: one path for every server of
        # the user, and no home directory for a system user; laksana does not use it
        "control_socket_disable": True,
    }


def run_gunicorn(app_factory, *, host: str, port: int, workers: int, timeout: int = 120) -> None:
    """Run gunicorn's arbiter in this process until it is stopped (SIGTERM/SIGINT)."""
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(host, port, workers, timeout)

    class LaksanaApplication(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # settings newer than the installed gunicorn
                    self.cfg.set(key, value)

        def load(self) -> Flask:
            return app_factory()

    LaksanaApplication(prog="laksana serve").run()
