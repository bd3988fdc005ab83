"""The agent's screens in zh-hans name every value in Chinese: no feature, fact, field, action or
command codes, no Python values (`True`, `None`, `0.0`), no English status words, no "2099-12-31"
expiry and no raw NAS port. Codes may appear only where the agent asks for them: inside an
element marked `data-code` (a small "代码" detail).

The screens are read over HTTP against the sandbox for a few customers, through a whole call:
the workbench and its panels, the call page, the flow panel at every step, auto-diagnosis, each
query step's page, the routing preview, the expert queue and the ticket page."""

import html
import re
from html.parser import HTMLParser

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient

from firstcall.accounts.models import User
from firstcall.navigation import seeding
from firstcall.navigation.models import NavigationSession

HX = {"HX-Request": "true"}
PANELS = ("customer", "account", "products", "platforms", "comparison", "tickets")
# Attributes a person reads (a tooltip, a placeholder, a confirmation dialog).
SHOWN_ATTRIBUTES = ("title", "placeholder", "hx-confirm", "aria-label", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

# Tokens seen on the demo, and values no agent should read.
RAW_WORDS = re.compile(
    r"\b(outgoing|incoming|sms|intl_roaming|start|branch|auto|jump|normal|high|low|urgent|closed|"
    r"open|half_open|active|stopped|suspended|True|False|None|null|true|false)\b"
)
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
UPPER = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z]+\.[a-z_]+\b")  # a command such as hlr.resync
# A step's id (S3, G-MEMORY, A-RESETPW, E-PAY) or a flow's code (F-BB-691): the step's and the
# flow's names say it.
STEP_OR_FLOW = re.compile(r"\b[SGD]\d{1,2}\b|\b[AEFG]-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
ODD = re.compile(r"2099-12-31|\bslot=|vlanid=|=True|=False|\b0\.0\b")
# Names of the telecom standard an expert wrote into a flow's own wording of a step.
AUTHORED = {"GSM_OC"}


class Visible(HTMLParser):
    """The text a person sees: text nodes and shown attributes, outside <script>, <style>,
    <template> and any element marked `data-code`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: hidden from the check

    def _hidden(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        hidden = tag in ("script", "style", "template") or "data-code" in names
        if not (hidden or self._hidden()):
            self.parts += [v for k, v in attrs if k in SHOWN_ATTRIBUTES and v]
        if tag not in VOID:
            self.stack.append(hidden)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._hidden() and "data-code" not in dict(attrs):
            self.parts += [v for k, v in attrs if k in SHOWN_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = Visible()
    parser.feed(page)
    return " ".join(html.unescape(" ".join(parser.parts)).split())


def raw_codes(page: str) -> list[str]:
    """Every raw code in what a person sees of the page (with a little context)."""
    text = visible_text(page)
    found = []
    for pattern in (RAW_WORDS, SNAKE, UPPER, DOTTED, ODD, STEP_OR_FLOW):
        for m in pattern.finditer(text):
            if m.group(0) in AUTHORED:
                continue
            found.append(text[max(0, m.start() - 25) : m.end() + 25])
    return found


def test_the_detector_finds_the_codes_seen_on_the_demo_and_spares_the_rest():
    for page in (
        '<span class="me-2">✓ outgoing</span>',
        "<code>hlr_out_barred</code> = 是",
        "<td>呼出限制 <code>barring_out</code></td>",
        "<p>流程结束: GUIDE_SELF_FIX</p>",
        '<button hx-confirm="向平台下发 hlr.resync？">执行</button>',
        "<li>S1 start</li>",
        "<code>coverage_weak=True</code>",
        "<p>优先级 normal</p>",
        '<span class="badge text-bg-success">closed</span>',
        "<dd>2099-12-31</dd>",
        "<dd>slot=0;subslot=0;port=1;vlanid=1546;vlanid2=3983;</dd>",
        "<dd>0.0</dd>",
        "<dd>None</dd>",
        "<h3>S3 · 查询HLR签约</h3>",
        "<option>A-RESETPW 重置密码</option>",
        "<span>引导流程 F-BB-691 v1</span>",
    ):
        assert raw_codes(page), page
    for page in (
        '<p data-testid="x" class="fc-step_name">下行 100 Mbps，时延 12 ms</p>',
        "<dd>13800000000 · ¥12.50 · 2026-12-07 10:42</dd>",
        "<details data-code><summary>代码</summary><code>hlr_out_barred</code></details>",
        '<span title="barring_out" data-code>呼出限制</span>',
        '<script>const a_b = "GUIDE_SELF_FIX";</script><p>CRM 与 HLR 一致</p>',
        "<p>FTTH · ONT · IPTV · VLAN 1546/3983 · 5G · 工单 YCL2026120700001</p>",
    ):
        assert raw_codes(page) == [], page


def _ensure_demo() -> None:
    from firstcall.orgs.models import OrgUnit

    if not OrgUnit.objects.filter(code="HQ").exists():
        from firstcall.seeding import seed

        seed(demo=True)


async def _client(username: str) -> AsyncClient:
    await sync_to_async(_ensure_demo)()
    client = AsyncClient(headers={"Accept-Language": "zh-hans"})
    client.cookies["firstcall_language"] = "zh-hans"
    await client.aforce_login(await User.objects.aget(username=username))
    return client


async def _get(client: AsyncClient, url: str, **params: str) -> str:
    response = await client.get(url, params, headers=HX)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:  # the workbench: the shell, then its panels in the same answer
        return b"".join([chunk async for chunk in response.streaming_content]).decode()
    return response.content.decode()


async def _post(client: AsyncClient, url: str, **data: str) -> str:
    response = await client.post(url, data, headers=HX)
    assert response.status_code in (200, 204), (url, response.status_code)
    return response.content.decode()


async def _screens(live, condition: str, product: str, phenomenon: str, flow: str) -> dict:
    """Every screen of one call, by name, rendered for the agent of the customer's city."""
    customer = await live.sample(condition, product)
    number = customer["keys"].get(product) or customer["number"]
    city = (await live.truth(customer["number"]))["city"].lower()
    client = await _client(f"{city}-agent")
    pages: dict[str, str] = {}
    pages["workbench"] = await _get(client, "/agent/", number=number, phenomenon=phenomenon)
    for panel in PANELS:
        pages[panel] = await _get(client, f"/agent/panel/{panel}/", number=number)
    pages["product-info"] = await _get(client, "/agent/calls/products/", number=number)

    response = await client.post("/agent/calls/", {"number": number, "phenomenon": phenomenon})
    assert response.status_code == 302, response.content[:300]
    session = await NavigationSession.objects.filter(number=number).alatest("pk")
    base = f"/agent/calls/{session.pk}/"
    pages["call"] = await _get(client, base)
    pages["diagnose"] = await _post(client, f"{base}flow/diagnose/")
    spec = (await sync_to_async(seeding.load)(seeding.SEED_DIR / f"{flow}.yaml"))[0]
    for step in spec.steps.values():
        pages[f"step {step.id}"] = await _post(client, f"{base}flow/jump/", step=step.id)
        if step.kind == "query":
            pages[f"page {step.id}"] = await _get(client, f"{base}page/")
        if step.kind == "action":
            pages[f"comparison {step.id}"] = await _get(
                client, "/agent/panel/comparison/", number=number
            )
    for kind in ("fault", "complaint"):
        pages[f"routing {kind}"] = await _get(client, f"{base}routing/", kind=kind)
    await _post(client, f"{base}end/transfer/", note="请专家看看 HLR 的呼出限制")
    expert = await _client(f"{city}-expert")
    pages["expert queue"] = await _get(expert, "/agent/calls/experts/")
    pages["call transferred"] = await _get(expert, base)
    await _post(expert, f"{base}end/claim/")
    await _post(client, f"{base}end/convert/", kind="complaint", receiving_group="投诉处理组")
    pages["tickets after"] = await _get(client, "/agent/panel/tickets/", number=number)
    ticket = await NavigationSession.objects.select_related("ticket").aget(pk=session.pk)
    pages["ticket"] = await _get(client, f"/tickets/{ticket.ticket.code}/")
    return pages


CALLS = [
    ("hlr_barring_mismatch", "mobile", "MOB-VOICE-01", "F-MOB-NOCALL"),
    ("aaa_state_mismatch", "broadband", "FBB-FTTH-02", "F-BB-691"),
    ("iptv_stb_mismatch", "iptv", "TRM-HGW-02", "F-IPTV-NOPIC"),
    ("healthy", "mobile", "MOB-DATA-01", "F-MOB-DATA"),
]


@pytest.mark.parametrize(("condition", "product", "phenomenon", "flow"), CALLS)
async def test_no_raw_code_on_the_agents_screens_in_chinese(
    live, condition, product, phenomenon, flow
):
    pages = await _screens(live, condition, product, phenomenon, flow)
    found = {name: codes for name, page in pages.items() if (codes := raw_codes(page))}
    assert found == {}, "\n".join(f"{name}: {codes}" for name, codes in found.items())
