"""`firstcall demo` runs the server, a worker and the sandbox, and stops all three on SIGTERM;
a port in use stops it at once with a message instead of borrowing another process's server."""

import os
import signal
import socket
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest

from firstcall.core.tests.processes import SRC, python, wait_for

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds children in /proc")
DEMO = [*python(), "-m", "firstcall.cli", "demo"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FIRSTCALL_TESTING")}
    env["FIRSTCALL_VAR_DIR"] = str(var_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _worker_ran(database: Path) -> bool:
    if not database.exists():
        return False
    try:
        with sqlite3.connect(database, timeout=5) as db:
            row = db.execute(
                "SELECT count(*) FROM core_timer WHERE kind = 'schedule' AND fired_at IS NOT NULL"
            ).fetchone()
    except sqlite3.OperationalError:  # not migrated yet
        return False
    return bool(row[0])


def test_demo_runs_server_worker_and_sandbox_and_sigterm_stops_all_three(tmp_path):
    port, sandbox_port = _free_port(), _free_port()
    demo = subprocess.Popen(
        [*DEMO, "--no-seed", "--port", str(port), "--sandbox-port", str(sandbox_port)],
        env=_environment(tmp_path),
    )
    try:
        wait_for(
            lambda: _answers(f"http://127.0.0.1:{sandbox_port}/openapi.json"),
            timeout=180,
            what="the sandbox",
        )
        wait_for(
            lambda: _answers(f"http://127.0.0.1:{port}/accounts/login/"),
            timeout=120,
            what="the server",
        )
        wait_for(lambda: _worker_ran(tmp_path / "firstcall.sqlite3"), what="the worker")
        children = _children(demo.pid)
        assert len(children) == 3
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=60) == 0
        wait_for(lambda: not any(_alive(pid) for pid in children), what="the children to stop")
        assert not _answers(f"http://127.0.0.1:{port}/accounts/login/")
        assert not _answers(f"http://127.0.0.1:{sandbox_port}/openapi.json")
    finally:
        demo.kill()


def test_demo_refuses_a_sandbox_port_in_use(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        busy = other.getsockname()[1]
        result = subprocess.run(
            [*DEMO, "--port", str(_free_port()), "--sandbox-port", str(busy)],
            env=_environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {busy} is already in use" in result.stderr
    assert not (tmp_path / "firstcall.sqlite3").exists()  # stopped before anything was done
