"""Run-time configuration of the sandbox and the default latency of each system."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from firstcall.sandbox.conditions import DEFAULT_REPAIR_REJECT_SHARE

CST = timezone(timedelta(hours=8), "CST")  # the operators' clock; fixed offset, no tzdata needed


def china_now() -> datetime:
    return datetime.now(CST)


def start_of_today() -> datetime:
    return china_now().replace(hour=0, minute=0, second=0, microsecond=0)


# (p50 ms, p99 ms) of reads and of commands. Network management and points are slow, real-time
# systems (HLR, AAA, OCS, PCRF) are fast; commands go through the platform's own workflow.
DEFAULT_LATENCY: dict[str, tuple[float, float, float, float]] = {
    "crm": (60, 250, 300, 1200),
    "billing": (80, 400, 300, 1500),
    "ocs": (25, 120, 200, 800),
    "hlr": (30, 150, 250, 1000),
    "aaa": (20, 90, 150, 700),
    "nms": (150, 900, 800, 3000),
    "res": (70, 300, 300, 1200),
    "alarm": (50, 200, 200, 800),
    "sps": (90, 450, 600, 2500),
    "smsc": (60, 300, 250, 1000),
    "vas": (70, 350, 300, 1200),
    "iptv": (40, 200, 300, 1200),
    "pcrf": (20, 100, 200, 800),
    "points": (100, 600, 400, 1800),
    "gis": (120, 500, 300, 1000),
}
SYSTEMS = tuple(DEFAULT_LATENCY)


@dataclass
class SandboxConfig:
    seed: int = 20240612
    customers: int = 100_000
    latency: bool = True
    epoch: datetime = field(default_factory=start_of_today)
    clock: Callable[[], datetime] = china_now
    rates: dict[str, float] = field(default_factory=dict)
    repair_reject_share: float = DEFAULT_REPAIR_REJECT_SHARE
