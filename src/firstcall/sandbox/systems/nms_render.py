"""How the NMS renders a line and the result of a line test."""

from datetime import datetime

from firstcall.sandbox.model import Customer
from firstcall.sandbox.network import parse_ne
from firstcall.sandbox.platforms.state import Nms, Res


def line_json(c: Customer, n: Nms, r: Res) -> dict:
    assert c.broadband is not None
    ne = parse_ne(r.ne_id)
    result: dict = {
        "account": c.broadband.account,
        "accessType": n.access,
        "neId": r.ne_id,
        "neName": ne.name if ne else r.ne_id,
        "port": r.port,
    }
    if n.access == "FTTH":
        result["onu"] = {
            "onuId": r.onu_id,
            "state": n.onu_state,
            "offlineReason": n.offline_reason or None,
            "rxPowerDbm": n.rx_dbm,
            "txPowerDbm": n.tx_dbm,
            "rxNormalRangeDbm": [-27.0, -8.0],
            "registration": n.registration,
            "sn": n.seen_sn,
            "loid": c.broadband.loid,
            "events": [{"time": t, "event": e} for t, e in n.onu_events],
        }
    elif n.access == "ADSL":
        result["dsl"] = {
            "portState": n.port_state,
            "profile": f"{c.broadband.plan.down_mbps}M",
            "syncRateDownKbps": n.sync_down_kbps,
            "syncRateUpKbps": n.sync_up_kbps,
            "attenuationDownDb": n.attenuation_db,
            "snrMarginDownDb": n.snr_margin_db,
            "retrains24h": n.retrains_24h,
        }
    else:
        result["switchPort"] = {
            "state": n.switch_port,
            "speedDuplex": n.port_speed,
            "crcErrors": n.crc_errors,
        }
    if n.access in ("FTTH", "LAN"):
        result["serviceConfig"] = {
            "internetVlan": {"svlan": r.svlan, "cvlan": r.cvlan, "ok": n.service_vlan_ok},
            "iptvVlan": {"vlan": 45, "ok": n.iptv_vlan_ok} if c.iptv else None,
            "stbLearnedOnPort": n.stb_port or None,
            "iptvPort": "LAN2" if c.iptv else None,
        }
    return result


def line_test(n: Nms, now: datetime) -> dict:
    if n.access == "ADSL":
        good = n.line_test == "合格"
        return {
            "testType": "外线测试",
            "result": n.line_test,
            "loopResistanceOhm": 420 if good else 2200,
            "insulationMOhm": 200.0 if good else 0.2,
            "time": now,
        }
    if n.access == "FTTH":
        good = n.rx_dbm is not None and n.rx_dbm >= -27
        return {
            "testType": "光功率测试",
            "result": "合格" if good else "不合格",
            "rxPowerDbm": n.rx_dbm,
            "txPowerDbm": n.tx_dbm,
            "time": now,
        }
    good = n.switch_port == "up" and n.crc_errors < 100
    return {
        "testType": "网线/端口测试",
        "result": "合格" if good else "不合格",
        "portState": n.switch_port,
        "crcErrors": n.crc_errors,
        "time": now,
    }
