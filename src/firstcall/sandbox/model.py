"""A customer as the operator's systems know it when nothing is wrong (the healthy baseline).

Generated on demand from (seed, index, epoch); never stored. Conditions and commands act on the
platform views built from it (see `platforms`), not on these frozen records.
"""

from dataclasses import dataclass
from datetime import date, datetime

from firstcall.sandbox.catalog import Gift, ServiceProvider
from firstcall.sandbox.model_products import AccessLine, Broadband, FixedLine, Iptv, Mobile
from firstcall.sandbox.profile import Profile

__all__ = [
    "AccessLine",
    "Broadband",
    "CrmOrder",
    "Customer",
    "FixedLine",
    "Iptv",
    "Mobile",
    "Redemption",
    "VasSubscription",
]


@dataclass(frozen=True, slots=True)
class VasSubscription:
    sub_id: str
    sp: ServiceProvider
    ordered: datetime
    channel: str
    confirmed: datetime | None
    monthly_count: int


@dataclass(frozen=True, slots=True)
class Redemption:
    order_id: str
    gift: Gift
    placed: datetime
    channel: str
    status: str
    reason: str
    tracking: str


@dataclass(frozen=True, slots=True)
class CrmOrder:
    order_id: str
    wo_id: str
    product: str  # mobile / broadband / fixed / iptv
    action: str  # 新装 / 变更 / 功能开关 / 停机 / 复机 / 移机 ...
    title: str
    accepted: datetime
    channel: str
    staff: str
    promised_effect: str
    status: str  # 已竣工 / 在途 / 失败 / 作废
    fail_reason: str = ""


@dataclass(frozen=True, slots=True)
class Customer:
    index: int
    profile: Profile
    cust_id: str
    acct_id: str
    name: str
    cust_type: str
    cert_type: str
    cert_no: str
    real_name: bool
    star_level: str
    star_valid_to: date
    key_customer: bool
    age: int
    serv_age_months: int
    city_flag: str
    district: str
    branch: str
    grid: str
    contact_phone: str
    address: str
    repeat_30d: int
    cross_30d: int
    refunds_90d: int
    pay_mode: str
    pay_channel: str
    balance: float
    credit_limit: float
    mobile: Mobile | None
    broadband: Broadband | None
    fixed: FixedLine | None
    iptv: Iptv | None
    vas: tuple[VasSubscription, ...]
    points_available: int
    points_expiring: int
    redemptions: tuple[Redemption, ...]
    orders: tuple[CrmOrder, ...]

    @property
    def keys(self) -> dict[str, str]:
        """Every key this customer can be looked up by."""
        keys = {"cust_id": self.cust_id, "acct_id": self.acct_id}
        if self.mobile:
            keys["mobile"] = self.mobile.msisdn
        if self.broadband:
            keys["broadband"] = self.broadband.account
        if self.fixed:
            keys["fixed"] = self.fixed.number
        if self.iptv:
            keys["iptv"] = self.iptv.account
        return keys

    @property
    def service_number(self) -> str:
        """The number an agent would type first: the mobile, else the broadband account."""
        if self.mobile:
            return self.mobile.msisdn
        assert self.broadband is not None
        return self.broadband.account
