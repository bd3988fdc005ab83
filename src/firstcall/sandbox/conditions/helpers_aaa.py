"""AAA edits several conditions share: rejects, silence, sessions."""

from datetime import datetime, timedelta

from firstcall.sandbox.conditions.spec import Ctx
from firstcall.sandbox.platforms.broadband import REJECT, nas_port_id
from firstcall.sandbox.platforms.state import AuthRecord, Session


def dialler_mac(ctx: Ctx) -> str:
    b = ctx.c.broadband
    assert b is not None
    return b.cpe_mac if ctx.p.crm.products["broadband"].details["cpe_mode"] == "路由" else b.pc_mac


def reject(
    ctx: Ctx,
    reason: str,
    *,
    port: str | None = None,
    mac: str | None = None,
    nas_ip: str | None = None,
    count: int = 3,
) -> None:
    """The customer is dialling right now and AAA turns every attempt down."""
    aaa = ctx.p.aaa
    b = ctx.c.broadband
    assert aaa is not None and b is not None
    for n in reversed(range(count)):
        aaa.auth_log.insert(
            0,
            AuthRecord(
                ctx.ago(minutes=3 + 9 * n),
                REJECT,
                reason,
                nas_ip or b.line.nas_ip,
                port or nas_port_id(b.line),
                mac or dialler_mac(ctx),
            ),
        )


def offline(ctx: Ctx) -> None:
    """No session: the customer cannot get on line."""
    assert ctx.p.aaa is not None
    ctx.p.aaa.sessions = []


def silent(ctx: Ctx, *, days: float = 3) -> None:
    """No session and no authentication request for days (PPPoE never reaches the BRAS)."""
    aaa = ctx.p.aaa
    assert aaa is not None
    aaa.sessions = []
    cutoff = ctx.now - timedelta(days=days)
    aaa.auth_log = [r for r in aaa.auth_log if r.time < cutoff]
    if not aaa.auth_log:
        b = ctx.c.broadband
        assert b is not None
        aaa.auth_log = [
            AuthRecord(
                cutoff - timedelta(hours=5),
                "Access-Accept",
                "",
                b.line.nas_ip,
                nas_port_id(b.line),
                dialler_mac(ctx),
            )
        ]


def session(
    ctx: Ctx,
    *,
    mac: str,
    started: datetime,
    stale_since: datetime | None = None,
    down_mbps: int | None = None,
    nas_ip: str | None = None,
    port: str | None = None,
    bras: str | None = None,
    suffix: str = "0001",
) -> Session:
    b = ctx.c.broadband
    assert b is not None
    product = ctx.p.crm.products["broadband"]
    return Session(
        session_id=f"{ctx.c.index:08x}{suffix}",
        started=started,
        stale_since=stale_since,
        nas_ip=nas_ip or b.line.nas_ip,
        bras_id=bras or b.line.bras_id,
        nas_port_id=port or nas_port_id(b.line),
        mac=mac,
        framed_ip=f"100.64.{ctx.c.index % 250}.{ctx.c.index // 250 % 250 + 2}",
        down_mbps=down_mbps or product.details["down_mbps"],
        up_mbps=product.details["up_mbps"],
        dns_id=b.line.dns_id,
    )
