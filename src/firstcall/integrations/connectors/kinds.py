"""The connector class of each system kind. Every connector module registers its class here with
`@register`; the package (`__init__`) imports every connector module, and nothing a connector
imports imports the package back."""

from firstcall.integrations.connectors.base import Connector

CONNECTORS: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    CONNECTORS[cls.kind] = cls
    return cls
