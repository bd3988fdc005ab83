"""Deterministic random streams: one independent stream per (seed, customer index, purpose).

Streams are seeded with integers (never str or hash(), which vary with PYTHONHASHSEED), so the same
seed gives the same customers on every machine and Python version that keeps Mersenne Twister.
"""

import random
from enum import IntEnum

_MASK = (1 << 64) - 1


class Purpose(IntEnum):
    PROFILE = 1
    CONDITIONS = 2
    CUSTOMER = 3
    PRODUCTS = 4
    ACCOUNT = 5
    HISTORY = 6
    PLATFORM = 7
    NETWORK = 8


def _mix(seed: int, index: int, purpose: Purpose) -> int:
    return (
        seed * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + purpose * 0x94D049BB133111EB
    ) & _MASK


def stream(seed: int, index: int, purpose: Purpose) -> random.Random:
    return random.Random(_mix(seed, index, purpose))  # noqa: S311 - simulation data


class QuickDraws:
    """SplitMix64: a few draws per customer at a fraction of the cost of seeding a Mersenne
    Twister, for the parts scanned across the whole base (profile and condition assignment)."""

    __slots__ = ("state",)

    def __init__(self, seed: int, index: int, purpose: Purpose) -> None:
        self.state = _mix(seed, index, purpose)

    def next64(self) -> int:
        self.state = z = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def random(self) -> float:
        return (self.next64() >> 11) * (1.0 / (1 << 53))

    def randrange(self, stop: int) -> int:
        return self.next64() % stop


def digits(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(length))


def mac(rng: random.Random, oui: str) -> str:
    tail = ":".join(f"{rng.randrange(256):02x}" for _ in range(3))
    return f"{oui}:{tail}"


def mask_mobile(number: str) -> str:
    """189****5678, as on operator screens."""
    return number[:3] + "****" + number[-4:]


def mask_cert(cert_no: str) -> str:
    """3205**********1234."""
    return cert_no[:4] + "*" * (len(cert_no) - 8) + cert_no[-4:]
