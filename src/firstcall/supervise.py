"""Running the demo's processes together: the server, the worker and the sandbox, stopped together.

Each child runs in its own session (its own process group), so a Ctrl-C at the terminal reaches
only the supervisor, which stops every child's whole group with SIGTERM (SIGKILL after a grace
period) and waits for it. A child that stops by itself stops the others. A child started by the
supervisor also watches it (`watch_parent`): if the supervisor is killed outright (SIGKILL, no
chance to forward anything), the child notices that its parent changed and stops itself. This
works on any POSIX system (no `prctl`).
"""

import contextlib
import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

PARENT_ENV = "FIRSTCALL_SUPERVISOR_PID"
GRACE_SECONDS = 15.0


def port_in_use(host: str, port: int) -> bool:
    """Whether something listens on (or holds) the port: a test bind, as the server will do."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def accepts(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        return probe.connect_ex((host, port)) == 0


def watch_parent() -> None:
    """In a child of the supervisor: stop (SIGTERM to itself) when the supervisor is gone."""
    expected = os.environ.pop(PARENT_ENV, "")
    if not expected.isdigit() or int(expected) != os.getppid():
        return

    def watch() -> None:
        while os.getppid() == int(expected):
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


@dataclass
class Child:
    name: str
    argv: list[str]
    ready: Callable[[], bool] = lambda: True
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)


class Supervisor:
    def __init__(self, children: list[Child], *, start_timeout: float = 60.0) -> None:
        self.children = children
        self.start_timeout = start_timeout
        self.stopping = threading.Event()

    def _signal(self, signum: int, frame: object) -> None:
        self.stopping.set()

    def run(self, on_ready: Callable[[], None] = lambda: None) -> int:
        """Start every child, wait until each is ready, then until a signal or a child stops;
        stop them all. 0 when stopped by a signal, 1 when a child failed."""
        previous = {
            sig: signal.signal(sig, self._signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        env = {**os.environ, PARENT_ENV: str(os.getpid())}
        try:
            for child in self.children:
                child.process = subprocess.Popen(  # noqa: S603 — our own command, fixed arguments
                    child.argv, env=env, start_new_session=True
                )
            if not self._wait_ready():
                return 0 if self._stopped_by_signal() else 1
            on_ready()
            while not self.stopping.is_set():
                failed = self._failed()
                if failed is not None:
                    print(f"{failed}; stopping the others.", file=sys.stderr, flush=True)
                    return 1
                self.stopping.wait(0.5)
            return 0
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stopped_by_signal(self) -> bool:
        return self.stopping.is_set()

    def _failed(self) -> str | None:
        for child in self.children:
            if child.process is not None and child.process.poll() is not None:
                return f"The {child.name} stopped (exit {child.process.returncode})"
        return None

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.start_timeout
        waiting = list(self.children)
        while waiting and not self.stopping.is_set():
            failed = self._failed()
            if failed is not None:
                print(f"{failed} at start-up.", file=sys.stderr, flush=True)
                return False
            waiting = [child for child in waiting if not child.ready()]
            if time.monotonic() > deadline:
                names = ", ".join(child.name for child in waiting)
                print(f"Not ready within {self.start_timeout:.0f} s: {names}.", file=sys.stderr)
                return False
            if waiting:
                self.stopping.wait(0.2)
        return not waiting

    def stop_all(self) -> None:
        """SIGTERM to every child's process group, SIGKILL to what is left after the grace."""
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            _kill_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(process.pid, signal.SIGKILL)
                process.wait()


def _kill_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)  # the child leads its own group (start_new_session)
