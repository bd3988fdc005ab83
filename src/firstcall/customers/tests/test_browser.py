"""The agent screen in a real Chromium: a demo number that the sandbox's ground truth says has an
HLR/CRM mismatch shows it in the comparison; one click (confirmed) repairs it; the screen and the
ground truth show it fixed.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest src/firstcall/customers/tests/test_browser.py -q
Screenshots go to test-artifacts/screenshots/.
"""

import asyncio
import json
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from playwright.sync_api import Page, expect

from firstcall.customers.models import Repair
from firstcall.integrations import registry
from firstcall.integrations.tests.live_sandbox import _register
from firstcall.sandbox.config import SandboxConfig
from firstcall.sandbox.server import make_app
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser


class SandboxThread:
    """The sandbox on a loopback port, served from its own thread and event loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.base = ""

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(make_app(SandboxConfig(latency=False)))
        self.loop.run_until_complete(runner.setup())
        tcp = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(tcp.start())
        port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def __enter__(self) -> "SandboxThread":
        self.thread.start()
        assert self.ready.wait(10), "the sandbox did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.base}/_admin{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


@pytest.fixture
def sandbox(site: str) -> Iterator[SandboxThread]:  # noqa: F811
    with SandboxThread() as sandbox:
        _register(sandbox.base)
        registry.forget_configs()
        registry.reset_breakers()
        yield sandbox
    registry.forget_configs()


def test_agent_sees_an_hlr_mismatch_repairs_it_and_sees_it_fixed(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    sandbox: SandboxThread,
    demo_password: str,
) -> None:
    sample = sandbox.admin("GET", "/samples?condition=hlr_barring_mismatch&limit=20")["customers"]
    number = next(c["number"] for c in sample if "mobile" in c["keys"])
    sandbox.admin(
        "PUT", f"/customers/{number}/conditions", {"conditions": ["hlr_barring_mismatch"]}
    )
    truth = sandbox.admin("GET", f"/customers/{number}")
    assert truth["conditions"] == ["hlr_barring_mismatch"]

    sign_in(page, site, f"{truth['city'].lower()}-agent", demo_password)
    page.goto(f"{site}/agent/")
    page.get_by_test_id("input-area").locator("input[name=number]").fill(number)
    picker = page.get_by_test_id("phenomenon-picker")
    picker.locator("input[type=search]").fill("sjwfbddh")
    picker.get_by_role("option").first.click()
    expect(page.get_by_test_id("phenomenon-chosen")).to_be_visible()
    page.get_by_test_id("look-up").click()

    expect(page.get_by_test_id("customer-name")).to_be_visible()
    row = page.locator('[data-testid=mismatch][data-platform="hlr"][data-field="barring_out"]')
    expect(row).to_be_visible()
    expect(page.get_by_test_id("read-hlr.subscriber")).to_be_visible()
    shot(page, "03-agent-hlr-mismatch.png")

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("repair").click()
    expect(page.get_by_test_id("repair-result")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("consistent")).to_be_visible()
    expect(page.get_by_test_id("repairs")).to_be_visible()  # the tickets panel reloaded
    shot(page, "04-agent-hlr-repaired.png")

    assert sandbox.admin("GET", f"/customers/{number}")["conditions"] == []
    repair = Repair.objects.get(number=number)
    assert repair.status == Repair.Status.SUCCEEDED and repair.verified
