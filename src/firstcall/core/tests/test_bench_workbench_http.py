"""The pure parts of `bench/workbench_http*.py`: percentiles, the critical path of a screen from
its call-log rows, and what the simulated browser loads from a page."""

import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[4] / "bench"
sys.path.insert(0, str(BENCH))

from workbench_http_load import is_degraded, load_elements  # noqa: E402
from workbench_http_paths import (  # noqa: E402
    Call,
    critical_path,
    describe,
    pct,
    sequential_critical_path,
)

T0 = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def call(system: str, operation: str, start_ms: float, latency_ms: float) -> Call:
    """A call-log row: it records the end and the latency; the start is derived from them."""
    return Call(system, operation, latency_ms, T0 + timedelta(milliseconds=start_ms + latency_ms))


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(100, 0, -1)]
    assert pct(values, 50) == 50
    assert pct(values, 99) == 99
    assert pct(values, 100) == 100
    assert pct([7.0], 99) == 7
    assert math.isnan(pct([], 50))


def test_crm_then_its_products_is_the_chain_when_the_platforms_are_faster():
    calls = [
        call("crm", "find", 0, 64),
        call("hlr", "subscriber", 1, 53),
        call("crm", "products", 66, 80),
        call("billing", "account", 2, 98),
    ]
    length, path = critical_path(calls)
    assert length == 144
    assert describe(path) == "crm.find → crm.products"


def test_a_slow_first_read_beats_a_short_chain():
    calls = [
        call("crm", "find", 0, 60),
        call("resources", "allocation", 61, 5),
        call("alarms", "active", 67, 5),
        call("points", "member", 0, 120),
    ]
    assert critical_path(calls) == (120, (("points", "member"),))


def test_alarms_wait_for_resources_which_wait_for_crm():
    calls = [
        call("crm", "find", 0, 60),
        call("resources", "allocation", 61, 30),
        call("alarms", "active", 92, 20),
        call("billing", "account", 0, 50),
    ]
    length, path = critical_path(calls)
    assert length == 110
    assert [r[0] for r in path] == ["crm", "resources", "alarms"]


def test_the_typed_numbers_platform_read_never_counts_the_wait_for_crm():
    # The view could have started it with CRM: a late start is FirstCall's time, not a chain.
    calls = [call("crm", "find", 0, 64), call("hlr", "subscriber", 70, 53)]
    assert critical_path(calls)[0] == 64


def test_a_second_number_of_the_product_waits_for_crm():
    calls = [
        call("crm", "find", 0, 64),
        call("hlr", "subscriber", 1, 53),
        call("hlr", "subscriber", 66, 53),
    ]
    length, path = critical_path(calls)
    assert length == 117
    assert path == (("crm", "find"), ("hlr", "subscriber"))


def test_a_read_repeated_by_another_panel_does_not_chain_after_itself():
    calls = [call("crm", "find", 0, 64), call("crm", "find", 70, 64)]
    assert critical_path(calls)[0] == 64


def test_a_read_that_started_before_its_predecessor_ended_is_a_first_read():
    calls = [call("crm", "find", 0, 64), call("crm", "products", 10, 80)]
    assert critical_path(calls)[0] == 80


def test_requests_one_after_another_add_up_and_no_calls_cost_nothing():
    flow = [call("crm", "find", 0, 64), call("crm", "orders", 65, 70)]
    page = [call("provisioning", "work_order", 200, 100)]
    assert sequential_critical_path([flow, page]) == 234
    assert sequential_critical_path([flow, []]) == 134
    assert critical_path([]) == (0.0, ())


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '<section id="panel-customer" hx-get="/agent/panel/customer/?number=1&amp;x=2" '
            'hx-trigger="load, fc-customer-changed from:body" hx-swap="innerHTML">',
            [("/agent/panel/customer/?number=1&x=2", "panel-customer")],
        ),
        ('<button hx-get="/agent/panel/account/?number=1" hx-target="#panel-account">', []),
        ('<input hx-get="/taxonomy/picker/" hx-trigger="input changed delay:150ms, focus">', []),
        (
            '<div id="step-page" hx-swap-oob="true" hx-get="/agent/calls/5/page/" '
            'hx-trigger="load" hx-swap="innerHTML">',
            [("/agent/calls/5/page/", "step-page")],
        ),
    ],
)
def test_the_browser_loads_only_the_elements_triggered_on_load(page, expected):
    assert load_elements(page) == expected


def test_a_panel_that_names_a_failed_system_is_degraded():
    assert is_degraded('<div class="alert" data-testid="failed-billing">')
    assert is_degraded('<span data-testid="degraded-platforms">Incomplete</span>')
    assert is_degraded('<p data-testid="product-info-failed-crm">')
    assert not is_degraded('<div data-testid="panel-customer">ok</div>')
