"""Broadband-side platform state: AAA (sessions, auth log), NMS, resources, IPTV."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Session:
    session_id: str
    started: datetime
    stale_since: datetime | None  # None: interim updates keep arriving
    nas_ip: str
    bras_id: str
    nas_port_id: str
    mac: str
    framed_ip: str
    down_mbps: int
    up_mbps: int
    dns_id: str


@dataclass
class AuthRecord:
    time: datetime
    result: str  # Access-Accept / Access-Reject
    reason: str
    nas_ip: str
    nas_port_id: str
    mac: str


@dataclass
class ClosedSession:
    session_id: str
    started: datetime
    stopped: datetime
    cause: int  # RFC 2866 Acct-Terminate-Cause
    nas_port_id: str
    mac: str


@dataclass
class Aaa:
    exists: bool
    status: str
    locked: bool
    product: str
    access_limit: str
    down_mbps: int
    up_mbps: int
    max_sessions: int
    binding_nas_ip: str | None
    binding_port: str | None
    binding_mac: str | None
    prepaid: bool
    password: str
    password_changed: datetime | None
    sessions: list[Session]
    auth_log: list[AuthRecord]
    history: list[ClosedSession]


@dataclass
class Nms:
    access: str
    onu_state: str = ""
    offline_reason: str = ""
    rx_dbm: float | None = None
    tx_dbm: float | None = None
    registration: str = ""
    seen_sn: str = ""
    service_vlan_ok: bool = True
    iptv_vlan_ok: bool = True
    stb_port: str = ""
    onu_events: list[tuple[datetime, str]] = field(default_factory=list)
    port_state: str = ""
    sync_down_kbps: int = 0
    sync_up_kbps: int = 0
    attenuation_db: float = 0.0
    snr_margin_db: float = 0.0
    retrains_24h: int = 0
    line_test: str = ""
    switch_port: str = ""
    port_speed: str = ""
    crc_errors: int = 0


@dataclass
class Res:
    address: str
    access: str
    ne_id: str
    port: str
    onu_id: int
    splitter: str
    cross_box: str
    svlan: int
    cvlan: int


@dataclass
class IptvState:
    exists: bool
    status: str
    package: str
    bound_mac: str | None
    bound_sn: str | None
    current_mac: str
    last_auth: datetime
    last_auth_result: str
    multicast: bool
