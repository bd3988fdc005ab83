"""core.net.client_address: X-Forwarded-For is believed only from a trusted proxy, right to left."""

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from firstcall.core.net import client_address, parse_address, trusted_networks

PROXIES = ["10.0.0.1", "192.168.50.0/24", "2001:db8:1::/48"]


def address_of(remote: str, forwarded: str | None = None) -> str:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.fixture
def proxies(settings):
    settings.FIRSTCALL_TRUSTED_PROXIES = PROXIES


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored(settings):
    settings.FIRSTCALL_TRUSTED_PROXIES = []
    assert address_of("203.0.113.9") == "203.0.113.9"
    assert address_of("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert address_of("10.0.0.1", "198.51.100.1") == "10.0.0.1"


def test_a_spoofed_header_from_an_untrusted_client_is_ignored(proxies):
    assert address_of("203.0.113.9", "10.0.0.1") == "203.0.113.9"
    assert address_of("203.0.113.9", "198.51.100.1, 10.0.0.1") == "203.0.113.9"
    assert address_of("10.0.0.2", "198.51.100.1") == "10.0.0.2"


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(proxies):
    assert address_of("10.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert address_of("192.168.50.23", "198.51.100.7") == "198.51.100.7"


def test_two_offices_behind_one_proxy_are_told_apart(proxies):
    assert address_of("10.0.0.1", "198.51.100.7") != address_of("10.0.0.1", "198.51.100.8")


def test_the_right_most_untrusted_hop_wins_over_what_the_client_wrote(proxies):
    # The client wrote "1.1.1.1"; the edge proxy (192.168.50.5) appended the real peer; the inner
    # proxy (10.0.0.1) appended the edge proxy.
    chain = "1.1.1.1, 198.51.100.7, 192.168.50.5"
    assert address_of("10.0.0.1", chain) == "198.51.100.7"


def test_a_chain_of_only_trusted_hops_gives_the_left_most(proxies):
    assert address_of("10.0.0.1", "192.168.50.5, 192.168.50.6") == "192.168.50.5"


def test_ports_brackets_and_mapped_addresses(proxies):
    assert address_of("10.0.0.1", "198.51.100.7:52100") == "198.51.100.7"
    assert address_of("10.0.0.1", "[2001:db8:2::5]:443") == "2001:db8:2::5"
    assert address_of("10.0.0.1", "2001:db8:2::5") == "2001:db8:2::5"
    assert address_of("::ffff:10.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert address_of("2001:db8:1::9", "198.51.100.7") == "198.51.100.7"
    assert address_of("10.0.0.1", "::ffff:198.51.100.7") == "198.51.100.7"


@pytest.mark.parametrize(
    "forwarded",
    [
        "",
        " ",
        ",,",
        "unknown",
        "garbage, ,",
        "1.2.3.999",
        "_hidden",
        "\x00",
        "1.2.3.4\x00",
        "a" * 5000,
    ],
)
def test_garbage_hops_never_become_the_client(proxies, forwarded):
    # Nothing usable in the header: the trusted proxy itself is as near as can be known.
    assert address_of("10.0.0.1", forwarded) == "10.0.0.1"


def test_garbage_left_of_a_good_hop_is_not_read(proxies):
    assert address_of("10.0.0.1", "unknown, 198.51.100.7") == "198.51.100.7"
    # A garbage hop between trusted ones: stop at the last proxy that wrote a real address.
    assert address_of("10.0.0.1", "198.51.100.7, nonsense, 192.168.50.5") == "192.168.50.5"


def test_a_very_long_chain_is_read_only_from_the_right(proxies):
    chain = ", ".join(["192.168.50.9"] * 10_000)
    assert address_of("10.0.0.1", f"198.51.100.7, {chain}") == "192.168.50.9"


def test_a_missing_or_bad_remote_address_gives_no_address(proxies):
    assert address_of("") == ""
    assert address_of("not-an-address", "198.51.100.7") == ""


def test_parse_address_forms():
    assert str(parse_address(" 198.51.100.7 ")) == "198.51.100.7"
    assert str(parse_address('"[2001:db8::1]:8080"')) == "2001:db8::1"
    assert parse_address("") is None
    assert parse_address("example.org") is None


def test_a_bad_proxy_entry_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match="not-a-network"):
        trusted_networks(("10.0.0.0/8", "not-a-network"))


def test_settings_refuse_a_bad_proxy_at_start_up():
    env = {**os.environ, "FIRSTCALL_TRUSTED_PROXIES": "10.0.0.0/8, 300.1.1.1"}
    run = subprocess.run(
        [sys.executable, "-c", "import firstcall.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr and "300.1.1.1" in run.stderr
