"""Settings: one frozen dataclass; defaults < environment (SANCTIONWATCH_*) < command-line options.

Nothing reads the environment at import time: fronts call ``load_settings()`` once and pass
the result down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sanctionwatch.errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True, slots=True)
class Settings:
    database: str = field(
        default="sanctionwatch.db",
        metadata={"env": "SANCTIONWATCH_DB", "help": "SQLite file path or SQLAlchemy URL of the store."},
    )
    allowed_hosts: str = field(
        default="",
        metadata={
            "env": "SANCTIONWATCH_ALLOWED_HOSTS",
            "help": "More host names the server answers for, comma-separated (besides loopback and the --host address).",
        },
    )
    allow_private_networks: bool = field(
        default=False,
        metadata={
            "env": "SANCTIONWATCH_ALLOW_PRIVATE_NETWORKS",
            "help": "Lift the SSRF guard so feeds on loopback or private addresses can be fetched (local use, tests).",
        },
    )
    fetch_timeout_seconds: float = field(
        default=20.0,
        metadata={"env": "SANCTIONWATCH_FETCH_TIMEOUT_SECONDS", "help": "Wall-clock deadline for one HTTP request."},
    )
    fetch_max_body_bytes: int = field(
        default=15 * 1024 * 1024,
        metadata={"env": "SANCTIONWATCH_FETCH_MAX_BODY_BYTES", "help": "Body cap, counted after decompression."},
    )
    fetch_min_delay_per_host_seconds: float = field(
        default=1.0,
        metadata={"env": "SANCTIONWATCH_FETCH_MIN_DELAY_SECONDS", "help": "Politeness delay between requests to one host."},
    )
    feed_pause_after_failures: int = field(
        default=5,
        metadata={"env": "SANCTIONWATCH_FEED_PAUSE_AFTER_FAILURES", "help": "Pause a feed after this many failed polls in a row."},
    )
    team: bool = field(
        default=False,
        metadata={
            "env": "SANCTIONWATCH_TEAM",
            "help": "Team mode: every page and API call needs an account (sanctionwatch users add) or an API token.",
        },
    )
    secure_cookies: bool = field(
        default=True,
        metadata={
            "env": "SANCTIONWATCH_SECURE_COOKIES",
            "help": "Mark the team-mode session cookie Secure (sent over HTTPS and to localhost only); off only behind plain HTTP on a trusted network.",
        },
    )
    session_hours: int = field(
        default=12,
        metadata={"env": "SANCTIONWATCH_SESSION_HOURS", "help": "How long a team-mode sign-in lasts."},
    )
    public_url: str = field(
        default="",
        metadata={
            "env": "SANCTIONWATCH_PUBLIC_URL",
            "help": "The dashboard's address as readers reach it (https://watch.example.org/), for absolute links in Atom feeds; empty: relative links.",
        },
    )


def _cast(name: str, kind: Any, raw: str) -> Any:
    if kind in (bool, "bool"):
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{name}: expected a boolean (1/0, true/false), got {raw!r}")
    try:
        if kind in (int, "int"):
            return int(raw)
        if kind in (float, "float"):
            return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: expected a number, got {raw!r}") from exc
    return raw


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then ``SANCTIONWATCH_*`` variables, then non-None ``overrides``."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in fields(Settings):
        variable = setting.metadata.get("env")
        if variable and variable in environ:
            values[setting.name] = _cast(variable, setting.type, environ[variable])
    values.update({key: value for key, value in overrides.items() if value is not None})
    return replace(Settings(), **values)


def describe_settings() -> list[tuple[str, str, Any, str]]:
    """(name, environment variable, default, help) for docs and ``--help``."""
    defaults = Settings()
    return [
        (s.name, s.metadata.get("env", ""), getattr(defaults, s.name), s.metadata.get("help", ""))
        for s in fields(Settings)
    ]
