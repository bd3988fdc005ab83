"""One connector module per system kind; CONNECTORS maps a kind to its class.

Each connector knows only its back end's published contract and returns plain dicts in
FirstCall's normalised vocabulary (see `doc.py`).
"""

from firstcall.integrations.connectors.base import Connector

CONNECTORS: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    CONNECTORS[cls.kind] = cls
    return cls


# Imported last: each module registers its class through `register` above.
from firstcall.integrations.connectors import (  # noqa: E402
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
