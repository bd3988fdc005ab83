"""The workbench over HTTP against the sandbox: a query step's page shows CRM's value and the
platform's differing value side by side, from the call cache; a failed system is named with a
Retry; every check system the seeded flows use has its page template; the seven areas of the call
page and of the input page render in zh-hans and in English."""

import html
import re
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.test import AsyncClient

from firstcall.accounts.models import User
from firstcall.core.tests.pages import atext
from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.integrations.tests import live_sandbox
from firstcall.navigation import seeding
from firstcall.navigation.checks import page as pages
from firstcall.navigation.checks.registry import CHECKS
from firstcall.navigation.models import NavigationSession
from firstcall.orgs.models import OrgUnit
from firstcall.sandbox.app import SANDBOX

PHENOMENON_691 = "FBB-FTTH-02"  # FTTH down, PPPoE authentication fails: flow F-BB-691
HX = {"HX-Request": "true"}
AREAS = {
    "input": ("Input", "输入区"),
    "products": ("Customer products", "客户产品"),
    "customer": ("Customer and account", "客户与账户"),
    "functions": ("Function navigation", "功能导航"),
    "flow": ("Flow view", "流程视图"),
    "comparison": ("Comparison", "数据比对"),
    "tickets": ("Tickets in progress and past", "在途与历史工单"),
}
TABS = {"product-info": ("Product info", "产品信息"), "flow-nav": ("Flow navigation", "流程导航")}


def _ensure_demo() -> None:
    """Transactional tests flush every table when they end; seed the demo again if needed."""
    if not OrgUnit.objects.filter(code="HQ").exists():
        from firstcall.seeding import seed

        seed(demo=True)


@pytest.fixture
async def live(transactional_db: None):
    """The sandbox, registered after the demo (org tree, agents, phenomena, flows) is in place."""
    await sync_to_async(_ensure_demo)()
    server, sandbox = await live_sandbox.start()
    yield sandbox
    await live_sandbox.stop(server, sandbox)
    await sync_to_async(connections.close_all)()


@pytest.fixture
def hits(live, monkeypatch) -> Counter[str]:
    """Requests that reach the sandbox's systems."""
    seen: Counter[str] = Counter()
    runtime = live.server.app[SANDBOX].runtime
    original = runtime.hit

    def hit(system: str) -> Any:
        seen[system] += 1
        return original(system)

    monkeypatch.setattr(runtime, "hit", hit)
    return seen


async def _agent_for(live, number: str, language: str = "zh-hans") -> AsyncClient:
    truth = await live.truth(number)
    user = await User.objects.aget(username=f"{truth['city'].lower()}-agent")
    client = AsyncClient(headers={"Accept-Language": language})
    client.cookies["firstcall_language"] = language
    await client.aforce_login(user)
    return client


async def _take_691_call(live, condition: str, language: str = "zh-hans"):
    customer = await live.sample(condition, "broadband")
    account = customer["keys"]["broadband"]
    client = await _agent_for(live, customer["number"], language)
    response = await client.post("/agent/calls/", {"number": account, "phenomenon": PHENOMENON_691})
    assert response.status_code == 302, response.content[:500]
    session = await NavigationSession.objects.aget(number=account)
    return client, session, account


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def compare_rows(page: str) -> dict[str, dict[str, str]]:
    """The side-by-side rows of a step page, by label: CRM's value, the platform's, the marks."""
    rows = {}
    for attrs, body in re.findall(r'<tr data-testid="compare-row"([^>]*)>(.*?)</tr>', page, re.S):
        label = _text(re.search(r"<th[^>]*>(.*?)</th>", body, re.S).group(1))  # type: ignore[union-attr]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        rows[label] = {
            "crm": _text(cells[0]),
            "platform": _text(cells[1]),
            "differs": 'data-differs="1"' in attrs,
            "decides": 'data-decides="1"' in attrs,
        }
    return rows


def test_every_check_system_the_seeded_flows_use_has_its_page_template():
    systems: set[str] = set()
    for path in seeding.seed_files():
        spec, _meta = seeding.load(path)
        for step in spec.steps.values():
            if step.kind != "query":
                continue
            check = CHECKS[step.check]
            systems.add(check.system)
            assert check.page is not None, check.id
            if step.template:
                get_template(step.template)
    missing = []
    for check in CHECKS.values():
        try:
            get_template(check.template)
        except TemplateDoesNotExist:
            missing.append(check.family)
    assert missing == [], f"check families without a step page template: {missing}"
    assert {"crm", "aaa", "resources", "alarms", "hlr", "ocs", "nms"} <= systems


async def test_every_seeded_query_steps_page_renders_for_a_customer_with_every_product(live):
    customer = await live.sample("healthy", "mobile", "broadband", "iptv")
    view = CustomerView(Reads(customer["number"], fresh=True))
    session = SimpleNamespace(pk=0, current_step="")
    for path in seeding.seed_files():
        spec, _meta = seeding.load(path)
        for step in spec.steps.values():
            if step.kind != "query":
                continue
            check = CHECKS[step.check]
            page = await pages.step_page(check, view, pages.facts_used(step, check))
            assert page.failed == [], (step.check, page.failed)
            assert page.rows or page.tables, step.check
            assert [name for name, _v, _d in page.facts] == list(check.facts), step.check
            context = {"page": page, "session": session, "step": step}
            rendered = render_to_string(check.template, context)
            assert f'data-check="{check.id}"' in rendered, step.check


async def test_a_query_steps_page_shows_crm_and_the_differing_platform_side_by_side(live, hits):
    client, session, account = await _take_691_call(live, "aaa_state_mismatch")
    await client.post(f"/agent/calls/{session.pk}/flow/jump/", {"step": "S3"}, headers=HX)
    flow = (await client.get(f"/agent/calls/{session.pk}/flow/", headers=HX)).content.decode()
    assert 'id="step-page" hx-swap-oob="true"' in flow  # the comparison area follows the step
    await client.get("/agent/panel/comparison/", {"number": account}, headers=HX)

    before = sum(hits.values())
    response = await client.get(f"/agent/calls/{session.pk}/page/", headers=HX)
    assert response.status_code == 200
    assert sum(hits.values()) == before, "the page is read from the call cache"
    page = response.content.decode()
    assert 'data-check="aaa.user"' in page and 'data-system="aaa"' in page
    assert "CRM 记录" in page and "AAA 实际" in page  # the columns, in the agent's language
    state = compare_rows(page)["状态"]
    assert "在用" in state["crm"] and "停机" in state["platform"]  # named, not coded
    assert state["differs"] and state["decides"]
    assert 'data-fact="aaa_state"' in page


async def test_a_step_page_in_english_names_its_rows_in_english(live):
    client, session, _account = await _take_691_call(live, "aaa_binding_stale", "en")
    await client.post(f"/agent/calls/{session.pk}/flow/jump/", {"step": "S4"}, headers=HX)
    page = (await client.get(f"/agent/calls/{session.pk}/page/", headers=HX)).content.decode()
    rows = compare_rows(page)
    assert "AAA has" in page and 'data-check="aaa.auth_log"' in page
    last = rows["Last authentication"]
    assert last["differs"] and last["decides"] and "Access-Reject" in last["platform"]
    bound = rows["VLANs AAA has bound"]
    assert bound["differs"] and bound["crm"].split()[0] != bound["platform"]
    assert 'data-testid="step-records"' in page  # the authentication requests it read


async def test_a_failed_system_is_named_with_a_retry_and_crm_still_shows(live):
    client, session, _account = await _take_691_call(live, "aaa_state_mismatch", "en")
    await live.fault("aaa", "down")  # before the jump reads the step's check
    await client.post(f"/agent/calls/{session.pk}/flow/jump/", {"step": "S3"}, headers=HX)
    page = (await client.get(f"/agent/calls/{session.pk}/page/", headers=HX)).content.decode()
    assert 'data-testid="failed-aaa"' in page and 'data-testid="retry-step-page"' in page
    assert f'hx-get="/agent/calls/{session.pk}/page/?step=S3"' in page
    assert "AAA" in _text(re.search(r'data-testid="failed-aaa">(.*?)</div>', page, re.S).group(1))  # type: ignore[union-attr]
    assert compare_rows(page)["AAA account"]["crm"] == "present"


async def test_a_step_that_reads_no_system_shows_crm_against_the_platforms(live):
    client, session, _account = await _take_691_call(live, "healthy", "en")
    page = (await client.get(f"/agent/calls/{session.pk}/page/", headers=HX)).content.decode()
    assert 'data-testid="panel-comparison"' in page and 'data-testid="step-page"' not in page
    page = (
        await client.get(f"/agent/calls/{session.pk}/page/", {"step": "S2"}, headers=HX)
    ).content.decode()
    assert 'data-check="crm.broadband"' in page and 'data-testid="earlier-step"' in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
async def test_the_seven_areas_render_on_the_call_page(live, language):
    client, session, account = await _take_691_call(live, "healthy", language)
    page = await atext(await client.get(f"/agent/calls/{session.pk}/"))
    assert f'<html lang="{language}">' in page
    shown = 0 if language == "en" else 1
    for area, titles in AREAS.items():
        section = re.search(rf'data-testid="area-{area}"[^>]*>\s*<h2[^>]*>(.*?)</h2>', page, re.S)
        assert section is not None, area
        assert _text(section.group(1)) == titles[shown], area
    for tab, titles in TABS.items():
        assert f'data-testid="tab-{tab}"' in page and titles[shown] in page
    for panel in ("customer", "account", "products", "platforms", "tickets"):
        # Scoped by the call: the panels name its ticket.
        query = f"number={account}&amp;call={session.ticket_id}"
        assert f'hx-get="/agent/panel/{panel}/?{query}"' in page
    assert f'hx-get="/agent/calls/products/?number={account}"' in page
    assert 'data-testid="flow-diagram"' in page and 'id="step-page"' in page
    assert f'href="/agent/?number={account}&amp;phenomenon={PHENOMENON_691}"' in page

    flow = (await client.get(f"/agent/calls/{session.pk}/flow/", headers=HX)).content.decode()
    assert flow.count('data-testid="nav-step"') == len(
        seeding.load(seeding.SEED_DIR / "F-BB-691.yaml")[0].steps
    )
    assert f'hx-post="/agent/calls/{session.pk}/flow/jump/"' in flow
    assert 'hx-vals=\'{"step": "S9"}\'' in flow

    products = await client.get("/agent/calls/products/", {"number": account}, headers=HX)
    assert products.status_code == 200
    assert f'data-number="{account}"' in products.content.decode()
    assert ("Ordered features" if language == "en" else "已订购功能") in products.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
async def test_the_input_page_has_the_areas_that_make_sense_before_the_call(live, language):
    customer = await live.sample("healthy", "broadband")
    client = await _agent_for(live, customer["number"], language)
    response = await client.get(
        "/agent/", {"number": customer["number"], "phenomenon": PHENOMENON_691}
    )
    page = b"".join([chunk async for chunk in response.streaming_content]).decode()
    shown = 0 if language == "en" else 1
    for area, titles in AREAS.items():
        assert f'data-testid="area-{area}"' in page and titles[shown] in page, area
    assert 'data-testid="flow-before-call"' in page and "F-BB-691" not in page
    assert ("has a guided flow" if language == "en" else "有引导流程") in page
    assert 'data-testid="flow-nav-before-call"' in page
    assert 'data-testid="start-call"' in page


async def test_an_agent_of_another_city_gets_no_product_info(live):
    customer = await live.sample("healthy", "broadband")
    truth = await live.truth(customer["number"])
    other = "js-nj-agent" if truth["city"] != "JS-NJ" else "gd-sz-agent"
    client = AsyncClient()
    await client.aforce_login(await User.objects.aget(username=other))
    response = await client.get("/agent/calls/products/", {"number": customer["number"]})
    assert response.status_code == 403
