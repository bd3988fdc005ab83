"""The HTTP workbench bench's processes and databases: the sandbox, the server, a fresh database
per configuration (copied from a migrated template), the prepare child, sample numbers per city
and the call log read back."""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import http_json

HERE = Path(__file__).resolve().parent
PG_URL = "postgres://postgres@127.0.0.1:5432/h4"
PG_TEMPLATE = "h4b"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(src: Path, db_url: str, sandbox: str, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FIRSTCALL_TESTING"}
    env.update(
        PYTHONPATH=str(src),
        DATABASE_URL=db_url,
        SECRET_KEY=secret,
        FIRSTCALL_SANDBOX_URL=sandbox,
        FIRSTCALL_SECURE_COOKIES="false",
        FIRSTCALL_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="firstcall.settings",
    )
    return env


def prepare(env: dict[str, str], *args: str, testing: bool = False) -> dict[str, Any]:
    if testing:  # fast password hashes for the throwaway users; the server runs without it
        env = {**env, "FIRSTCALL_TESTING": "1"}
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(HERE / "workbench_http_prepare.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"prepare {args} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def start(argv: list[str], env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own command
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"{url} exited:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(tuple(url.rsplit("//", 1)[1].split(":")), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} does not answer") from None
            time.sleep(0.2)


def tree_pids(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return pids


def sample_numbers(url: str, wanted: int) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Mobile numbers of sample customers per city: healthy, and every injected condition by
    its rate. A customer's city is read once per region prefix of its customer id."""
    conditions = http_json(f"{url}/_admin/conditions")["conditions"]
    picked: dict[str, str] = {}  # number -> cust_id
    mix = {"healthy": 0, "with_condition": 0}
    for item in conditions:
        rate = float(item.get("rate") or 0)
        if rate > 0:
            limit = min(200, max(1, round(wanted * rate)))
            page = http_json(f"{url}/_admin/samples?condition={item['name']}&limit={limit}")
            for c in page["customers"]:
                if c["keys"].get("mobile") and c["keys"]["mobile"] not in picked:
                    picked[c["keys"]["mobile"]] = c["keys"]["cust_id"]
                    mix["with_condition"] += 1
    begin = 0
    while len(picked) < wanted:
        page = http_json(f"{url}/_admin/samples?condition=healthy&limit=200&start={begin}")
        if not page["customers"]:
            break
        for c in page["customers"]:
            if c["keys"].get("mobile") and len(picked) < wanted:
                picked.setdefault(c["keys"]["mobile"], c["keys"]["cust_id"])
                mix["healthy"] += 1
        begin = page["customers"][-1]["index"] + 1
    cities: dict[str, str] = {}
    by_city: dict[str, list[str]] = defaultdict(list)
    for number, cust_id in picked.items():
        prefix = cust_id[:4]
        if prefix not in cities:
            cities[prefix] = http_json(f"{url}/_admin/customers/{number}")["city"]
        by_city[cities[prefix]].append(number)
    for numbers in by_city.values():  # conditions spread through each city's list
        numbers.sort(key=lambda n: secrets.SystemRandom().random())
    return dict(by_city), mix


def call_log(db: str, where: str, tag: str) -> list[tuple[Any, ...]]:
    sql = (
        "SELECT request_id, system, operation, latency_ms, outcome, time "
        "FROM integrations_calllog WHERE request_id LIKE {}"
    )
    if db == "sqlite":
        with sqlite3.connect(where) as conn:
            return list(conn.execute(sql.format("?"), (tag + "%",)))
    import psycopg

    with psycopg.connect(where) as conn:
        return list(conn.execute(sql.format("%s"), (tag + "%",)))


def fresh_database(db: str, workdir: Path, template: Path) -> tuple[str, str]:
    """(DATABASE_URL, where the bench reads the call log) of a copy of the migrated template."""
    if db == "sqlite":
        path = workdir / f"bench-{time.monotonic_ns()}.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}", str(path)
    import psycopg

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{PG_TEMPLATE}"')
    return PG_URL, PG_URL


def build_template(db: str, src: Path, workdir: Path, sandbox: str, secret: str) -> Path:
    if db == "sqlite":
        path = workdir / "template.sqlite3"
        prepare(child_env(src, f"sqlite:///{path}", sandbox, secret), "template", testing=True)
        with sqlite3.connect(path) as conn:  # everything in the main file before copying it
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        return path
    import psycopg

    base = PG_URL.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_TEMPLATE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{PG_TEMPLATE}"')
    url = f"{base}/{PG_TEMPLATE}"
    prepare(child_env(src, url, sandbox, secret), "template", testing=True)
    return Path(PG_TEMPLATE)
