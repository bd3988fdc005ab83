"""What commands and admin calls changed for one customer: the only per-customer state kept.

Clearing a condition is recorded in `cleared`; everything else a command leaves behind that a
later read must show (a payment, a new password, a kicked session ...) is an explicit fact here.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import Platforms


@dataclass
class Mutations:
    forced: tuple[str, ...] | None = None
    cleared: set[str] = field(default_factory=set)
    payments: list[dict[str, Any]] = field(default_factory=list)
    settled: float = 0.0  # arrears paid off by payments (deducted from the balance)
    adjustments: dict[str, dict[str, Any]] = field(default_factory=dict)
    password: str | None = None
    password_changed: datetime | None = None
    kicked: dict[str, datetime] = field(default_factory=dict)
    binding_cleared: datetime | None = None
    unsubscribed: dict[str, datetime] = field(default_factory=dict)
    vas_blocked: bool = False
    sms_unblocked: datetime | None = None
    rebound_mac: str | None = None
    resent_orders: dict[str, datetime] = field(default_factory=dict)
    resent_redemptions: dict[str, datetime] = field(default_factory=dict)
    resumed: datetime | None = None
    resynced: dict[str, datetime] = field(default_factory=dict)

    @property
    def paid(self) -> float:
        return round(sum(p["amount"] for p in self.payments), 2)


def apply_mutations(p: Platforms, c: Customer, m: Mutations) -> None:
    billing = p.billing
    billing.payments[:0] = list(reversed(m.payments))
    if billing.arrears > 0:
        billing.arrears = round(max(0.0, billing.arrears - m.paid), 2)
        billing.balance = -billing.arrears if c.pay_mode == "预付费" else 0.0
    else:
        billing.balance = round(billing.balance + m.paid - m.settled, 2)
    billing.adjustments.extend(m.adjustments.values())
    if p.ocs:
        p.ocs.balance = billing.balance
    if aaa := p.aaa:
        if m.password:
            aaa.password, aaa.password_changed = m.password, m.password_changed
        aaa.sessions = [s for s in aaa.sessions if s.session_id not in m.kicked]
        if m.binding_cleared:
            aaa.binding_nas_ip = aaa.binding_port = aaa.binding_mac = None
    if p.vas is not None:
        for sub in p.vas:
            if sub.sub_id in m.unsubscribed and sub.status == "已订购":
                sub.status, sub.unsubscribed = "已退订", m.unsubscribed[sub.sub_id]
    if p.iptv and m.rebound_mac:
        crm_stb = p.crm.products["iptv"].details
        same = m.rebound_mac == crm_stb["stb_mac"]
        p.iptv.bound_mac, p.iptv.bound_sn = m.rebound_mac, crm_stb["stb_sn"] if same else None
    for wo in p.sps:
        if wo.wo_id in m.resent_orders:
            wo.retries += 1
