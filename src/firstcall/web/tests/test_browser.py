"""End-to-end check of sign-in, home, language switch and sign-out in a real Chromium.

Run: FIRSTCALL_TESTING=1 .venv/bin/pytest src/firstcall/web/tests/test_browser.py -q
Screenshots go to test-artifacts/screenshots/ at the repository root.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = next(p for p in Path(__file__).resolve().parents if p.name == "src").parent
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
AGENT, AGENT_UNIT = "js-nj-agent", "南京10000号一班"

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server) -> str:
    """The live server's address, with the demo data re-seeded (transactional tests flush it)."""
    from firstcall.seeding import seed

    seed(demo=True)
    return live_server.url


@pytest.fixture
def page() -> Iterator[Page]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found; install Debian's chromium package to run browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        # A Chinese browser, as the call-centre staff use; the site's default language is zh-hans.
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / name, full_page=True)


def sign_in(page: Page, site: str, username: str, password: str) -> None:
    page.goto(f"{site}/accounts/login/")
    form = page.get_by_test_id("login-form")
    expect(form).to_be_visible()
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def choose_language(page: Page, code: str) -> None:
    page.get_by_test_id("language-switch").locator(f"button[name=language][value='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_sign_in_switch_language_and_sign_out(site: str, page: Page, demo_password: str) -> None:
    page.goto(f"{site}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    shot(page, "01-login.png")

    sign_in(page, site, AGENT, demo_password)
    expect(page).to_have_url(f"{site}/")
    expect(page.get_by_test_id("current-user")).to_be_visible()
    expect(page.get_by_test_id("tiles")).to_be_visible()
    expect(page.get_by_test_id("memberships")).to_contain_text(AGENT_UNIT)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shot(page, "02-home-zh-hans.png")

    switch = page.get_by_test_id("language-switch")
    choose_language(page, "en")
    expect(page).to_have_url(f"{site}/")
    expect(switch.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    expect(switch.get_by_role("button", name="简体中文")).not_to_have_attribute(
        "aria-current", "true"
    )
    expect(page.get_by_test_id("memberships")).to_contain_text(AGENT_UNIT)
    shot(page, "03-home-en.png")

    choose_language(page, "zh-hans")
    expect(switch.get_by_role("button", name="简体中文")).to_have_attribute("aria-current", "true")

    page.locator("form[action$='/accounts/logout/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_test_id("login-form")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    shot(page, "04-after-logout.png")

    page.goto(f"{site}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_test_id("login-form")).to_be_visible()


def test_wrong_password_shows_error(site: str, page: Page, demo_password: str) -> None:
    sign_in(page, site, AGENT, demo_password + "-wrong")
    expect(page).to_have_url(f"{site}/accounts/login/")
    expect(page.get_by_test_id("login-form").get_by_role("alert")).to_be_visible()
    expect(page.get_by_test_id("login-form").locator("input[name=username]")).to_have_value(AGENT)
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    shot(page, "05-login-error.png")
