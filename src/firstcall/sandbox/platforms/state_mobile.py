"""Mobile-side platform state: OCS, HLR, PCRF, SMSC, VAS."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from firstcall.sandbox.catalog import ServiceProvider


@dataclass
class Ocs:
    state: str
    balance: float
    credit: float
    offer_id: str
    addons: list[str]
    data_quota_mb: int
    data_used_mb: int
    cap_set: bool
    data_blocked: bool
    throttled: bool
    roaming_pack: dict[str, Any] | None
    bb_book: dict[str, Any] | None


@dataclass
class Hlr:
    gsm_ic: bool
    gsm_oc: bool
    gprslock: bool
    odboc: str
    odbic: str
    odbroam: str
    ts: list[str]
    ss_baoc_active: bool
    o_csi: bool
    gprs: bool
    apn: str
    vlr_in_hplmn: bool
    vlr_in_home_country: bool
    ms_purged: bool
    mnrf: bool
    mcef: bool
    isd_ok: bool
    cell_id: str
    msc_id: str


@dataclass
class Pcrf:
    policy: str
    qos_down_kbps: int
    throttled: bool
    reason: str
    usage_pct: int


@dataclass
class SmsRecord:
    msg_id: str
    orig: str
    submitted: datetime
    attempts: int
    status: str
    fail_cause: str
    intercept: str
    dest: str = ""  # set on messages the subscriber sent (MO); MT ones go to the subscriber


@dataclass
class Smsc:
    block_106: bool
    spam_intercept: bool
    records: list[SmsRecord]  # delivered to the subscriber (MT)
    sent: list[SmsRecord]  # sent by the subscriber (MO)


@dataclass
class VasSub:
    sub_id: str
    sp: ServiceProvider
    ordered: datetime
    channel: str
    confirm_log: str
    status: str
    unsubscribed: datetime | None
    monthly_count: int
