"""Resources: the resource chain allocated to a broadband account (address, access device and
port, splitter, cross box, VLANs, BRAS, DNS, IPTV node).

Contract (`/res/v1`): `{"success": true, "data": …}`; errors `{"success": false, "errorCode",
"errorMsg"}`, HTTP 404 NOT_FOUND when nothing is allocated.
"""

from firstcall.integrations.connectors.base import Connector, MalformedResponse
from firstcall.integrations.connectors.doc import Doc, Json
from firstcall.integrations.connectors.kinds import register


def _ne(ne: Doc | None) -> Json | None:
    return None if ne is None else {"ne_id": ne.text("neId"), "ne_name": ne.text("neName")}


@register
class ResourcesConnector(Connector):
    kind = "resources"
    error_keys = ("errorCode", "errorMsg")

    async def allocation(self, account: str) -> Json:
        """The resource chain of a broadband account. GET /v1/accounts/{account}.

        Returns {account, install_address, access_type, access_device{ne_id, ne_name, ne_type,
        port, onu_id}, splitter, cross_box, pair, svlan, cvlan, bras{ne_id, ne_name},
        dns_node{ne_id, ne_name}, iptv_node{ne_id, ne_name} | None, ne_ids (every NE on the
        chain, to ask the alarm system)}. NotFoundError on 404 NOT_FOUND.
        """
        doc = Doc(await self.fetch("allocation", f"/v1/accounts/{account}"))
        if doc.flag("success") is not True:
            raise MalformedResponse(f"RES errorCode {doc.raw('errorCode')}")
        d = doc.obj("data")
        device, vlan = d.obj("accessDevice"), d.obj("vlan")
        bras, dns, iptv = _ne(d.obj("bras")), _ne(d.obj("dnsNode")), _ne(d.opt_obj("iptvNode"))
        access = {
            "ne_id": device.text("neId"),
            "ne_name": device.text("neName"),
            "ne_type": device.text("neType"),
            "port": device.text("port"),
            "onu_id": device.opt_integer("onuId"),
        }
        ne_ids = [access["ne_id"]] + [ne["ne_id"] for ne in (bras, dns, iptv) if ne is not None]
        return {
            "account": d.text("account"),
            "install_address": d.text("installAddress"),
            "access_type": d.text("accessType"),
            "access_device": access,
            "splitter": d.opt_text("splitter"),
            "cross_box": d.text("crossBox"),
            "pair": d.opt_text("pair"),
            "svlan": vlan.integer("svlan"),
            "cvlan": vlan.integer("cvlan"),
            "bras": bras,
            "dns_node": dns,
            "iptv_node": iptv,
            "ne_ids": ne_ids,
        }
