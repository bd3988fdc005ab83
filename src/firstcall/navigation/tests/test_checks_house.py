"""The house of the checks: each check lives in its family module with its page and template,
the registry knows no family, the facts are typed for the rule engine, and the typed records
above the connectors read the sandbox's shapes."""

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import rule_engine
from django.template.loader import get_template
from django.utils import translation

from firstcall.integrations import connectors
from firstcall.integrations.connectors import CONNECTORS
from firstcall.integrations.envelope import CallError, Result
from firstcall.integrations.records import Allocation, NasPort, Session, auth_requests, moment
from firstcall.navigation import checks
from firstcall.navigation.checks.orders import latest_order
from firstcall.navigation.checks.registry import BUILTIN_FACTS, CHECKS, fact_types

PACKAGE = Path(checks.__file__).parent
HOUSE = ("__init__", "registry", "reads", "page")


def test_every_check_lives_in_its_family_module_with_a_page_and_the_familys_template():
    assert len(CHECKS) >= 47
    families = set()
    for check in CHECKS.values():
        assert check.family in checks.FAMILIES, check.id
        assert check.run.__module__ == f"firstcall.navigation.checks.{check.family}", check.id
        assert check.template == f"navigation/checks/{check.family}.html", check.id
        get_template(check.template)
        assert check.page is not None, check.id
        families.add(check.family)
    assert families == set(checks.FAMILIES)  # no family module without a check
    assert {p.stem for p in PACKAGE.glob("*.py")} == {*HOUSE, *checks.FAMILIES}


def test_every_fact_has_a_rule_engine_type_and_one_type_across_checks():
    seen: dict[str, Any] = dict(BUILTIN_FACTS)
    for check in CHECKS.values():
        assert check.facts, check.id
        for name, kind in check.facts.items():
            assert rule_engine.DataType.is_definition(kind), (check.id, name)
            assert seen.setdefault(name, kind) == kind, (check.id, name)
    assert fact_types() == seen


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


@pytest.mark.parametrize("module", HOUSE)
def test_the_registry_modules_import_no_family(module):
    families = {f"firstcall.navigation.checks.{f}" for f in checks.FAMILIES}
    assert _imports(PACKAGE / f"{module}.py") & families == set()


def test_the_families_are_registered_by_the_app_config_not_by_the_registry():
    apps = Path(checks.__file__).parents[1] / "apps.py"
    imported = _imports(apps)
    assert {f"firstcall.navigation.checks.{f}" for f in checks.FAMILIES} <= imported


def test_no_connector_imports_the_connectors_package_that_imports_it():
    package = Path(connectors.__file__).parent
    modules = [p for p in package.glob("*.py") if p.stem != "__init__"]
    assert len(modules) >= 17
    for path in modules:
        imported = _imports(path)
        assert "firstcall.integrations.connectors" not in imported, path.name
        assert "firstcall.integrations.connectors.register" not in imported, path.name
    assert set(CONNECTORS) >= {"aaa", "crm", "hlr", "nms", "resources"}


# The typed records above the connectors, on the sandbox's shapes.


def test_a_nas_port_is_parsed_once_and_reads_as_words():
    port = NasPort.parse("slot=0;subslot=0;port=1;vlanid=1546;vlanid2=3983;")
    assert port == NasPort(slot=0, subslot=0, port=1, vlan=1546, vlan2=3983)
    assert port.vlans == (1546, 3983) and port.vlan_pair == "1546/3983"
    with translation.override("en"):
        assert str(port) == "slot 0 / subslot 0 / port 1 · VLAN 1546/3983"
    with translation.override("zh-hans"):
        assert "1546/3983" in str(port) and "vlanid" not in str(port)
    for bad in (None, "", "slot=0;port=1;", "vlanid=x;vlanid2=3983", 42):
        assert NasPort.parse(bad) is None, bad


def test_a_moment_reads_iso_strings_with_their_offset_and_nothing_else():
    at = moment("2026-11-22T09:13:10+08:00")
    assert at == datetime(2026, 11, 22, 1, 13, 10, tzinfo=UTC)
    assert at is not None and at.utcoffset() == timedelta(hours=8)
    assert moment("2026-11-22T01:13:10Z") == at
    assert moment(at) is at
    for bad in (None, "", "yesterday", "2026-13-01T00:00:00+08:00", 0):
        assert moment(bad) is None, bad


def test_the_line_and_its_sessions_are_compared_on_the_parsed_port():
    line = Allocation.of({"svlan": 1546, "cvlan": "3983", "bras": {"ne_id": "BRAS-1"}})
    assert line is not None and line.vlan_pair == "1546/3983"
    assert line.carries(NasPort.parse("slot=0;subslot=0;port=1;vlanid=1546;vlanid2=3983;"))
    assert not line.carries(NasPort.parse("vlanid=1546;vlanid2=3984;"))
    assert not line.carries(None)
    assert Allocation.of(None) is None and Allocation.of({}).vlans is None  # type: ignore[union-attr]
    now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    fresh = Session.of(
        {
            "nas_id": "BRAS-1",
            "port": "vlanid=1546;vlanid2=3983;",
            "last_update_at": "2026-11-22T17:50:00+08:00",
            "interim_interval_s": 300,
        }
    )
    assert not fresh.stale(now) and not fresh.foreign(line)
    elsewhere = Session.of({"nas_id": "BRAS-2", "last_update_at": "2026-11-22T17:00:00+08:00"})
    assert elsewhere.foreign(line)
    assert elsewhere.stale(now)  # an hour without an update: over three 15-minute intervals
    assert not elsewhere.stale(now - timedelta(minutes=20))
    requests = auth_requests({"records": [{"time": "bad", "accepted": 1, "port": "vlanid=1;"}]})
    assert requests[0].time is None and requests[0].accepted and requests[0].port is None


def test_not_found_failed_and_refused_are_properties_of_the_result():
    def failure(code: str) -> Result:
        return Result.failure("aaa", "user", CallError(code, code, False))

    answered = Result.success("aaa", "user", {}, 1.0)
    assert answered.answered and not (answered.missing or answered.failed or answered.refused)
    assert failure("not_found").missing and failure("not_found").answered
    assert not failure("not_found").failed
    for code in ("timeout", "http_5xx", "malformed", "rejected", "disabled", "refused"):
        assert failure(code).failed and not failure(code).missing, code
    assert [c for c in ("rejected", "disabled", "refused", "timeout") if failure(c).refused] == [
        "rejected",
        "disabled",
        "refused",
    ]


# F-MOB-ORDER reads the order of the product the caller asks about (issue 10, part 5).


class _Reads:
    def __init__(self, number: str, answers: dict[str, Any]) -> None:
        self.number = number
        self.answers = answers

    async def _answer(self, system: str, operation: str) -> Result:
        return Result.success(system, operation, self.answers[f"{system}.{operation}"], 1.0)

    def get(self, system: str, operation: str, *args: str) -> Any:
        return self._answer(system, operation)


class _View:
    def __init__(self, number: str, orders: list[dict[str, Any]]) -> None:
        services = [
            {"number": "13800000001", "product_type": "mobile"},
            {"number": "0512000001", "product_type": "broadband"},
        ]
        self.number = number
        self.reads = _Reads(number, {"crm.orders": {"orders": orders}})
        self._customer = {"cust_id": "C1", "service_numbers": services}

    async def customer(self) -> Result:
        return Result.success("crm", "find", self._customer, 1.0)


ORDERS = [
    {"order_id": "B", "product_type": "broadband", "accepted_at": "2026-11-20T10:00:00+08:00"},
    {"order_id": "M", "product_type": "mobile", "accepted_at": "2026-06-01T10:00:00+08:00"},
    {"order_id": "I", "product_type": "iptv", "accepted_at": "2026-11-21T10:00:00+08:00"},
]


async def test_the_latest_order_is_the_typed_numbers_products_not_any_products():
    assert (await latest_order(_View("13800000001", ORDERS)))["order_id"] == "M"  # type: ignore[arg-type]
    assert (await latest_order(_View("0512000001", ORDERS)))["order_id"] == "B"  # type: ignore[arg-type]
    # A number that is none of the customer's products: the newest order of any product.
    assert (await latest_order(_View("02100000000", ORDERS)))["order_id"] == "I"  # type: ignore[arg-type]
    # A mobile caller without a mobile order has no order, whatever the broadband has.
    assert await latest_order(_View("13800000001", ORDERS[:1])) == {}  # type: ignore[arg-type]
