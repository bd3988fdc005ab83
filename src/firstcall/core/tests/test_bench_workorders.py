"""`bench/workorders.py` at a tiny size on PostgreSQL (skipped without a reachable server), so the
benchmark keeps working: it loads its tickets, times every list and runs the operations."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
SERVER = "postgres://postgres@127.0.0.1:5432"


def _server() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    base = url.rsplit("/", 1)[0] if url.startswith("postgres") else SERVER
    try:
        import psycopg

        with psycopg.connect(f"{base}/postgres", connect_timeout=2):
            return base
    except Exception:  # no server here: the benchmark cannot run
        return None


def test_the_benchmark_runs_at_a_tiny_size():
    base = _server()
    if base is None:
        pytest.skip("no PostgreSQL server")
    name = os.environ.get("DATABASE_URL", "/bench").rsplit("/", 1)[1] or "bench"
    env = {k: v for k, v in os.environ.items() if k != "FIRSTCALL_TESTING"}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "workorders.py"),
            "--database-url",
            f"{base}/{name}_workorders",
            "--quick",
            "--tickets",
            "2000",
            "--users",
            "2",
            "--processes",
            "1",
            "--per-user",
            "1",
            "--repeat",
            "1",
            "--no-results",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["generated"]["tickets"] == 2000 and result["generated"]["work_items"] > 2000
    lists = {(r["list"], r["user"], r["filter"]): r for r in result["lists"]}
    assert lists[("todo", "city dispatcher", "")]["rows"] == 50
    assert lists[("search", "admin", "ticket number")]["rows"] == 1
    assert all(len(r["times"]) == 1 for r in result["lists"])
    # two users, one ticket each: started, then six steps to the archive
    assert result["ops"]["operations"] == 14
