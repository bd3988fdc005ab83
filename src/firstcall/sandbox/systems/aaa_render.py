"""How AAA renders accounts and sessions with RADIUS attribute names."""

from datetime import datetime

from firstcall.sandbox.model import Customer
from firstcall.sandbox.network import parse_ne
from firstcall.sandbox.platforms.state import Aaa, Session

INTERIM = 900


def user_json(c: Customer, a: Aaa) -> dict:
    assert c.broadband is not None
    return {
        "User-Name": c.broadband.account,
        "Realm": c.profile.city.code.lower().replace("-", "") + ".bb",
        "Account-Status": a.status,
        "Account-Locked": a.locked,
        "Product": a.product,
        "Access-Type-Limit": a.access_limit,
        "Rate-Profile": {"down-mbps": a.down_mbps, "up-mbps": a.up_mbps},
        "Simultaneous-Use": a.max_sessions,
        "Binding": {
            "Bound": a.binding_port is not None,
            "NAS-IP-Address": a.binding_nas_ip,
            "NAS-Port-Id": a.binding_port,
            "Calling-Station-Id": a.binding_mac or "不绑定",
        },
        "Prepaid": a.prepaid,
        "Password-Changed": a.password_changed,
    }


def last_update(s: Session, now: datetime) -> datetime:
    if s.stale_since is not None:
        return s.stale_since
    elapsed = (now - s.started).total_seconds()
    if elapsed < 0:
        return s.started
    return datetime.fromtimestamp(s.started.timestamp() + elapsed // INTERIM * INTERIM, now.tzinfo)


def session_json(s: Session, now: datetime) -> dict:
    updated = last_update(s, now)
    seconds = int((updated - s.started).total_seconds())
    bras = parse_ne(s.bras_id)
    return {
        "Acct-Session-Id": s.session_id,
        "Acct-Start-Time": s.started,
        "Acct-Last-Update": updated,
        "Acct-Session-Time": seconds,
        "Acct-Interim-Interval": INTERIM,
        "Framed-IP-Address": s.framed_ip,
        "NAS-IP-Address": s.nas_ip,
        "NAS-Identifier": bras.name if bras else s.bras_id,
        "NAS-Id": s.bras_id,
        "NAS-Port-Id": s.nas_port_id,
        "Calling-Station-Id": s.mac,
        "Rate-Down-Mbps": s.down_mbps,
        "Rate-Up-Mbps": s.up_mbps,
        "Acct-Input-Octets": seconds * 41_000,
        "Acct-Output-Octets": seconds * 520_000,
        "DNS-Server-Id": s.dns_id,
    }
