"""The main screens under the Content-Security-Policy in a real Chromium: no violation reported
(console "Refused to …" or a `securitypolicyviolation` event), no Alpine expression the CSP build
cannot read, and the interactive parts still work — Alpine toggles, htmx panels, the bpmn-js
diagram, the rule editor's rows and its confirm.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest src/firstcall/web/tests/test_csp.py -q
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from firstcall.customers.tests.test_browser import SandboxThread
from firstcall.customers.tests.test_browser import sandbox as sandbox
from firstcall.web.tests.test_browser import page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser

# Runs before any page script (Playwright injects it outside the page's CSP).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                           (e.sourceFile || "") + ":" + e.lineNumber);
});
"""
BAD_CONSOLE = re.compile(
    r"Refused to|Content Security Policy|Alpine Expression Error|Alpine Warning|unsafe-eval",
    re.IGNORECASE,
)


class Watch:
    """Console lines and violation events of every page the browser opens."""

    def __init__(self, browser_page: Page) -> None:
        self.page = browser_page
        self.console: list[str] = []
        self.errors: list[str] = []
        browser_page.add_init_script(WATCH)
        browser_page.on("console", self._console)
        browser_page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: ConsoleMessage) -> None:
        if BAD_CONSOLE.search(message.text):
            self.console.append(f"{message.type}: {message.text}")

    def assert_clean(self, where: str) -> None:
        violations = self.page.evaluate("window.__violations || []")
        assert violations == [], f"{where}: {violations}"
        assert self.console == [], f"{where}: {self.console}"
        assert self.errors == [], f"{where}: {self.errors}"


@pytest.fixture
def watch(page: Page) -> Iterator[Watch]:  # noqa: F811
    yield Watch(page)


def test_sign_in_and_home_under_the_policy(page: Page, site: str, watch: Watch, demo_password):  # noqa: F811
    page.goto(f"{site}/accounts/login/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    watch.assert_clean("login")
    sign_in(page, site, "js-nj-agent", demo_password)
    expect(page.get_by_test_id("tiles")).to_be_visible()
    # The language switch is a plain form post (form-action 'self', then a redirect).
    page.get_by_test_id("language-switch").locator("button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    watch.assert_clean("home")


def test_workbench_and_call_page_work_under_the_policy(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    sandbox: SandboxThread,
    watch: Watch,
    demo_password: str,
) -> None:
    found = sandbox.admin("GET", "/samples?condition=aaa_binding_stale&limit=20")["customers"]
    customer = next(c for c in found if "broadband" in c["keys"])
    city = sandbox.admin("GET", f"/customers/{customer['number']}")["city"]
    account = customer["keys"]["broadband"]
    sign_in(page, site, f"{city.lower()}-agent", demo_password)

    page.goto(f"{site}/agent/?number={account}")
    # htmx loads each panel on its own.
    expect(page.get_by_test_id("customer-name")).to_be_visible()
    # The phenomenon picker (an Alpine component): search, choose, see the choice, clear it.
    picker = page.get_by_test_id("phenomenon-picker")
    picker.locator("input[type=search]").fill("691")
    picker.get_by_role("option").first.click()
    chosen = page.get_by_test_id("phenomenon-chosen")
    expect(chosen).to_be_visible()
    expect(page.get_by_test_id("phenomenon-code")).not_to_have_value("")
    page.get_by_test_id("look-up").click()
    expect(page).to_have_url(re.compile(r"phenomenon=FBB"))
    expect(page.get_by_test_id("customer-name")).to_be_visible()
    # The function tabs (Alpine x-show / :class): product info opens, platform info closes.
    products_tab = page.get_by_test_id("tab-product-info")
    products_tab.click()
    expect(products_tab).to_have_class(re.compile(r"\bactive\b"))
    expect(page.get_by_test_id("pane-product-info")).to_be_visible()
    expect(page.get_by_test_id("pane-platform-info")).to_be_hidden()
    page.get_by_test_id("tab-platform-info").click()
    expect(page.get_by_test_id("pane-platform-info")).to_be_visible()
    expect(page.get_by_test_id("pane-product-info")).to_be_hidden()
    shot(page, "30-csp-workbench.png")
    watch.assert_clean("workbench")

    page.get_by_test_id("start-call").click()
    expect(page.get_by_test_id("ticket-code")).to_contain_text("YCL")
    # bpmn-js draws the flow: the script marks the box ready and the SVG has the current step.
    diagram = page.get_by_test_id("flow-diagram")
    expect(diagram).to_have_attribute("data-ready", "true")
    expect(diagram.locator("svg .djs-element").first).to_be_attached()
    expect(diagram.locator(".fc-current")).to_have_count(1)
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S1")
    shot(page, "31-csp-call.png")
    watch.assert_clean("call page")

    page.get_by_test_id("ticket-code").first.click()
    expect(page.get_by_test_id("ticket-header")).to_be_visible()
    watch.assert_clean("ticket page")


def test_back_office_screens_work_under_the_policy(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    watch: Watch,
    demo_password: str,
) -> None:
    sign_in(page, site, "admin", demo_password)

    page.goto(f"{site}/orgs/")
    expect(page.get_by_test_id("unit-table")).to_be_visible()
    rows = page.get_by_test_id("unit-table").locator("tbody tr")
    before = rows.count()
    page.locator("form[hx-get] input[name=q]").fill("JS-NJ")  # htmx filters as one types
    expect(page).to_have_url(re.compile(r"q=JS-NJ"))
    assert 0 < rows.count() < before
    watch.assert_clean("org units")

    page.goto(f"{site}/audit/")
    expect(page.get_by_test_id("change-table")).to_be_visible()
    watch.assert_clean("audit log")

    page.goto(f"{site}/integrations/")
    expect(page.get_by_test_id("system-table")).to_be_visible()
    expect(page.get_by_test_id("probe-results")).to_be_attached()  # loaded by htmx
    watch.assert_clean("back-end systems")

    page.goto(f"{site}/rules/")
    page.get_by_role("link", name="ticket-routing").click()
    page.get_by_test_id("new-draft").click()
    editor = page.get_by_test_id("draft-editor")
    rows = editor.get_by_test_id("edit-row")
    count = rows.count()
    page.get_by_test_id("add-row").click()  # Alpine component: a row from the template
    expect(rows).to_have_count(count + 1)
    rows.last.locator("input[name=when]").fill('kind == "fault"')
    rows.last.get_by_role("button", name="↑").click()  # moved above the row before it
    expect(rows.nth(count - 1).locator("input[name=when]")).to_have_value('kind == "fault"')
    rows.nth(count - 1).get_by_test_id("remove-row").click()
    expect(rows).to_have_count(count)
    # Discard asks first (data-confirm); saying no keeps the draft.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("discard").click()
    expect(page.get_by_test_id("draft-editor")).to_be_visible()
    shot(page, "32-csp-rules.png")
    watch.assert_clean("rule editor")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("discard").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)

    page.goto(f"{site}/api/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    page.goto(f"{site}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    watch.assert_clean("API docs and admin")
