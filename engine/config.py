"""Settings read from the environment (prefix ``LAKSANA_``), with embedded defaults.

Everything that differs between a laptop and production is here and nowhere else:
the engine store (SQLite under ``instance/`` by default, PostgreSQL in production),
the warehouse (DuckDB under ``instance/`` by default, any SQLAlchemy URL), the
signing certificate, SMTP and the public base URL used in QR codes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: when the office is open on its working days (``engine.office_hours``)
DEFAULT_OFFICE_HOURS = "mon-thu 07:30-16:00; fri 07:30-16:30"


def _env_or_none(name: str) -> str | None:
    """A ``LAKSANA_`` variable, None when unset or empty."""
    value = os.environ.get(f"LAKSANA_{name}")
    return value if value else None


def _env(name: str, default: str) -> str:
    """A ``LAKSANA_`` variable, ``default`` when unset or empty."""
    return _env_or_none(name) or default


def _whole(name: str, default: int) -> int:
    """A whole number >= 0 from ``LAKSANA_<name>``; a wrong value stops the start with its name."""
    text = _env(name, str(default)) or str(default)
    if not text.strip().isdigit():
        raise ValueError(f"LAKSANA_{name} harus bilangan bulat 0 atau lebih, bukan {text!r}")
    return int(text)


def _positive(name: str, default: str) -> float:
    """A number > 0 from ``LAKSANA_<name>`` (a limit of 0 would stop everything); a wrong value
    stops the start with its name."""
    text = _env(name, default).strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise ValueError(f"LAKSANA_{name} harus angka lebih dari 0, bukan {text!r}")
    return value


def _counting(name: str, default: int) -> int:
    """A whole number >= 1 from ``LAKSANA_<name>``."""
    value = _whole(name, default)
    if value < 1:
        text = _env(name, str(default))
        raise ValueError(f"LAKSANA_{name} harus bilangan bulat 1 atau lebih, bukan {text!r}")
    return value


@dataclass
class Settings:
    instance_dir: Path = field(
        default_factory=lambda: Path(_env("INSTANCE_DIR", str(PROJECT_ROOT / "instance")))
    )
    database_url: str | None = None
    warehouse_url: str | None = None
    processes_dir: Path = field(
        default_factory=lambda: Path(_env("PROCESSES_DIR", str(PROJECT_ROOT / "processes")))
    )
    base_url: str = field(default_factory=lambda: _env("BASE_URL", "http://127.0.0.1:5000"))
    secret_key: str | None = field(default_factory=lambda: _env_or_none("SECRET_KEY"))
    signing_key: str | None = field(default_factory=lambda: _env_or_none("SIGNING_KEY"))
    signing_cert: str | None = field(default_factory=lambda: _env_or_none("SIGNING_CERT"))
    signing_chain: str | None = field(default_factory=lambda: _env_or_none("SIGNING_CHAIN"))
    signing_passphrase: str | None = field(
        default_factory=lambda: _env_or_none("SIGNING_PASSPHRASE")
    )
    smtp_host: str | None = field(default_factory=lambda: _env_or_none("SMTP_HOST"))
    smtp_port: int = field(default_factory=lambda: int(_env("SMTP_PORT", "25")))
    smtp_user: str | None = field(default_factory=lambda: _env_or_none("SMTP_USER"))
    smtp_password: str | None = field(default_factory=lambda: _env_or_none("SMTP_PASSWORD"))
    smtp_sender: str = field(
        default_factory=lambda: _env("SMTP_SENDER", "noreply@dindukcapil.banjarnegarakab.go.id")
    )
    sdc_threshold: int = field(default_factory=lambda: int(_env("SDC_THRESHOLD", "5")))
    #: sensitive dimensions for disclosure control, e.g. "religion,marital_status:3+4" (None: the default list)
    sdc_sensitive: str | None = field(default_factory=lambda: _env_or_none("SDC_SENSITIVE"))
    cuti_bersama: str | None = field(default_factory=lambda: _env_or_none("CUTI_BERSAMA"))
    #: the office's hours on working days; standard minutes and escalations count only these
    office_hours: str = field(default_factory=lambda: _env("OFFICE_HOURS", DEFAULT_OFFICE_HOURS))
    #: CPU seconds and megabytes one diagram script, condition or expression may use
    script_timeout: float = field(default_factory=lambda: _positive("SCRIPT_TIMEOUT", "2"))
    script_memory_mb: int = field(default_factory=lambda: _counting("SCRIPT_MEMORY_MB", 256))
    #: embedded mode (SQLite): seconds between the in-process ticks of ``laksana serve`` (0: none)
    tick_seconds: float = field(default_factory=lambda: float(_env("TICK_SECONDS", "30")))
    #: background jobs (PostgreSQL): retries after the first try, and the back-off base in
    #: seconds (retry n waits base**n: 5, 25, 125, 625, 3125 s by default)
    job_retries: int = field(default_factory=lambda: int(_env("JOB_RETRIES", "5")))
    job_backoff_seconds: int = field(default_factory=lambda: int(_env("JOB_BACKOFF_SECONDS", "5")))

    #: where the web's rate-limit counters live: "memory://" (one process) or a shared store such
    #: as "redis://127.0.0.1:6379/0" (every worker and server counts together; production)
    ratelimit_storage: str = field(
        default_factory=lambda: _env("RATELIMIT_STORAGE", "memory://") or "memory://"
    )
    #: reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: none, trust no header)
    trusted_proxies: int = field(default_factory=lambda: _whole("TRUSTED_PROXIES", 0))
    #: 1: a background worker starts LibreOffice when it starts, if Word templates are deployed
    #: (``reports.plugin.warm_office_for_templates``); 0: on its first letter
    office_prewarm: int = field(default_factory=lambda: _whole("OFFICE_PREWARM", 1))
    #: JSON API requests per signed-in account (Flask-Limiter notation); a busy integration or a
    #: load test may need more than the default
    api_rate_limit: str = field(default_factory=lambda: _env("API_RATE_LIMIT", "300 per minute"))

    def __post_init__(self) -> None:
        self.instance_dir = Path(self.instance_dir)
        if self.database_url is None:
            self.database_url = _env(
                "DATABASE_URL", f"sqlite:///{self.instance_dir / 'laksana.db'}"
            )
        if self.warehouse_url is None:
            self.warehouse_url = _env(
                "WAREHOUSE_URL", f"duckdb:///{self.instance_dir / 'warehouse.duckdb'}"
            )
        from .office_hours import parse_office_hours  # it imports this module

        parse_office_hours(self.office_hours)  # a malformed value is refused here, in one line

    def ensure_instance_dir(self) -> Path:
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        return self.instance_dir
