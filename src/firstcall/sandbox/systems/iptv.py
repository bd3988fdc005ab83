"""IPTV platform: account, authentication, STB binding, multicast right; rebind and resync.

Style: `{"errorCode": 0, "errorMsg": "", "account": {...}}`; errors `{"errorCode": 404001, ...}`.
"""

from firstcall.sandbox.commands import execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import STRING, Call, Reply, body_schema
from firstcall.sandbox.model import Customer
from firstcall.sandbox.network import parse_ne
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.mutations import Mutations
from firstcall.sandbox.platforms.state import IptvState, Platforms
from firstcall.sandbox.repairs import resync
from firstcall.sandbox.systems.common import System, by_param


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"errorCode": status * 1000 + 1, "errorMsg": message, "code": code})


def account_json(c: Customer, i: IptvState, p: Platforms) -> dict:
    assert c.iptv is not None and c.broadband is not None
    node = parse_ne(p.refs.iptv_node)
    return {
        "userId": c.iptv.account,
        "status": i.status,
        "package": i.package,
        "boundStb": {"mac": i.bound_mac, "sn": i.bound_sn} if i.bound_mac else None,
        "currentStb": {"mac": i.current_mac},
        "bindBroadband": c.broadband.account,
        "lastAuth": {"time": i.last_auth, "result": i.last_auth_result},
        "multicastRight": i.multicast,
        "access": {"mode": "IPoE（DHCP）", "vlan": 45, "ontPort": "LAN2"},
        "epgNode": {"neId": p.refs.iptv_node, "neName": node.name if node else None},
    }


def _find(sb: Sandbox, call: Call) -> tuple[Customer, Platforms] | Reply:
    c = sb.locate(call.params["account"], (KeyKind.IPTV,))
    p = sb.platforms(c) if c else None
    if c is None or p is None or p.iptv is None or not p.iptv.exists:
        return fail(404, "USER_NOT_FOUND", "用户不存在")
    return c, p


def _account(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    c, p = found
    assert p.iptv is not None
    return Reply(200, {"errorCode": 0, "errorMsg": "", "account": account_json(c, p.iptv, p)})


def _rebind(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    c, p = found
    assert p.iptv is not None
    mac = str((call.body or {}).get("stbMac") or p.iptv.current_mac).lower()

    def change(m: Mutations) -> None:
        m.rebound_mac = mac

    fixes = ("rebind",) if mac == p.iptv.current_mac else ()
    outcome = execute(
        sb,
        c,
        system="iptv",
        command="rebind",
        fix_keys=fixes,
        change=change,
        needed=p.iptv.bound_mac != mac,
    )
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return _account(sb, call)


def _resync(sb: Sandbox, call: Call) -> Reply:
    c = sb.locate(call.params["account"], (KeyKind.IPTV,))
    if c is None:
        return fail(404, "USER_NOT_FOUND", "用户不存在")
    outcome = resync(sb, c, "IPTV", system="iptv")
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return _account(sb, call)


SYSTEM = System("iptv", "IPTV platform", fail)
ACCOUNT = by_param("account", KeyKind.IPTV)
SYSTEM.get(
    "/v1/accounts/{account}",
    "IPTV account: status, bound and current STB, last authentication, multicast right",
    _account,
    ACCOUNT,
)
SYSTEM.post(
    "/v1/accounts/{account}/rebind",
    "Bind the STB in use (or the given MAC) to the account",
    _rebind,
    ACCOUNT,
    description="Body {stbMac} optional (default: the STB that last tried to authenticate).",
    body=body_schema(stbMac=STRING),
)
SYSTEM.post(
    "/v1/accounts/{account}/resync",
    "Rewrite the account from CRM (creates it if missing, status, multicast right)",
    _resync,
    ACCOUNT,
)
ENDPOINTS = SYSTEM.endpoints
