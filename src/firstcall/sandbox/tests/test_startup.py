"""The standalone server starts fast and stays modest in memory with 100,000 customers."""

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

STARTUP_BUDGET_S = 5.0
RSS_BUDGET_MB = 150


def rss_mb(pid: int) -> float | None:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
    return int(match.group(1)) / 1024 if match else None


@pytest.mark.asyncio
async def test_server_starts_within_budget_answers_and_stays_small():
    loop = asyncio.get_running_loop()
    started = loop.time()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "firstcall.sandbox",
        "--port",
        "0",
        "--latency",
        "off",
        "--customers",
        "100000",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), STARTUP_BUDGET_S)).decode()
        elapsed = loop.time() - started
        match = re.search(r"(http://[\d.]+:\d+)/", line)
        assert match, line
        assert elapsed < STARTUP_BUDGET_S
        base = match.group(1)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/crm/health") as response:
                assert response.status == 200
            samples = await (
                await http.get(f"{base}/_admin/samples?condition=healthy&limit=200")
            ).json()
            for found in samples["customers"]:
                async with http.get(
                    f"{base}/crm/api/v1/customers", params={"serviceNo": found["number"]}
                ) as response:
                    assert (await response.json())["resultCode"] == "0"
        rss = rss_mb(proc.pid)
        if rss is not None:
            assert rss < RSS_BUDGET_MB, f"{rss:.0f} MB resident"
    finally:
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 10)
    assert code == 0


def test_bad_arguments_are_refused():
    from firstcall.sandbox.server import main

    with pytest.raises(SystemExit):
        main(["--latency", "sometimes"])
    assert main(["--customers", "0"]) == 2
    assert main(["--rate", "no_such_condition=0.1"]) == 2
