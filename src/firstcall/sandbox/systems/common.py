"""Declaring a system's endpoints with little ceremony, and lookups they all need."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Endpoint, Failure, Handler, Param, Reply, Sample
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind

KEY_ATTR = {
    KeyKind.MOBILE: lambda c: c.mobile.msisdn if c.mobile else None,
    KeyKind.BROADBAND: lambda c: c.broadband.account if c.broadband else None,
    KeyKind.FIXED: lambda c: c.fixed.number if c.fixed else None,
    KeyKind.IPTV: lambda c: c.iptv.account if c.iptv else None,
    KeyKind.CUSTOMER: lambda c: c.cust_id,
    KeyKind.ACCOUNT: lambda c: c.acct_id,
}
SERVICE_KINDS = (KeyKind.MOBILE, KeyKind.BROADBAND, KeyKind.FIXED, KeyKind.IPTV)


def key_of(c: Customer, kind: KeyKind) -> str | None:
    return KEY_ATTR[kind](c)


def by_param(name: str, *kinds: KeyKind, where: str = "params") -> Sample:
    """A sample call that passes the customer's first key of the given kinds."""

    def sample(sb: Sandbox, c: Customer) -> Call | None:
        del sb
        for kind in kinds:
            if value := key_of(c, kind):
                return (
                    Call(params={name: value}) if where == "params" else Call(query={name: value})
                )
        return None

    return sample


@dataclass
class System:
    """Collects a system's endpoints; every system gets GET /<name>/health for free."""

    name: str
    title: str
    fail: Failure
    health: Callable[[], dict] = field(default=lambda: {"status": "UP"})
    endpoints: list[Endpoint] = field(default_factory=list)

    def __post_init__(self) -> None:
        status = self.health()

        def healthy(sb: Sandbox, call: Call) -> Reply:
            del sb, call
            return Reply(200, {**status, "system": self.name})

        self.get(
            "/health",
            f"{self.title}: liveness",
            healthy,
            lambda sb, c: Call(),
            description="Answers while the system is up; subject to the system's faults.",
        )

    def get(
        self,
        path: str,
        summary: str,
        handler: Handler,
        sample: Sample,
        *,
        query: tuple[Param, ...] = (),
        description: str = "",
    ) -> None:
        self.endpoints.append(
            Endpoint(
                self.name,
                "GET",
                f"/{self.name}{path}",
                handler,
                summary,
                self.fail,
                sample,
                description,
                query,
                tag=self.name,
            )
        )

    def post(
        self,
        path: str,
        summary: str,
        handler: Handler,
        sample: Sample,
        *,
        description: str = "",
        query: tuple[Param, ...] = (),
        body: dict[str, Any] | None = None,
    ) -> None:
        self.endpoints.append(
            Endpoint(
                self.name,
                "POST",
                f"/{self.name}{path}",
                handler,
                summary,
                self.fail,
                sample,
                description,
                query,
                command=True,
                tag=self.name,
                body=body,
            )
        )


def yuan(value: float) -> str:
    """Money as operator systems print it: two decimals, as a string."""
    return f"{value:.2f}"


def fen(value: float) -> int:
    """Money in fen (1/100 yuan), as real-time charging systems keep it."""
    return round(value * 100)
