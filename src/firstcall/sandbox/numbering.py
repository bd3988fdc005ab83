"""Customer keys that encode the customer's index, so any key maps back to its customer.

Every key carries a scrambled form of the index: `scramble(index) = (index * M + A) mod 10^w`
with M coprime to 10, which is a bijection on w-digit numbers, so it inverts exactly. Some keys
also carry derived digits (number segment, area code, province and city); those are checked after
decoding by comparing with the key the customer really has, so a mistyped key is "not found"
rather than somebody else's customer.

| key | shape | example |
|---|---|---|
| mobile (MSISDN) | `1` + segment (89/77/53/80/81/33/99/73 by index) + scramble8 | `18912345678` |
| broadband account | area code + `1` + scramble7 | `05121234567` |
| fixed-line number | area code + `8` + scramble7 | `02587654321` (also `025-87654321`) |
| IPTV account | `itv` + broadband account | `itv05121234567` |
| customer id | province + city digits + `1` + scramble11 | `3205100045817263` |
| account id | `8` + province + city digits + scramble11 | `8320500093311452` |

Capacity: 10^7 customers (the 7-digit part of fixed and broadband keys).
"""

from dataclasses import dataclass
from enum import StrEnum

from firstcall.sandbox.geography import City, city_by_area

MAX_CUSTOMERS = 10_000_000
MOBILE_SEGMENTS = ("89", "77", "53", "80", "81", "33", "99", "73")


class KeyKind(StrEnum):
    MOBILE = "mobile"
    BROADBAND = "broadband"
    FIXED = "fixed"
    IPTV = "iptv"
    CUSTOMER = "customer"
    ACCOUNT = "account"


@dataclass(frozen=True, slots=True)
class Scrambler:
    width: int
    multiplier: int
    offset: int

    @property
    def modulus(self) -> int:
        return 10**self.width

    def encode(self, index: int) -> str:
        return str((index * self.multiplier + self.offset) % self.modulus).zfill(self.width)

    def decode(self, digits: str) -> int:
        inverse = pow(self.multiplier, -1, self.modulus)
        return ((int(digits) - self.offset) * inverse) % self.modulus


_MOBILE = Scrambler(8, 37_156_667, 13_579_246)
_BROADBAND = Scrambler(7, 7_654_321, 2_468_013)
_FIXED = Scrambler(7, 3_141_593, 5_271_009)
_CUSTOMER = Scrambler(11, 48_271_000_013, 45_817_263)
_ACCOUNT = Scrambler(11, 69_621_000_017, 93_311_452)


def mobile_number(index: int) -> str:
    return "1" + MOBILE_SEGMENTS[index % len(MOBILE_SEGMENTS)] + _MOBILE.encode(index)


def broadband_account(index: int, city: City) -> str:
    return city.area_code + "1" + _BROADBAND.encode(index)


def fixed_number(index: int, city: City) -> str:
    return city.area_code + "8" + _FIXED.encode(index)


def iptv_account(index: int, city: City) -> str:
    return "itv" + broadband_account(index, city)


def customer_id(index: int, city: City) -> str:
    return city.province_digits + city.city_digits + "1" + _CUSTOMER.encode(index)


def account_id(index: int, city: City) -> str:
    return "8" + city.province_digits + city.city_digits + _ACCOUNT.encode(index)


def normalise(number: str) -> str:
    return number.strip().replace("-", "").replace(" ", "").lower()


def decode(number: str) -> tuple[KeyKind, int] | None:
    """The kind of key and the index it encodes, or None when it is no key of ours.

    The caller still has to compare with the customer's real key (see the module docstring)."""
    key = normalise(number)
    if key.startswith("itv"):
        decoded = decode(key[3:])
        if decoded and decoded[0] is KeyKind.BROADBAND:
            return KeyKind.IPTV, decoded[1]
        return None
    if not key.isdigit():
        return None
    if len(key) == 11 and key.startswith("1"):
        return KeyKind.MOBILE, _MOBILE.decode(key[3:])
    if len(key) == 16:
        if key.startswith("8"):
            return KeyKind.ACCOUNT, _ACCOUNT.decode(key[5:])
        return KeyKind.CUSTOMER, _CUSTOMER.decode(key[5:])
    if key.startswith("0"):
        city = city_by_area(key)
        if city is None:
            return None
        rest = key[len(city.area_code) :]
        if len(rest) == 8 and rest[0] == "1":
            return KeyKind.BROADBAND, _BROADBAND.decode(rest[1:])
        if len(rest) == 8 and rest[0] == "8":
            return KeyKind.FIXED, _FIXED.decode(rest[1:])
    return None


def index_in_record_id(record_id: str) -> int | None:
    """Work-order, order and redemption ids end in `-<7-digit index><one char>`."""
    tail = record_id.rsplit("-", 1)[-1]
    if len(tail) < 8 or not tail[:7].isdigit():
        return None
    return int(tail[:7])
