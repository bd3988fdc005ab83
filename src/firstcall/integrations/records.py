"""Small typed records one layer above the connectors: what checks, pages and the comparison
read out of several systems' answers, parsed once.

The connectors return plain dicts in FirstCall's vocabulary; the shapes that several readers dig
into the same way (the NAS port of an authentication request or a session, the line resources
allocated, a moment) are parsed here, so each is written once.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext

_PORT_FIELDS = re.compile(r"(slot|subslot|port|vlanid|vlanid2)=(\d+)")


def moment(value: Any) -> datetime | None:
    """An ISO 8601 moment as the systems give it ("2026-11-22T09:13:10+08:00"); None when there
    is none or it cannot be read."""
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class NasPort:
    """The NAS port a broadband customer dials from, as AAA reports it:
    "slot=0;subslot=0;port=1;vlanid=1546;vlanid2=3983;"."""

    slot: int | None
    subslot: int | None
    port: int | None
    vlan: int
    vlan2: int

    @classmethod
    def parse(cls, value: Any) -> "NasPort | None":
        """The port of an AAA `NAS-Port-Id`; None when it names no VLAN pair."""
        fields = dict(_PORT_FIELDS.findall(str(value or "")))
        if "vlanid" not in fields or "vlanid2" not in fields:
            return None

        def number(name: str) -> int | None:
            return int(fields[name]) if name in fields else None

        return cls(
            number("slot"),
            number("subslot"),
            number("port"),
            int(fields["vlanid"]),
            int(fields["vlanid2"]),
        )

    @property
    def vlans(self) -> tuple[int, int]:
        return (self.vlan, self.vlan2)

    @property
    def vlan_pair(self) -> str:
        """The VLAN pair as the screens show it: "1546/3983"."""
        return f"{self.vlan}/{self.vlan2}"

    def __str__(self) -> str:
        return gettext(
            "slot %(slot)s / subslot %(subslot)s / port %(port)s · VLAN %(vlan)s/%(vlan2)s"
        ) % {
            "slot": "" if self.slot is None else self.slot,
            "subslot": "" if self.subslot is None else self.subslot,
            "port": "" if self.port is None else self.port,
            "vlan": self.vlan,
            "vlan2": self.vlan2,
        }


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Allocation:
    """The line resources allocated a broadband account: its VLAN pair and the BRAS."""

    svlan: int | None
    cvlan: int | None
    bras_id: str
    bras_name: str

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> "Allocation | None":
        """None when resources were not read; an allocation of nothing when they hold none."""
        if record is None:
            return None
        bras = record.get("bras") or {}
        return cls(
            _int(record.get("svlan")),
            _int(record.get("cvlan")),
            str(bras.get("ne_id") or ""),
            str(bras.get("ne_name") or ""),
        )

    @property
    def vlans(self) -> tuple[int, int] | None:
        if self.svlan is None or self.cvlan is None:
            return None
        return (self.svlan, self.cvlan)

    @property
    def vlan_pair(self) -> str | None:
        """ "1546/3983", as `NasPort.vlan_pair`; None when resources name no VLAN."""
        return None if self.svlan is None else f"{self.svlan}/{self.cvlan}"

    def carries(self, port: NasPort | None) -> bool:
        """The port dials on the VLAN pair allocated."""
        return port is not None and port.vlans == self.vlans


@dataclass(frozen=True)
class AuthRequest:
    """One authentication request of AAA's log."""

    time: datetime | None
    accepted: bool
    reason: str
    port: NasPort | None

    @classmethod
    def of(cls, record: dict[str, Any]) -> "AuthRequest":
        return cls(
            moment(record.get("time")),
            bool(record.get("accepted")),
            str(record.get("reason") or ""),
            NasPort.parse(record.get("port")),
        )


def auth_requests(log: dict[str, Any] | None) -> list[AuthRequest]:
    """AAA's authentication log (newest first), parsed."""
    return [AuthRequest.of(r) for r in (log or {}).get("records") or []]


@dataclass(frozen=True)
class Session:
    """One online session AAA holds for a broadband account."""

    nas_id: str
    port: NasPort | None
    updated: datetime | None
    interim_s: int

    @classmethod
    def of(cls, record: dict[str, Any]) -> "Session":
        return cls(
            str(record.get("nas_id") or ""),
            NasPort.parse(record.get("port")),
            moment(record.get("last_update_at")),
            int(record.get("interim_interval_s") or 900),
        )

    def stale(self, now: datetime) -> bool:
        """Accounting stopped for more than three interim intervals."""
        if self.updated is None:
            return False
        return (now - self.updated).total_seconds() > 3 * self.interim_s

    def foreign(self, line: Allocation | None) -> bool:
        """The session comes through another BRAS or VLAN pair than the customer's line."""
        if line is None:
            return False
        other_bras = bool(line.bras_id and self.nas_id and self.nas_id != line.bras_id)
        other_vlans = self.port is not None and self.port.vlans != line.vlans
        return other_bras or other_vlans


def sessions(answer: dict[str, Any] | None) -> list[Session]:
    return [Session.of(s) for s in (answer or {}).get("sessions") or []]
