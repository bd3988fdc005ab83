"""Forty agents sign in at the same moment against a real `firstcall serve` (uvicorn) on a SQLite
file: every one gets in, none gets a 5xx. Before the sign-in view checked the password outside its
transaction, 19 of 40 failed with "database is locked" (each request held SQLite's write lock
through its Argon2 check). The same server then shows that failed attempts are committed and that
a spoofed X-Forwarded-For from an untrusted client does not escape the address lock.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest src/firstcall/web/tests/test_signin_load.py -q
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

AGENTS = 40
PASSWORD = "Load-Test@2026"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CREATE_USERS = f"""
from django.contrib.auth.hashers import make_password
from firstcall.accounts.models import User
password = make_password({PASSWORD!r})
users = [User(username=f"load-{{i:02d}}", password=password) for i in range({AGENTS})]
User.objects.bulk_create(users)
"""

pytestmark = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="the SQLite write lock is what this exercises; the run on SQLite covers it",
)


@dataclass
class Server:
    port: int
    log: Path

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _firstcall(env: dict[str, str], *args: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "firstcall.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`firstcall serve` on a fresh SQLite file with 40 users whose passwords are Argon2 hashes
    (the production hasher: no FIRSTCALL_TESTING in the server's environment)."""
    dropped = ("FIRSTCALL_", "DATABASE_URL", "DEBUG", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'firstcall.sqlite3'}",
        FIRSTCALL_VAR_DIR=str(tmp_path),
        FIRSTCALL_SECURE_COOKIES="false",
        FIRSTCALL_LOG_LEVEL="WARNING",
    )
    _firstcall(env, "migrate", "--verbosity", "0")
    _firstcall(env, "shell", "--command", CREATE_USERS)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "firstcall.cli", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, port, log)
        yield Server(port, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_serving(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped: {log.read_text()[-3000:]}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the server did not answer within 60 s: {log.read_text()[-3000:]}")


def sign_in_form(server: Server) -> tuple[http.client.HTTPConnection, str, str]:
    """A connection that has loaded the sign-in page: its CSRF cookie and the form's token."""
    connection = server.connect()
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    body = response.read().decode()
    assert response.status == 200
    cookie = next(
        value.split(";", 1)[0]
        for name, value in response.getheaders()
        if name.lower() == "set-cookie" and value.startswith("firstcall_csrftoken=")
    )
    token = CSRF_FIELD.search(body)
    assert token, "no CSRF token in the sign-in form"
    return connection, cookie, token.group(1)


def post_sign_in(
    connection: http.client.HTTPConnection,
    cookie: str,
    token: str,
    username: str,
    password: str,
    forwarded: str | None = None,
) -> http.client.HTTPResponse:
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    connection.request("POST", "/accounts/login/", urllib.parse.urlencode(form), headers)
    response = connection.getresponse()
    response.read()
    return response


def test_forty_concurrent_sign_ins_all_succeed(server: Server) -> None:
    statuses: list[int] = []
    signed_in: list[str] = []
    problems: list[str] = []
    ready = threading.Barrier(AGENTS, timeout=120)

    def agent(i: int) -> None:
        try:
            connection, cookie, token = sign_in_form(server)
            ready.wait()  # every form is loaded: the 40 posts leave together
            response = post_sign_in(connection, cookie, token, f"load-{i:02d}", PASSWORD)
            statuses.append(response.status)
            if response.status == 302 and "firstcall_session=" in str(response.headers):
                signed_in.append(response.getheader("Location", ""))
        except Exception as exc:  # reported below with the rest
            problems.append(repr(exc))

    threads = [threading.Thread(target=agent, args=(i,)) for i in range(AGENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    log = server.log.read_text()
    assert problems == []
    assert sorted(statuses) == [302] * AGENTS, f"{statuses}\n{log[-3000:]}"
    assert signed_in == ["/"] * AGENTS
    assert "database is locked" not in log and "Traceback" not in log, log[-3000:]

    # Failed attempts are committed (they answer 200 with the form, then 429): five from one
    # address lock it, whatever X-Forwarded-For the client makes up (no proxy is trusted here).
    answers = []
    for i in range(5):
        connection, cookie, token = sign_in_form(server)
        response = post_sign_in(connection, cookie, token, f"nobody-{i}", "wrong", f"10.1.1.{i}")
        answers.append(response.status)
    assert answers == [200, 200, 200, 200, 429]
    connection, cookie, token = sign_in_form(server)
    locked = post_sign_in(connection, cookie, token, "load-00", PASSWORD, "198.51.100.77")
    assert locked.status == 429
    assert "Traceback" not in server.log.read_text()
