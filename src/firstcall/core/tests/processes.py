"""Running FirstCall processes from a test: the environment that points them at the test
database, and waiting for something with a deadline (never a fixed sleep)."""

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

SRC = Path(__file__).resolve().parents[3]


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{s['NAME']}"


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url(), "FIRSTCALL_TESTING": "1", **extra}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def python() -> list[str]:
    return [sys.executable]


def wait_for(check: Callable[[], Any], *, timeout: float = 60.0, what: str = "") -> Any:
    """Poll `check` until it returns something true, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or check}")
        time.sleep(0.05)  # polling interval of a deadline wait, not a wait for work
