"""The `firstcall` console command.

firstcall serve [--host H] [--port P] [--workers N]   run the ASGI server (uvicorn)
firstcall seed [--demo]                              load reference data (and demo data)
firstcall demo [--port P] [--sandbox-port S]         migrate, seed, start the sandbox, serve
firstcall sandbox [--port 8100] [--seed N] ...       the simulated operator back ends alone
firstcall <django command> ...                       any manage.py command, e.g. migrate
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path


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

    return sandbox_main(argv)


def _start_sandbox(port: int) -> subprocess.Popen[bytes]:
    """Run the sandbox beside the server and wait (with a deadline) until it accepts connections."""
    process = subprocess.Popen(  # noqa: S603 — our own module, fixed arguments
        [sys.executable, "-m", "firstcall.sandbox", "--port", str(port)]
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the sandbox stopped at start-up (exit {process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.1)
    process.terminate()
    raise SystemExit("the sandbox did not start within 30 s")


def _demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="firstcall demo")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--sandbox-port", type=int, default=8100)
    parser.add_argument(
        "--no-serve", action="store_true", help="prepare only; do not start the server"
    )
    args = parser.parse_args(argv)
    _demo_environment()
    os.environ.setdefault("FIRSTCALL_SANDBOX_URL", f"http://127.0.0.1:{args.sandbox_port}")
    _setup_django()
    from django.core.management import call_command

    from firstcall.seeding import seed

    call_command("migrate", interactive=False, verbosity=0)
    logins = seed(demo=True)
    _print_logins(logins)
    if args.no_serve:
        return 0
    sandbox = _start_sandbox(args.sandbox_port)
    print(f"The operator sandbox is at http://127.0.0.1:{args.sandbox_port}/openapi.json")
    print(f"\nFirstCall is at http://127.0.0.1:{args.port}/  (Ctrl-C stops it)\n", flush=True)
    try:
        return _serve(["--port", str(args.port)])
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


COMMANDS = {"serve": _serve, "seed": _seed, "demo": _demo, "sandbox": _sandbox}


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
