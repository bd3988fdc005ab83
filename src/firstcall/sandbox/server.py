"""Run the sandbox: `make_app(config)` for tests, `main(argv)` for `firstcall sandbox` and
`python -m firstcall.sandbox`."""

import argparse
import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from firstcall.sandbox.app import SANDBOX, make_app
from firstcall.sandbox.config import SandboxConfig
from firstcall.sandbox.numbering import MAX_CUSTOMERS

__all__ = ["SANDBOX", "main", "make_app"]
log = logging.getLogger("firstcall.sandbox")


def _rate(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    try:
        return name.strip(), float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError("use NAME=RATE, e.g. arrears_stop=0.05") from error


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="firstcall sandbox", description="The simulated operator back end (HTTP)."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=SandboxConfig.seed)
    parser.add_argument(
        "--customers",
        type=int,
        default=100_000,
        help=f"size of the customer base, 1..{MAX_CUSTOMERS}",
    )
    parser.add_argument("--latency", choices=("on", "off"), default="on")
    parser.add_argument(
        "--rate",
        type=_rate,
        action="append",
        default=[],
        metavar="NAME=RATE",
        help="override a condition's rate (repeatable)",
    )
    return parser.parse_args(argv)


async def serve(app: web.Application, host: str, port: int, banner: str) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    print(f"firstcall sandbox listening on http://{host}:{bound}/ ({banner})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        config = SandboxConfig(
            seed=args.seed,
            customers=args.customers,
            latency=args.latency == "on",
            rates=dict(args.rate),
        )
        app = make_app(config)
    except ValueError as error:
        log.error("cannot start the sandbox: %s", error)
        return 2
    banner = (
        f"{config.customers} customers, seed {config.seed}, latency {args.latency}; "
        "contract at /openapi.json"
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(app, args.host, args.port, banner))
    return 0
