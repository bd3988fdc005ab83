"""The demo footprint: provinces, cities (local networks, 本地网) and their districts.

City codes match the FirstCall org tree (`JS-NJ` ...). The numeric codes are the GB/T 2260 style
province and city codes that CRM customer ids and account ids start with; area codes are the
fixed-network long-distance codes that broadband accounts and fixed numbers start with.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class City:
    code: str  # e.g. "JS-NJ"
    name: str  # 南京
    province_code: str  # "JS"
    province_name: str  # 江苏
    province_digits: str  # "32"
    city_digits: str  # "01"
    area_code: str  # "025"
    weight: int  # share of the customer base
    districts: tuple[str, ...]


CITIES: tuple[City, ...] = (
    City("JS-NJ", "南京", "JS", "江苏", "32", "01", "025", 14, ("玄武", "鼓楼", "江宁", "浦口")),
    City("JS-SZ", "苏州", "JS", "江苏", "32", "05", "0512", 16, ("工业园区", "姑苏", "吴中")),
    City("JS-WX", "无锡", "JS", "江苏", "32", "02", "0510", 10, ("梁溪", "滨湖", "新吴")),
    City("GD-GZ", "广州", "GD", "广东", "44", "01", "020", 18, ("天河", "越秀", "番禺", "白云")),
    City("GD-SZ", "深圳", "GD", "广东", "44", "03", "0755", 17, ("南山", "福田", "龙岗", "宝安")),
    City("GD-DG", "东莞", "GD", "广东", "44", "19", "0769", 10, ("南城", "东城", "长安")),
    City("SC-CD", "成都", "SC", "四川", "51", "01", "028", 12, ("武侯", "锦江", "高新", "双流")),
    City("SC-MY", "绵阳", "SC", "四川", "51", "07", "0816", 3, ("涪城", "游仙")),
)

CITY_BY_CODE = {city.code: city for city in CITIES}

# Longest area codes first, so that "0512..." is never read as "051" + "2...".
CITY_BY_AREA = sorted(((c.area_code, c) for c in CITIES), key=lambda item: -len(item[0]))

_CUMULATIVE: list[tuple[int, City]] = []
_total = 0
for _city in CITIES:
    _total += _city.weight
    _CUMULATIVE.append((_total, _city))
TOTAL_WEIGHT = _total


def city_for_roll(roll: int) -> City:
    """Pick a city for a roll in [0, TOTAL_WEIGHT) so the base follows the weights."""
    for bound, city in _CUMULATIVE:
        if roll < bound:
            return city
    return CITIES[-1]


def city_by_area(number: str) -> City | None:
    for area, city in CITY_BY_AREA:
        if number.startswith(area):
            return city
    return None
