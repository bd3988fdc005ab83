"""Network elements (NEs), which of them are in alarm, and radio coverage.

NE ids are `<city>-<kind>-<nnn>` (e.g. `JS-NJ-OLT-007`). Numbers 1..healthy of each kind and city
are healthy; the numbers above that form pools, each with a standing alarm (or, for cells, weak
coverage). Customers are homed on healthy NEs unless they carry a condition that puts them on a
pool (see `Condition.pool`), so an NE in alarm only ever serves customers whose ground truth says
so, and the alarm system needs no per-customer state at all.
"""

import random
from dataclasses import dataclass

from firstcall.sandbox.geography import CITY_BY_CODE, City


@dataclass(frozen=True, slots=True)
class Pool:
    name: str
    first: int
    size: int
    alarm: str  # alarm name; "" for a pool without alarm (weak cells)
    severity: str
    ne_type: str


@dataclass(frozen=True, slots=True)
class NeKind:
    code: str
    ne_type: str
    model: str
    healthy: int
    pools: tuple[Pool, ...]


def _kind(code: str, ne_type: str, model: str, healthy: int, *pools: tuple) -> NeKind:
    built, first = [], healthy + 1
    for name, size, alarm, severity in pools:
        built.append(Pool(name, first, size, alarm, severity, ne_type))
        first += size
    return NeKind(code, ne_type, model, healthy, tuple(built))


URGENT, MAJOR, MINOR = "一级（紧急）", "二级（重要）", "三级（次要）"
KINDS = {
    kind.code: kind
    for kind in (
        _kind(
            "OLT",
            "OLT",
            "HW-MA5800",
            40,
            ("los", 4, "PON口下ONU批量掉线(LOS)", URGENT),
            ("congestion", 2, "上联端口带宽利用率超阈值", MINOR),
        ),
        _kind(
            "DSLAM",
            "DSLAM",
            "ZTE-9806H",
            20,
            ("down", 2, "DSLAM上联中断", URGENT),
            ("congestion", 1, "上联端口带宽利用率超阈值", MINOR),
        ),
        _kind(
            "SW",
            "楼道交换机",
            "H3C-S1850",
            60,
            ("down", 4, "交换机掉电/上联中断", MAJOR),
            ("congestion", 2, "上联端口带宽利用率超阈值", MINOR),
        ),
        _kind("BRAS", "BRAS", "HW-ME60", 6, ("fault", 2, "地址池使用率超阈值/板卡复位", URGENT)),
        _kind("DNS", "DNS", "DNS-Cluster", 4, ("fault", 1, "DNS解析失败率超阈值", URGENT)),
        _kind(
            "CELL", "gNodeB", "HW-5900", 400, ("down", 10, "小区退服", URGENT), ("weak", 20, "", "")
        ),
        _kind("MSC", "关口局", "HW-MSOFTX3000", 4, ("route", 1, "国际方向中继电路中断", MAJOR)),
        _kind("SMSC", "短信中心", "SMSC-HW", 2, ("fault", 1, "短信中心下发队列积压", MAJOR)),
        _kind(
            "IPTV",
            "IPTV CDN/EPG节点",
            "ZTE-ZXV10",
            5,
            ("fault", 1, "CDN节点服务异常(组播源中断)", URGENT),
        ),
    )
}


def ne_id(city: City, kind: str, number: int) -> str:
    return f"{city.code}-{kind}-{number:03d}"


def healthy_ne(rng: random.Random, city: City, kind: str) -> str:
    return ne_id(city, kind, rng.randint(1, KINDS[kind].healthy))


def pool_ne(city: City, kind: str, pool: str, index: int) -> str:
    """The NE of a pool a customer with a pooled condition is homed on."""
    spec = next(p for p in KINDS[kind].pools if p.name == pool)
    return ne_id(city, kind, spec.first + index % spec.size)


@dataclass(frozen=True, slots=True)
class NeRef:
    city: City
    kind: NeKind
    number: int

    @property
    def id(self) -> str:
        return ne_id(self.city, self.kind.code, self.number)

    @property
    def name(self) -> str:
        district = self.city.districts[self.number % len(self.city.districts)]
        return f"{self.city.name}{district}-{self.kind.code}{self.number:02d}-{self.kind.model}"

    @property
    def pool(self) -> Pool | None:
        for pool in self.kind.pools:
            if pool.first <= self.number < pool.first + pool.size:
                return pool
        return None


def parse_ne(value: str) -> NeRef | None:
    parts = value.rsplit("-", 2)
    if len(parts) != 3 or parts[1] not in KINDS or not parts[2].isdigit():
        return None
    city = CITY_BY_CODE.get(parts[0])
    if city is None:
        return None
    kind = KINDS[parts[1]]
    number = int(parts[2])
    last = kind.healthy + sum(p.size for p in kind.pools)
    return NeRef(city, kind, number) if 1 <= number <= last else None
