"""Generated customers: deterministic from the seed, every key maps back, lazily built."""

import re
import tracemalloc
from collections import Counter

import pytest

from firstcall.sandbox import numbering
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.geography import CITY_BY_CODE
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.server import SANDBOX, make_app
from firstcall.sandbox.tests.conftest import frozen_config
from firstcall.sandbox.truth import ground_truth

CITY_CODES = {"JS-NJ", "JS-SZ", "JS-WX", "GD-GZ", "GD-SZ", "GD-DG", "SC-CD", "SC-MY"}


def test_same_seed_gives_the_same_customers_and_platforms():
    one, two = Sandbox(frozen_config()), Sandbox(frozen_config())
    for index in (0, 1, 777, 54_321, 99_999):
        assert one.customer(index) == two.customer(index)
        assert ground_truth(one, one.customer(index)) == ground_truth(two, two.customer(index))


def test_another_seed_gives_other_customers():
    one, other = Sandbox(frozen_config()), Sandbox(frozen_config(seed=7))
    assert sum(one.customer(i).name != other.customer(i).name for i in range(50)) > 25


@pytest.mark.parametrize("index", [0, 1, 9, 4_242, 99_999])
def test_every_key_maps_back_to_its_customer(index):
    sb = Sandbox(frozen_config())
    c = sb.customer(index)
    assert c.keys, "every customer has keys"
    for kind, key in c.keys.items():
        assert numbering.decode(key) is not None, kind
        assert sb.locate(key) == c
        assert sb.locate(key.upper()) == c
    if c.fixed:
        area = c.profile.city.area_code
        assert sb.locate(f"{area}-{c.fixed.number[len(area) :]}") == c


def test_keys_that_are_not_ours_are_not_found():
    sb = Sandbox(frozen_config(customers=1_000))
    c = sb.customer(5)
    mobile = numbering.mobile_number(5)
    wrong_segment = mobile[0] + "39" + mobile[3:]
    beyond = numbering.mobile_number(5_000)
    for key in (
        "",
        "hello",
        "18900000000",
        wrong_segment,
        beyond,
        "99912345678",
        "0" * 16,
        "itv123",
    ):
        assert sb.locate(key) is None, key
    assert sb.locate(c.cust_id, (KeyKind.MOBILE,)) is None, "a key of the wrong kind"


def test_key_shapes_match_the_documented_formats():
    sb = Sandbox(frozen_config())
    for index in range(300):
        c = sb.customer(index)
        assert re.fullmatch(r"\d{16}", c.cust_id) and c.acct_id.startswith("8")
        if c.mobile:
            assert re.fullmatch(r"1(89|77|53|80|81|33|99|73)\d{8}", c.mobile.msisdn)
        if c.broadband:
            assert c.broadband.account.startswith(c.profile.city.area_code + "1")
        if c.iptv:
            assert c.iptv.account == "itv" + c.broadband.account


def test_the_base_covers_the_demo_footprint_and_product_mix():
    sb = Sandbox(frozen_config())
    sample = [sb.customer(i) for i in range(3_000)]
    assert {c.profile.city.code for c in sample} == CITY_CODES
    assert all(
        CITY_BY_CODE[c.profile.city.code].province_code == c.profile.city.code[:2] for c in sample
    )
    access = Counter(c.broadband.access for c in sample if c.broadband)
    assert set(access) == {"ADSL", "LAN", "FTTH"}
    assert {c.pay_mode for c in sample if c.mobile} == {"预付费", "后付费"}
    assert any(c.fixed for c in sample) and any(c.iptv for c in sample)
    assert any(c.vas for c in sample) and any(c.redemptions for c in sample)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{1,2}\*{1,2}|.+公司|.+中学", c.name) for c in sample)


def test_most_customers_are_healthy_and_every_condition_occurs():
    sb = Sandbox(frozen_config())
    found = Counter(name for i in range(100_000) for name in sb.generated_conditions(i))
    healthy = sum(1 for i in range(20_000) if not sb.generated_conditions(i))
    assert 0.7 < healthy / 20_000 < 0.9
    from firstcall.sandbox.conditions import BY_NAME

    assert set(found) == set(BY_NAME), set(BY_NAME) - set(found)


def test_condition_rates_are_configurable():
    sb = Sandbox(frozen_config(rates={"arrears_stop": 0.5}))
    stopped = sum("arrears_stop" in sb.generated_conditions(i) for i in range(2_000))
    assert 900 < stopped < 1_100
    with pytest.raises(ValueError):
        Sandbox(frozen_config(rates={"no_such_condition": 0.1}))


def test_creating_the_app_builds_no_customer_and_takes_little_memory():
    tracemalloc.start()
    app = make_app(frozen_config(customers=100_000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sb = app[SANDBOX]
    assert sb.built == 0, "generation must be lazy"
    assert peak < 5 * 1024 * 1024
    sb.locate(sb.customer(12_345).service_number)
    assert sb.built == 1
