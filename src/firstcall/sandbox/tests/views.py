"""What the systems say about one customer, fetched over HTTP and cached for one check."""

from typing import Any

from aiohttp.test_utils import TestClient

from firstcall.sandbox.model import Customer


class Views:
    def __init__(self, client: TestClient, c: Customer) -> None:
        self.client, self.c = client, c
        self.cache: dict[str, tuple[int, Any]] = {}

    def paths(self) -> dict[str, str]:
        c = self.c
        bb = c.broadband.account if c.broadband else "none"
        msisdn = c.mobile.msisdn if c.mobile else "none"
        return {
            "crm_customer": f"/crm/api/v1/customers/{c.cust_id}",
            "crm_products": f"/crm/api/v1/customers/{c.cust_id}/products",
            "crm_orders": f"/crm/api/v1/customers/{c.cust_id}/orders",
            "billing": f"/billing/v2/accounts/{c.acct_id}",
            "bills": f"/billing/v2/accounts/{c.acct_id}/bills",
            "credits": f"/billing/v2/accounts/{c.acct_id}/credits",
            "ocs": f"/ocs/v1/subscribers/{msisdn}",
            "ocs_bb": f"/ocs/v1/subscribers/{bb}",
            "hlr": f"/hlr/v1/subscribers/{msisdn}",
            "pcrf": f"/pcrf/v1/subscribers/{msisdn}/policy",
            "smsc": f"/smsc/v1/messages?msisdn={msisdn}",
            "blocking": f"/smsc/v1/subscribers/{msisdn}/blocking",
            "vas": f"/vas/v1/subscriptions?msisdn={msisdn}",
            "aaa": f"/aaa/v1/users/{bb}",
            "sessions": f"/aaa/v1/users/{bb}/sessions",
            "history": f"/aaa/v1/users/{bb}/session-history",
            "auth": f"/aaa/v1/auth-log?userName={bb}",
            "nms": f"/nms/v1/lines/{bb}",
            "res": f"/res/v1/accounts/{bb}",
            "iptv": f"/iptv/v1/accounts/{c.iptv.account if c.iptv else 'none'}",
            "sps": f"/sps/v1/work-orders?serviceNo={c.service_number}",
            "points": f"/points/api/members/{c.service_number}",
            "redemptions": f"/points/api/members/{c.service_number}/redemptions",
        }

    async def fetch(self, name: str) -> tuple[int, Any]:
        if name not in self.cache:
            if name == "alarms":
                self.cache[name] = await self._alarms()
            elif name == "gis":
                cell = (await self.get("hlr"))["subscriber"]["Dynamic"]["ServingCell"]
                self.cache[name] = await self._get(f"/gis/v1/coverage?cellId={cell}")
            elif name == "line_test":
                bb = self.c.broadband.account if self.c.broadband else "none"
                response = await self.client.post(f"/nms/v1/lines/{bb}/line-test")
                self.cache[name] = (response.status, await response.json())
            else:
                self.cache[name] = await self._get(self.paths()[name])
        return self.cache[name]

    async def get(self, name: str) -> Any:
        return (await self.fetch(name))[1]

    async def status(self, name: str) -> int:
        return (await self.fetch(name))[0]

    async def _get(self, path: str) -> tuple[int, Any]:
        response = await self.client.get(path)
        return response.status, await response.json()

    async def _alarms(self) -> tuple[int, Any]:
        """Alarms on every NE the systems name for this customer (as a connector would ask)."""
        ne: list[str] = []
        if self.c.broadband:
            res = (await self.get("res"))["data"]
            ne += [res["accessDevice"]["neId"], res["bras"]["neId"], res["dnsNode"]["neId"]]
            if res["iptvNode"]:
                ne.append(res["iptvNode"]["neId"])
        if self.c.mobile:
            dynamic = (await self.get("hlr"))["subscriber"]["Dynamic"]
            ne += [dynamic["ServingCell"], dynamic["MSCNumber"]]
            ne.append((await self.get("blocking"))["smscId"])
        return await self._get("/alarm/api/alarms?ne=" + ",".join(dict.fromkeys(ne)))

    async def alarm_types(self) -> set[str]:
        return {a["neType"] for a in (await self.get("alarms"))["alarms"]}

    async def product(self, kind: str) -> dict:
        products = (await self.get("crm_products"))["data"]["products"]
        return next(p for p in products if p["prodType"] == kind)
