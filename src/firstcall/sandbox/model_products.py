"""Product instances and their access line, as generated for a healthy customer."""

from dataclasses import dataclass
from datetime import date, datetime

from firstcall.sandbox.catalog import BroadbandPlan, MobilePlan, Terminal


@dataclass(frozen=True, slots=True)
class Mobile:
    msisdn: str
    imsi: str
    iccid: str
    prod_inst_id: str
    plan: MobilePlan
    effective: date
    contract: str
    channel: str
    volte: bool
    intl_long_distance: bool
    roaming: bool
    data_used_mb: int
    cell_id: str
    msc_id: str
    smsc_id: str
    handset: str


@dataclass(frozen=True, slots=True)
class AccessLine:
    """Where the broadband line lands in the network (resource inventory)."""

    ne_id: str  # OLT / DSLAM / LAN switch
    port: str
    onu_id: int
    splitter: str
    cross_box: str
    svlan: int
    cvlan: int
    bras_id: str
    nas_ip: str
    dns_id: str


@dataclass(frozen=True, slots=True)
class Broadband:
    account: str
    prod_inst_id: str
    access: str
    plan: BroadbandPlan
    billing_type: str
    expires: date | None
    password: str
    cpe: Terminal
    cpe_sn: str
    loid: str
    cpe_mode: str  # 桥接 / 路由
    cpe_mac: str
    pc_mac: str
    address: str
    line: AccessLine
    rx_dbm: float
    tx_dbm: float
    sync_down_kbps: int
    attenuation_db: float
    snr_margin_db: float
    online: bool
    session_started: datetime


@dataclass(frozen=True, slots=True)
class FixedLine:
    number: str
    prod_inst_id: str


@dataclass(frozen=True, slots=True)
class Iptv:
    account: str
    prod_inst_id: str
    package: str
    stb: Terminal
    stb_mac: str
    stb_sn: str
    node_id: str
