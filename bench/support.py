"""The benchmarks' shared parts: the sandbox in its own process, its admin endpoints, CPU
accounting and a throwaway Django database."""

import json
import math
import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# The ten systems on the view's path whose latency is spread over 20..120 ms (p50); every other
# system of the sandbox answers in a few ms.
BENCH_SYSTEMS = (
    "crm",
    "billing",
    "points",
    "provisioning",
    "hlr",
    "ocs",
    "pcrf",
    "smsc",
    "vas",
    "aaa",
)
P50_LOW, P50_HIGH, P99_FACTOR = 20.0, 120.0, 1.25
OTHER_LATENCY = {"p50_ms": 5.0, "p99_ms": 10.0}
TIMEOUT_MS = 10_000  # generous: under overload a timed-out call would cap the measured p99
BUDGET_MS = 25.0
CHECK_AGENTS = 100


# ---------------------------------------------------------------- sandbox process and admin


def http_json(url: str, method: str = "GET", body: Any = None, timeout: float = 30) -> Any:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"only the local sandbox is asked: {url}")
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - checked above
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read())


def start_sandbox(workdir: Path, cpu: int | None) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m firstcall.sandbox --port 0`; the startup line names the port it took."""
    out_path = workdir / "sandbox.log"
    out = out_path.open("wb")

    def pin() -> None:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "firstcall.sandbox", "--host", "127.0.0.1", "--port", "0"],
        stdout=out,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=env,
        preexec_fn=pin,
    )
    out.close()
    deadline = time.monotonic() + 60
    url = ""
    while not url:
        if proc.poll() is not None:
            raise SystemExit(f"the sandbox exited early:\n{out_path.read_text()}")
        if time.monotonic() > deadline:
            proc.terminate()
            raise SystemExit("the sandbox did not start within 60 s")
        found = re.search(r"listening on (http://[^/\s]+)/", out_path.read_text())
        if found:
            url = found.group(1)
        else:
            time.sleep(0.1)
    while True:  # listening line printed: wait until it really answers
        try:
            http_json(f"{url}/_admin/systems", timeout=5)
            return proc, url
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                proc.terminate()
                raise SystemExit("the sandbox does not answer") from None
            time.sleep(0.1)


def set_latencies(url: str, prefixes: dict[str, str]) -> dict[str, dict[str, float]]:
    """Spread p50 over 20..120 ms across the bench systems, keeping the sandbox's own order
    (its default p50s: real-time platforms fast, points and provisioning slow); p99 = 1.25 p50.
    Returns the latency set per registry name."""
    defaults = http_json(f"{url}/_admin/systems")["systems"]
    ranked = sorted(
        BENCH_SYSTEMS, key=lambda name: (defaults[prefixes[name]]["latency"]["p50_ms"], name)
    )
    step = (P50_HIGH - P50_LOW) / (len(ranked) - 1)
    chosen: dict[str, dict[str, float]] = {}
    for i, name in enumerate(ranked):
        p50 = round(P50_LOW + i * step, 1)
        chosen[name] = {"p50_ms": p50, "p99_ms": round(p50 * P99_FACTOR, 1)}
    for name, prefix in prefixes.items():
        latency = chosen.get(name, OTHER_LATENCY)
        http_json(
            f"{url}/_admin/systems/{prefix}/latency",
            "PUT",
            {"enabled": True, **latency},
        )
        chosen.setdefault(name, dict(OTHER_LATENCY))
    return chosen


def sample_numbers(url: str, wanted: int, seed: int) -> tuple[list[str], dict[str, int]]:
    """Distinct mobile numbers in about the base's own mix: healthy customers, and for every
    injected condition a share by its rate. Customers without a mobile line are skipped (the
    view's mobile fan-out is what is measured)."""
    conditions = http_json(f"{url}/_admin/conditions")["conditions"]
    numbers: dict[str, None] = {}
    mix = {"healthy": 0, "with_condition": 0}
    for item in conditions:
        rate = float(item.get("rate") or 0)
        if rate <= 0:
            continue
        limit = min(200, max(1, math.ceil(wanted * rate)))
        page = http_json(f"{url}/_admin/samples?condition={item['name']}&limit={limit}")
        for customer in page["customers"]:
            mobile = customer["keys"].get("mobile")
            if mobile and mobile not in numbers:
                numbers[mobile] = None
                mix["with_condition"] += 1
    start = 0
    while len(numbers) < wanted:
        page = http_json(f"{url}/_admin/samples?condition=healthy&limit=200&start={start}")
        if not page["customers"]:
            break
        for customer in page["customers"]:
            mobile = customer["keys"].get("mobile")
            if mobile and mobile not in numbers and len(numbers) < wanted:
                numbers[mobile] = None
                mix["healthy"] += 1
        start = page["customers"][-1]["index"] + 1
    found = list(numbers)
    random.Random(seed).shuffle(found)  # noqa: S311 - load generation, not security
    return found, mix


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (Linux), for the sandbox's share of a core."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU seconds all processes of the machine spent (user, nice, system; not interrupts, which
    the bench's own loopback traffic causes), to see load from other processes."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:4]]
    except OSError:
        return float("nan")
    return sum(values) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- Django


def setup_django(workdir: Path, sandbox_url: str, timeout_ms: int = TIMEOUT_MS) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "firstcall.settings"
    os.environ["FIRSTCALL_TESTING"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["FIRSTCALL_SANDBOX_URL"] = sandbox_url
    os.environ.setdefault("FIRSTCALL_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    from firstcall.core.audit import ChangeContext
    from firstcall.integrations.models import BackendSystem
    from firstcall.integrations.services import seed_sandbox_systems, update_system

    call_command("migrate", verbosity=0, interactive=False)
    ctx = ChangeContext.for_cli("bench")
    seed_sandbox_systems(ctx)
    for system in BackendSystem.objects.all():
        update_system(ctx, system, timeout_ms=timeout_ms)
