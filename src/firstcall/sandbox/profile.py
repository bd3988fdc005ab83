"""The cheap part of a customer: which products it has, and where.

Conditions are assigned from the profile alone, so listing customers that have a condition scans
profiles (a few microseconds each) without building whole customers.
"""

from dataclasses import dataclass

from firstcall.sandbox.geography import TOTAL_WEIGHT, City, city_for_roll
from firstcall.sandbox.rng import Purpose, QuickDraws


@dataclass(frozen=True, slots=True)
class Profile:
    index: int
    city: City
    mobile: bool
    prepaid: bool  # the account is prepaid (OCS real-time charging); else postpaid
    broadband: bool
    access: str  # "ADSL" / "LAN" / "FTTH", "" without broadband
    bb_prepaid: bool  # broadband charged from an OCS account book
    fixed: bool
    iptv: bool
    vas: bool  # has SP subscriptions
    roaming: bool  # international roaming opened in CRM
    government: bool  # 政企客户


def profile(seed: int, index: int) -> Profile:
    rng = QuickDraws(seed, index, Purpose.PROFILE)
    city = city_for_roll(rng.randrange(TOTAL_WEIGHT))
    roll = rng.random()
    mobile = roll < 0.82
    broadband = roll >= 0.55
    access = ""
    if broadband:
        kind = rng.random()
        access = "ADSL" if kind < 0.12 else "LAN" if kind < 0.35 else "FTTH"
    prepaid = rng.random() < 0.4
    fixed = broadband and (access == "ADSL" or rng.random() < 0.2)
    iptv = access in ("LAN", "FTTH") and rng.random() < 0.4
    return Profile(
        index=index,
        city=city,
        mobile=mobile,
        prepaid=prepaid,
        broadband=broadband,
        access=access,
        bb_prepaid=broadband and prepaid and rng.random() < 0.3,
        fixed=fixed,
        iptv=iptv,
        vas=mobile and rng.random() < 0.3,
        roaming=mobile and rng.random() < 0.15,
        government=rng.random() < 0.05,
    )
