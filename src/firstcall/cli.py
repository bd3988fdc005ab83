"""The `firstcall` console command.

firstcall serve [--host H] [--port P] [--workers N]   run the ASGI server (uvicorn)
firstcall worker [--batch N] [--lease S] [--idle S]   run the background worker (docs/background.md)
firstcall seed [--demo]                              load reference data (and demo data)
firstcall demo [--port P] [--sandbox-port S]         migrate, seed; run server, worker and sandbox
firstcall sandbox [--port 8100] [--seed N] ...       the simulated operator back ends alone
firstcall <django command> ...                       any manage.py command, e.g. migrate
"""

import argparse
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

from firstcall.supervise import Child, Supervisor, accepts, port_in_use, watch_parent


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firstcall.settings")
    import django

    django.setup()


def _serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="firstcall serve")
    parser.add_argument("--host", default=os.environ.get("FIRSTCALL_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("FIRSTCALL_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firstcall.settings")
    watch_parent()
    import uvicorn

    uvicorn.run(
        "firstcall.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        lifespan="off",
        access_log=False,
        # REMOTE_ADDR stays the peer; FIRSTCALL_TRUSTED_PROXIES decides on X-Forwarded-For.
        proxy_headers=False,
    )
    return 0


def _seed(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="firstcall seed")
    parser.add_argument(
        "--demo", action="store_true", help="also build the demo org tree and users"
    )
    args = parser.parse_args(argv)
    _setup_django()
    from firstcall.seeding import seed

    logins = seed(demo=args.demo)
    if args.demo:
        _print_logins(logins)
    return 0


def _print_logins(logins: list[tuple[str, str, str]]) -> None:
    password = os.environ.get("FIRSTCALL_DEMO_PASSWORD", "Demo@2026")
    print(f"\nFirstCall demo logins — the password of every one is {password}")
    shown = [row for row in logins if row[0].count("-") < 2 or row[0].startswith("js-nj-")]
    for username, role, unit in shown:
        print(f"  {username:<18} {role:<10} {unit}")
    print(
        f"  … {len(logins) - len(shown)} more: every city has <province>-<city>-agent, -expert,"
        " -dispatcher, -netopt, -netmaint, -field and -supervisor (e.g. gd-sz-agent)"
    )


def _demo_environment() -> None:
    """A local trial: a generated secret key kept under var/, plain-HTTP cookies on loopback."""
    from firstcall.settings_paths import var_dir

    key_file = Path(var_dir()) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ.setdefault("SECRET_KEY", key_file.read_text().strip())
    os.environ.setdefault("FIRSTCALL_SECURE_COOKIES", "false")


def _sandbox(argv: list[str]) -> int:
    from firstcall.sandbox.server import main as sandbox_main

    watch_parent()
    return sandbox_main(argv)


def _worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="firstcall worker",
        description="Fire due timers, deliver the outbox, run queued tasks and scheduled jobs.",
    )
    parser.add_argument("--batch", type=int, default=100, help="rows claimed at a time")
    parser.add_argument("--lease", type=float, default=60.0, help="seconds a claim lasts")
    parser.add_argument("--idle", type=float, default=1.0, help="seconds between idle polls")
    parser.add_argument(
        "--until-idle", action="store_true", help="stop when a round finds nothing to do"
    )
    parser.add_argument(
        "--no-schedule", action="store_true", help="do not enqueue the scheduled jobs"
    )
    args = parser.parse_args(argv)
    if args.batch < 1 or not 0 < args.lease <= 86400 or not 0 < args.idle <= 3600:
        parser.error("--batch must be positive; --lease and --idle positive and at most a day")
    watch_parent()
    _setup_django()
    from firstcall.core.worker import Worker
    from firstcall.schedule import JOBS

    worker = Worker(
        batch=args.batch,
        lease=timedelta(seconds=args.lease),
        idle=args.idle,
        jobs=[] if args.no_schedule else JOBS,
    )
    worker.install_signals()
    worker.run(until_idle=args.until_idle)
    return 0


def _demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="firstcall demo")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--sandbox-port", type=int, default=8100)
    parser.add_argument("--no-serve", action="store_true", help="prepare only; start no process")
    parser.add_argument(
        "--no-seed", action="store_true", help="migrate only; keep the data as it is"
    )
    args = parser.parse_args(argv)
    host = "127.0.0.1"
    if not args.no_serve:
        busy = [p for p in (args.port, args.sandbox_port) if port_in_use(host, p)]
        if busy or args.port == args.sandbox_port:
            ports = ", ".join(str(p) for p in busy) or str(args.port)
            print(
                f"firstcall demo: port {ports} is already in use on {host}; stop what holds it "
                "or choose others (make demo PORT=… SANDBOX_PORT=…).",
                file=sys.stderr,
            )
            return 2
    _demo_environment()
    os.environ.setdefault("FIRSTCALL_SANDBOX_URL", f"http://{host}:{args.sandbox_port}")
    _setup_django()
    from django.core.management import call_command
    from django.db import connections

    from firstcall.seeding import seed

    call_command("migrate", interactive=False, verbosity=0)
    if not args.no_seed:
        _print_logins(seed(demo=True))
    connections.close_all()
    if args.no_serve:
        return 0
    me = [sys.executable, "-m", "firstcall.cli"]
    supervisor = Supervisor(
        [
            Child(
                "sandbox",
                [*me, "sandbox", "--port", str(args.sandbox_port)],
                lambda: accepts(host, args.sandbox_port),
            ),
            Child("worker", [*me, "worker"]),
            Child(
                "server",
                [*me, "serve", "--host", host, "--port", str(args.port)],
                lambda: accepts(host, args.port),
            ),
        ]
    )

    def banner() -> None:
        print(f"The operator sandbox is at http://{host}:{args.sandbox_port}/openapi.json")
        print("The worker runs beside the server (firstcall worker).")
        print(
            f"\nFirstCall is at http://{host}:{args.port}/  (Ctrl-C stops all three)\n", flush=True
        )

    return supervisor.run(on_ready=banner)


COMMANDS = {
    "serve": _serve,
    "worker": _worker,
    "seed": _seed,
    "demo": _demo,
    "sandbox": _sandbox,
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firstcall.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["firstcall", *argv])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
