"""The client's network address: the one place that decides whether `X-Forwarded-For` is believed.

Behind a reverse proxy every request arrives from the proxy's address, so a throttle keyed on
`REMOTE_ADDR` would lock a whole office out at once. The proxy reports the real client in
`X-Forwarded-For`, but anybody can send that header, so it is read only when the request came
from one of `FIRSTCALL_TRUSTED_PROXIES`. Each trusted proxy appends the address it received the
request from; walking the list from the right, the first hop that is not itself a trusted proxy
is the client. Hops further left were written by the client and are never read.
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# No real chain of proxies is this long; a longer header is only read this far from the right.
MAX_HOPS = 32


@lru_cache(maxsize=8)
def trusted_networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """The networks named by addresses or CIDR blocks; a bad entry stops start-up with its name."""
    networks: list[IPNetwork] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"FIRSTCALL_TRUSTED_PROXIES: {value!r} is not an IP address or CIDR block"
            ) from exc
    return tuple(networks)


def parse_address(value: str) -> IPAddress | None:
    """An address as proxies write it ("10.0.0.7", "10.0.0.7:5123", "[2001:db8::1]:443",
    "2001:db8::1"), or None for anything else ("unknown", obfuscated names, garbage)."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as text; empty when the server gives none."""
    remote = parse_address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return ""
    networks = trusted_networks(tuple(getattr(settings, "FIRSTCALL_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    hops = (request.META.get("HTTP_X_FORWARDED_FOR", "") or "").split(",")[-MAX_HOPS:]
    client = remote
    for hop in reversed(hops):
        if not hop.strip():
            continue
        address = parse_address(hop)
        if address is None:
            # A trusted proxy always writes an address; anything else came from the client side,
            # so the last proxy that reported a hop is as near to the client as can be known.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
