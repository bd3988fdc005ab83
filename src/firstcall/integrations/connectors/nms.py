"""Access-network NMS: the state of a broadband line by access type (ONU and optical power for
FTTH, DSL port and line figures for ADSL, switch port for LAN) and its service VLANs; line test
and re-provisioning of the OLT/ONU configuration.

Contract (`/nms/v1`): `{"ret": 0, "msg": "ok", "result": …}`; errors `{"ret", "msg", "code"}`,
HTTP 404 LINE_NOT_FOUND, HTTP 409 for a command the line cannot take (ADSL resync).
"""

from typing import Any, ClassVar

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json
from firstcall.integrations.connectors.kinds import register


def _result(body: Any) -> Doc:
    doc = Doc(body)
    doc.require("ret", 0, "NMS", "msg")
    return doc.obj("result")


def onu_of(o: Doc) -> Json:
    rx = o.opt_number("rxPowerDbm")
    low, high = o.numbers("rxNormalRangeDbm")
    state = o.text("state")
    registration = o.text("registration")
    return {
        "onu_id": o.integer("onuId"),
        "status": state,
        "online": state == "在线",
        "offline_reason": o.opt_text("offlineReason"),
        "rx_power_dbm": rx,
        "tx_power_dbm": o.number("txPowerDbm"),
        "rx_normal_min_dbm": low,
        "rx_normal_max_dbm": high,
        "rx_power_ok": None if rx is None else low <= rx <= high,
        "registration": registration,
        "registered": "成功" in registration,
        "sn": o.text("sn"),
        "loid": o.text("loid"),
        "events": [{"time": e.text("time"), "event": e.text("event")} for e in o.items("events")],
    }


def service_config_of(c: Doc) -> Json:
    internet = c.obj("internetVlan")
    iptv = c.opt_obj("iptvVlan")
    return {
        "internet_svlan": internet.integer("svlan"),
        "internet_cvlan": internet.integer("cvlan"),
        "internet_vlan_ok": internet.flag("ok"),
        "iptv_vlan": iptv.integer("vlan") if iptv is not None else None,
        "iptv_vlan_ok": iptv.flag("ok") if iptv is not None else None,
        "stb_learned_on_port": c.opt_text("stbLearnedOnPort"),
        "iptv_port": c.opt_text("iptvPort"),
    }


def line_of(r: Doc) -> Json:
    onu, config = r.opt_obj("onu"), r.opt_obj("serviceConfig")
    switch, dsl = r.opt_obj("switchPort"), r.opt_obj("dsl")
    return {
        "account": r.text("account"),
        "access_type": r.text("accessType"),
        "ne_id": r.text("neId"),
        "ne_name": r.text("neName"),
        "port": r.text("port"),
        "onu": onu_of(onu) if onu is not None else None,
        "service_config": service_config_of(config) if config is not None else None,
        "switch_port": None
        if switch is None
        else {
            "status": switch.text("state"),
            "up": switch.text("state") == "up",
            "speed_duplex": switch.text("speedDuplex"),
            "crc_errors": switch.integer("crcErrors"),
        },
        "dsl": None
        if dsl is None
        else {
            "status": dsl.text("portState"),
            "active": dsl.text("portState") == "激活",
            "profile": dsl.text("profile"),
            "sync_down_kbps": dsl.integer("syncRateDownKbps"),
            "sync_up_kbps": dsl.integer("syncRateUpKbps"),
            "attenuation_down_db": dsl.number("attenuationDownDb"),
            "snr_margin_down_db": dsl.number("snrMarginDownDb"),
            "retrains_24h": dsl.integer("retrains24h"),
        },
    }


@register
class NmsConnector(Connector):
    kind = "nms"
    error_keys = ("code", "msg")
    # A line test measures the line for about a second (seconds at worst): it has a timeout of
    # its own, and its timeouts count on a breaker of their own, not on the one of the reads.
    operation_timeouts_ms: ClassVar[dict[str, int]] = {"line_test": 5000}

    async def line(self, account: str) -> Json:
        """The access line of a broadband account. GET /v1/lines/{account}.

        Returns {account, access_type (FTTH|ADSL|LAN), ne_id, ne_name, port,
        onu{onu_id, status, online, offline_reason, rx_power_dbm, tx_power_dbm,
        rx_normal_min_dbm, rx_normal_max_dbm, rx_power_ok, registration, registered, sn, loid,
        events[{time, event}]} | None (FTTH only),
        service_config{internet_svlan, internet_cvlan, internet_vlan_ok, iptv_vlan, iptv_vlan_ok,
        stb_learned_on_port, iptv_port} | None,
        switch_port{status, up, speed_duplex, crc_errors} | None (LAN),
        dsl{status, active, profile, sync_down_kbps, sync_up_kbps, attenuation_down_db,
        snr_margin_down_db, retrains_24h} | None (ADSL)}.
        NotFoundError on 404 LINE_NOT_FOUND.
        """
        return line_of(_result(await self.fetch("line", f"/v1/lines/{account}")))

    async def line_test(self, account: str) -> Json:
        """Run a line test (outside line, optical or port test); changes nothing.
        POST /v1/lines/{account}/line-test. Returns {test_type, result (label), passed, time,
        rx_power_dbm, tx_power_dbm, port_state, crc_errors, loop_resistance_ohm,
        insulation_mohm} (the figures the test type has, else None)."""
        r = _result(await self.query("line_test", f"/v1/lines/{account}/line-test", {}))
        return {
            "test_type": r.text("testType"),
            "result": r.text("result"),
            "passed": r.text("result") == "合格",
            "time": r.text("time"),
            "rx_power_dbm": r.opt_number("rxPowerDbm"),
            "tx_power_dbm": r.opt_number("txPowerDbm"),
            "port_state": r.opt_text("portState"),
            "crc_errors": r.opt_integer("crcErrors"),
            "loop_resistance_ohm": r.opt_integer("loopResistanceOhm"),
            "insulation_mohm": r.opt_number("insulationMOhm"),
        }

    async def resync(self, account: str, idempotency_key: str) -> Json:
        """Re-send the OLT/ONU service configuration and re-register the ONU by LOID/SN (FTTH,
        LAN). POST /v1/lines/{account}/resync. Returns the line after (as `line`).
        CommandRefused on 409 (ADSL lines, or the OLT failed the command)."""
        body = await self.command("resync", f"/v1/lines/{account}/resync", {}, idempotency_key)
        return line_of(_result(body))
