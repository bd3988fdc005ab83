"""Resource inventory (资源管理): the port, equipment and VLANs allocated to an address.

Style: `{"success": true, "data": {...}}`; errors `{"success": false, "errorCode", "errorMsg"}`.
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.network import parse_ne
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.systems.common import System, by_param


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"success": False, "errorCode": code, "errorMsg": message})


def _name(ne_id: str) -> str:
    ne = parse_ne(ne_id)
    return ne.name if ne else ne_id


def _resource(sb: Sandbox, call: Call) -> Reply:
    c = sb.locate(call.params["account"], (KeyKind.BROADBAND,))
    p = sb.platforms(c) if c else None
    if c is None or p is None or p.res is None:
        return fail(404, "NOT_FOUND", "no resource allocated to this account")
    r, refs = p.res, p.refs
    ne = parse_ne(r.ne_id)
    return Reply(
        200,
        {
            "success": True,
            "data": {
                "account": call.params["account"],
                "installAddress": r.address,
                "accessType": r.access,
                "accessDevice": {
                    "neId": r.ne_id,
                    "neName": _name(r.ne_id),
                    "neType": ne.kind.ne_type if ne else None,
                    "port": r.port,
                    "onuId": r.onu_id or None,
                },
                "splitter": r.splitter or None,
                "crossBox": r.cross_box,
                "pair": f"{r.cross_box}/线对{r.cvlan % 100 + 1}" if r.access == "ADSL" else None,
                "vlan": {"svlan": r.svlan, "cvlan": r.cvlan},
                "bras": {"neId": refs.bras, "neName": _name(refs.bras)},
                "dnsNode": {"neId": refs.dns, "neName": _name(refs.dns)},
                "iptvNode": {"neId": refs.iptv_node, "neName": _name(refs.iptv_node)}
                if refs.iptv_node
                else None,
            },
        },
    )


SYSTEM = System("res", "Resources", fail)
SYSTEM.get(
    "/v1/accounts/{account}",
    "Resource chain of a broadband account: address, access "
    "device and port, splitter, cross box, VLANs, BRAS, DNS",
    _resource,
    by_param("account", KeyKind.BROADBAND),
)
ENDPOINTS = SYSTEM.endpoints
