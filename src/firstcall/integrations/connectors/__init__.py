"""One connector module per system kind; CONNECTORS maps a kind to its class."""

from firstcall.integrations.connectors.base import Connector

CONNECTORS: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    CONNECTORS[cls.kind] = cls
    return cls
