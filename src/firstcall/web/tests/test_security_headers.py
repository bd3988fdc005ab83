"""Security headers through HTTP: the Content-Security-Policy (with the request's nonce) on every
page, HSTS when configured, the cookie flags docs/foundation.md states, and the sign-in throttle
keyed on the client address behind a trusted proxy."""

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from firstcall.accounts.models import LoginThrottle, User
from firstcall.core import clock
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit
from firstcall.rules.models import RuleSet

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'")
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.DOTALL)
SRC_DIR = Path(__file__).resolve().parents[2]


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def assert_page_is_protected(url: str, response) -> None:
    """A full HTML document: the policy names the nonce; every script is one of our static files
    or carries the nonce."""
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("text/html"), url
    header = response.get("Content-Security-Policy", "")
    found = NONCE.search(header)
    assert found, f"{url}: no nonce in {header!r}"
    # The workbench streams its panels after the shell: the whole answer is the page.
    body = b"".join(response).decode() if response.streaming else response.content.decode()
    assert "<html" in body, url
    tags = SCRIPT_TAG.findall(body)
    assert tags, f"{url}: no scripts at all?"
    for tag in tags:
        source = re.search(r'src="([^"]*)"', tag)
        if source:
            assert source.group(1).startswith("/static/"), f"{url}: {tag} is not ours"
        elif 'type="application/json"' not in tag:
            assert f'nonce="{found.group(1)}"' in tag, f"{url}: {tag} lacks the nonce"
    assert not INLINE_HANDLER.search(body), f"{url}: inline event handler"
    assert "unsafe-eval" not in header and "javascript:" not in body


def admin_pages() -> list[str]:
    unit = OrgUnit.objects.get(code="JS-NJ")
    change = ObjectChange.objects.order_by("-pk").first()
    assert change is not None
    rule_set = RuleSet.objects.order_by("key").first()
    assert rule_set is not None
    return [
        "/",
        "/agent/",
        "/agent/?number=13800000000",
        "/agent/calls/experts/",
        "/accounts/users/",
        f"/accounts/users/{User.objects.get(username='js-nj-agent').pk}/",
        "/orgs/",
        f"/orgs/{unit.pk}/",
        f"/orgs/{unit.pk}/add/",
        "/audit/",
        f"/audit/{change.pk}/",
        "/integrations/",
        "/integrations/calls/",
        "/integrations/crm/edit/",
        "/taxonomy/",
        "/rules/",
        f"/rules/{rule_set.key}/",
    ]


def test_every_page_carries_the_policy_with_a_nonce(login_client):
    client = login_client("admin")
    for url in admin_pages():
        assert_page_is_protected(url, client.get(url))


def test_the_sign_in_page_and_an_agents_call_page_carry_the_policy(client):
    from firstcall.navigation.tests.test_calls import agent_ctx, start_call

    assert_page_is_protected("/accounts/login/", client.get("/accounts/login/"))
    session = start_call(agent_ctx("gd-sz-agent"))
    agent = Client()
    agent.force_login(User.objects.get(username="gd-sz-agent"))
    for url in [f"/agent/calls/{session.pk}/", f"/tickets/{session.ticket.code}/"]:
        assert_page_is_protected(url, agent.get(url))


def test_every_page_without_arguments_is_covered_by_the_policy(login_client):
    """Walks the URL configuration, so a new screen cannot go out without the policy."""
    client = login_client("admin")
    seen = 0
    for url in _plain_urls():
        response = client.get(url)
        kind = response.get("Content-Type", "")
        assert "Content-Security-Policy" in response, url
        document = kind.startswith("text/html") and "<html" in response.content.decode()
        if response.status_code == 200 and document:
            assert_page_is_protected(url, response)
            seen += 1
    assert seen >= 10


def _plain_urls(resolver: URLResolver | None = None, prefix: str = "/") -> list[str]:
    skip = ("/api/", "/admin/", "/accounts/logout/")
    urls: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            urls += _plain_urls(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            url = prefix + route
            if not url.startswith(skip):
                urls.append(url)
    return urls


async def test_the_policy_is_set_when_the_middleware_chain_runs_async(async_client):
    """Under uvicorn the chain is async: the agent's panels never leave the event loop."""
    response = await async_client.get("/accounts/login/")
    assert response.status_code == 200
    found = NONCE.search(response["Content-Security-Policy"])
    assert found and f'nonce="{found.group(1)}"' in response.content.decode()


def test_the_api_answers_without_needing_a_nonce(login_client):
    response = login_client("admin").get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    # The policy (when any) has no nonce: nothing in JSON runs in a browser.
    assert "'nonce-" not in response.get("Content-Security-Policy", "")


def test_the_policy_forbids_framing_plugins_foreign_forms_and_eval(client):
    directives = policy(client.get("/accounts/login/"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert "unsafe-eval" not in directives["script-src"]
    assert "unsafe-inline" not in directives["script-src"]


def test_each_response_gets_its_own_nonce(client):
    first = NONCE.search(client.get("/accounts/login/")["Content-Security-Policy"])
    second = NONCE.search(client.get("/accounts/login/")["Content-Security-Policy"])
    assert first and second and first.group(1) != second.group(1)


def test_no_template_has_an_inline_handler_or_a_script_without_src_or_nonce():
    problems = []
    for path in SRC_DIR.glob("*/templates/**/*.html"):
        text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
        for match in INLINE_HANDLER.finditer(text):
            problems.append(f"{path.relative_to(SRC_DIR)}: {match.group(0)[:80]}")
        for tag in SCRIPT_TAG.findall(text):
            runs = "src=" in tag or 'type="application/json"' in tag
            if not runs and "csp_nonce" not in tag:
                problems.append(f"{path.relative_to(SRC_DIR)}: {tag}")
        if re.search(r"""hx-(vals|vars)=['"]\s*js:""", text):
            problems.append(f"{path.relative_to(SRC_DIR)}: hx-vals with js:")
    assert problems == []


# ---- cookies -------------------------------------------------------------------------------------


def test_csrf_and_session_cookies_are_http_only_and_same_site_lax(settings, demo_password):
    client = Client()
    client.get("/accounts/login/")
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True and csrf["samesite"] == "Lax"
    client.post("/accounts/login/", {"username": "js-nj-agent", "password": demo_password})
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True and session["samesite"] == "Lax"


def test_htmx_posts_carry_the_token_from_the_page_not_the_cookie(login_client):
    """With the cookie HttpOnly, no script can read it: htmx sends the token that <body> holds."""
    client = login_client("hq-admin")
    client.handler.enforce_csrf_checks = True
    page = client.get("/").content.decode()
    token = re.search(r"""hx-headers='\{"X-CSRFToken": "([^"]+)"\}'""", page)
    assert token, "the page gives htmx no CSRF token"
    refused = client.post("/accounts/language/", {"language": "en", "next": "/"})
    assert refused.status_code == 403
    accepted = client.post(
        "/accounts/language/", {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=token.group(1)
    )
    assert accepted.status_code == 302


def _settings_in_a_fresh_process(**env: str) -> dict[str, str]:
    script = (
        "import firstcall.settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_SECURE)"
    )
    names = ["hsts", "subdomains", "preload", "csrf_httponly", "csrf_secure", "session_secure"]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FIRSTCALL_HSTS", "DEBUG"))}
    run = subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "FIRSTCALL_TESTING": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return dict(zip(names, run.stdout.split(), strict=True))


def test_hsts_is_off_by_default_and_set_from_the_environment():
    default = _settings_in_a_fresh_process(FIRSTCALL_SECURE_COOKIES="true")
    assert default["hsts"] == "0" and default["subdomains"] == "False"
    assert default["csrf_httponly"] == "True"
    assert default["csrf_secure"] == default["session_secure"] == "True"
    on = _settings_in_a_fresh_process(
        FIRSTCALL_HSTS_SECONDS="31536000",
        FIRSTCALL_HSTS_INCLUDE_SUBDOMAINS="true",
        FIRSTCALL_HSTS_PRELOAD="1",
    )
    assert (on["hsts"], on["subdomains"], on["preload"]) == ("31536000", "True", "True")


def test_hsts_header_on_https_when_configured(settings):
    # SecurityMiddleware reads its settings when a client first loads it: a new client each time.
    settings.SECURE_HSTS_SECONDS = 0
    assert "Strict-Transport-Security" not in Client().get("/accounts/login/", secure=True)
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False
    client = Client()
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    # Never on plain HTTP: a browser ignores it there, and the demo runs on plain HTTP.
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


# ---- the sign-in throttle and the client address -----------------------------------------------


def attempt(username: str, password: str, remote: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_one_office_behind_a_trusted_proxy_does_not_lock_out_another(settings, demo_password):
    settings.FIRSTCALL_TRUSTED_PROXIES = ["10.20.0.0/16"]
    with clock.frozen(clock.now()):
        for name in ["a", "b", "c", "d", "e"]:
            attempt(name, "wrong", "10.20.0.5", "198.51.100.7")
        assert LoginThrottle.objects.get(key="addr:198.51.100.7").locked_until is not None
        assert not LoginThrottle.objects.filter(key="addr:10.20.0.5").exists()
        locked = attempt("js-sz-agent", demo_password, "10.20.0.5", "198.51.100.7")
        assert locked.status_code == 429
        # The next office comes through the same proxy, and signs in.
        other = attempt("js-sz-agent", demo_password, "10.20.0.6", "198.51.100.8")
        assert other.status_code == 302


def test_a_spoofed_forwarded_for_from_an_untrusted_client_does_not_escape_the_lock(
    settings, demo_password
):
    settings.FIRSTCALL_TRUSTED_PROXIES = ["10.20.0.0/16"]
    with clock.frozen(clock.now()):
        for i, name in enumerate(["a", "b", "c", "d", "e"]):
            attempt(name, "wrong", "203.0.113.50", f"198.51.100.{i}")
        assert LoginThrottle.objects.get(key="addr:203.0.113.50").locked_until is not None
        refused = attempt("js-sz-agent", demo_password, "203.0.113.50", "198.51.100.99")
        assert refused.status_code == 429


def test_without_trusted_proxies_forwarded_for_is_ignored(settings, demo_password):
    settings.FIRSTCALL_TRUSTED_PROXIES = []
    with clock.frozen(clock.now()):
        for i, name in enumerate(["a", "b", "c", "d", "e"]):
            attempt(name, "wrong", "10.20.0.5", f"198.51.100.{i}")
        assert attempt("js-sz-agent", demo_password, "10.20.0.5", "1.2.3.4").status_code == 429
