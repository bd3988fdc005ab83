"""Stage two for the access line: NMS view and resource inventory."""

import random

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import (
    Nms,
    Res,
)


def derive_nms(c: Customer, rng: random.Random) -> Nms:
    b = c.broadband
    assert b is not None
    if b.access == "FTTH":
        return Nms(
            access="FTTH",
            onu_state="在线",
            rx_dbm=b.rx_dbm,
            tx_dbm=b.tx_dbm,
            registration="LOID认证成功",
            seen_sn=b.cpe_sn,
            stb_port="LAN2" if c.iptv else "",
        )
    if b.access == "ADSL":
        return Nms(
            access="ADSL",
            port_state="激活",
            sync_down_kbps=b.sync_down_kbps,
            sync_up_kbps=b.plan.up_mbps * 1000,
            attenuation_db=b.attenuation_db,
            snr_margin_db=b.snr_margin_db,
            retrains_24h=rng.randint(0, 2),
            line_test="合格",
        )
    return Nms(
        access="LAN",
        switch_port="up",
        port_speed="1000M 全双工" if b.plan.down_mbps > 100 else "100M 全双工",
        crc_errors=rng.randint(0, 3),
        stb_port="LAN2" if c.iptv else "",
    )


def derive_res(c: Customer) -> Res:
    b = c.broadband
    assert b is not None
    line = b.line
    return Res(
        address=b.address,
        access=b.access,
        ne_id=line.ne_id,
        port=line.port,
        onu_id=line.onu_id,
        splitter=line.splitter,
        cross_box=line.cross_box,
        svlan=line.svlan,
        cvlan=line.cvlan,
    )
