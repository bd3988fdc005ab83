"""Stage two for broadband: AAA, access-network NMS and resources derived from CRM and the line."""

import random
from datetime import datetime, timedelta

from firstcall.sandbox.model import AccessLine, Customer
from firstcall.sandbox.platforms.state import (
    Aaa,
    AuthRecord,
    ClosedSession,
    CrmProduct,
    Session,
)

AAA_STATUS = {
    "在用": "正常",
    "欠费停机": "欠费",
    "到期停机": "到期",
    "用户申请停机": "停机",
    "拆机": "注销",
}
ACCEPT, REJECT = "Access-Accept", "Access-Reject"


def nas_port_id(line: AccessLine, *, svlan: int | None = None, cvlan: int | None = None) -> str:
    slot = int(line.nas_ip.rsplit(".", 1)[1]) % 8
    return (
        f"slot={slot};subslot=0;port=1;vlanid={svlan or line.svlan};vlanid2={cvlan or line.cvlan};"
    )


def derive_aaa(c: Customer, product: CrmProduct, rng: random.Random, epoch: datetime) -> Aaa:
    b = c.broadband
    assert b is not None
    status = AAA_STATUS.get(product.status, "正常")
    port = nas_port_id(b.line)
    normal = status == "正常"
    session_id = f"{c.index:08x}0001"
    # In route mode the ONT dials PPPoE itself; in bridge mode the customer's PC or router does.
    dialler = b.cpe_mac if product.details["cpe_mode"] == "路由" else b.pc_mac
    sessions = []
    if normal and b.online:
        sessions.append(
            Session(
                session_id=session_id,
                started=b.session_started,
                stale_since=None,
                nas_ip=b.line.nas_ip,
                bras_id=b.line.bras_id,
                nas_port_id=port,
                mac=dialler,
                framed_ip=f"100.64.{c.index % 250}.{c.index // 250 % 250 + 2}",
                down_mbps=product.details["down_mbps"],
                up_mbps=product.details["up_mbps"],
                dns_id=b.line.dns_id,
            )
        )
    auth_log = [
        AuthRecord(
            b.session_started - timedelta(days=n * 2, minutes=n),
            ACCEPT,
            "",
            b.line.nas_ip,
            port,
            dialler,
        )
        for n in range(3)
    ]
    if not normal:
        auth_log.insert(
            0,
            AuthRecord(
                epoch - timedelta(minutes=20), REJECT, "状态错", b.line.nas_ip, port, dialler
            ),
        )
    history = [
        ClosedSession(
            session_id=f"{c.index:08x}{n + 2:04x}",
            started=b.session_started - timedelta(days=n + 1, hours=5),
            stopped=b.session_started - timedelta(days=n, hours=1 + n),
            cause=rng.choice((1, 1, 1, 5, 2)),
            nas_port_id=port,
            mac=dialler,
        )
        for n in range(5)
    ]
    return Aaa(
        exists=product.status not in ("新装在途",),
        status=status,
        locked=False,
        product=f"{b.access}-{product.details['down_mbps']}M-{b.billing_type}",
        access_limit=b.access,
        down_mbps=product.details["down_mbps"],
        up_mbps=product.details["up_mbps"],
        max_sessions=1,
        binding_nas_ip=b.line.nas_ip,
        binding_port=port,
        binding_mac=None,
        prepaid=c.profile.bb_prepaid,
        password=b.password,
        password_changed=None,
        sessions=sessions,
        auth_log=auth_log,
        history=history,
    )
