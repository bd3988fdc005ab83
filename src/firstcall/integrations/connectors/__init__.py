"""One connector module per system kind; CONNECTORS maps a kind to its class.

Each connector knows only its back end's published contract and returns plain dicts in
FirstCall's normalised vocabulary (see `doc.py`). This package is the list of connectors: it
imports each module, which registers its class in `kinds.CONNECTORS`; no connector imports it.
"""

from firstcall.integrations.connectors import (
    aaa,
    alarms,
    billing,
    crm,
    gis,
    hlr,
    iptv,
    nms,
    ocs,
    pcrf,
    points,
    provisioning,
    resources,
    smsc,
    vas,
)
from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.kinds import CONNECTORS, register

__all__ = [
    "CONNECTORS",
    "Connector",
    "aaa",
    "alarms",
    "billing",
    "crm",
    "gis",
    "hlr",
    "iptv",
    "nms",
    "ocs",
    "pcrf",
    "points",
    "provisioning",
    "register",
    "resources",
    "smsc",
    "vas",
]
