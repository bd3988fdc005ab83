"""Normalised per-platform state. Mutable on purpose: conditions and commands edit a fresh copy
built for one request; nothing here outlives the request except through the mutation store."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from firstcall.sandbox.catalog import ServiceProvider
from firstcall.sandbox.model import CrmOrder
from firstcall.sandbox.platforms.state_broadband import (
    Aaa,
    AuthRecord,
    ClosedSession,
    IptvState,
    Nms,
    Res,
    Session,
)
from firstcall.sandbox.platforms.state_mobile import Hlr, Ocs, Pcrf, Smsc, SmsRecord, VasSub

# The per-platform states live in two sibling modules; importers get them all from here.
__all__ = [
    "Aaa",
    "AuthRecord",
    "Bill",
    "BillItem",
    "Billing",
    "ClosedSession",
    "Crm",
    "CrmProduct",
    "Hlr",
    "IptvState",
    "Nms",
    "Ocs",
    "Pcrf",
    "Platforms",
    "Points",
    "Refs",
    "Res",
    "Session",
    "SmsRecord",
    "Smsc",
    "VasSub",
    "WorkOrder",
]


@dataclass
class CrmProduct:
    kind: str  # mobile / broadband / fixed / iptv
    number: str
    prod_inst_id: str
    offer_id: str
    offer_name: str
    status: str
    features: dict[str, bool] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Crm:
    real_name_status: str
    products: dict[str, CrmProduct]
    orders: list[CrmOrder]


@dataclass
class BillItem:
    item_id: str
    name: str
    amount: float
    agency: bool = False  # 代收费 (collected on behalf of an SP)
    sp: ServiceProvider | None = None


@dataclass
class Bill:
    cycle: str  # 202406
    items: list[BillItem]


@dataclass
class Billing:
    balance: float
    credit_limit: float
    arrears: float
    acct_status: str
    reminder: str
    bills: list[Bill]
    payments: list[dict[str, Any]]
    credits: list[dict[str, Any]]
    adjustments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Points:
    available: int
    frozen: int
    expiring: int
    accrual_paused: bool
    redemptions: list[dict[str, Any]]


@dataclass
class WorkOrder:
    wo_id: str
    crm_order_id: str
    action: str
    title: str
    created: datetime
    promised: str
    status: str
    retries: int
    commands: list[dict[str, str]]


@dataclass
class Refs:
    """The network elements serving this customer (alarm and coverage lookups go by these)."""

    access_ne: str = ""
    bras: str = ""
    dns: str = ""
    cell: str = ""
    msc: str = ""
    smsc: str = ""
    iptv_node: str = ""


@dataclass
class Platforms:
    crm: Crm
    billing: Billing
    points: Points
    sps: list[WorkOrder]
    refs: Refs
    ocs: Ocs | None = None
    hlr: Hlr | None = None
    pcrf: Pcrf | None = None
    smsc: Smsc | None = None
    vas: list[VasSub] | None = None
    aaa: Aaa | None = None
    nms: Nms | None = None
    res: Res | None = None
    iptv: IptvState | None = None
