"""zh-hans is the interface language whatever the browser asks for, unless the user chose
English: the choice is kept on the user, and sign-in brings it back in a new browser."""

import pytest
from django.test import Client

from firstcall.accounts.models import User

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _lang(page: bytes) -> str:
    return page.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_an_english_browser_gets_chinese_on_the_sign_in_page():
    response = Client().get("/accounts/login/", **ENGLISH_BROWSER)
    assert _lang(response.content) == "zh-hans"
    assert "登录" in response.content.decode()


def test_an_english_browser_gets_chinese_when_the_user_chose_nothing(login_client):
    page = login_client("js-nj-agent").get("/", **ENGLISH_BROWSER)
    assert _lang(page.content) == "zh-hans" and "坐席工作台" in page.content.decode()
    assert page["Content-Language"] == "zh-hans"


def test_a_user_who_chooses_english_gets_english_and_keeps_it(login_client, demo_password):
    client = login_client("js-nj-agent")
    response = client.post("/accounts/language/", {"language": "en", "next": "/agent/"})
    assert response.status_code == 302 and response["Location"] == "/agent/"
    assert User.objects.get(username="js-nj-agent").language == "en"
    assert _lang(client.get("/").content) == "en"

    # Another browser, which asks for Chinese: signing in brings the user's English back.
    other = Client()
    assert _lang(other.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content) == "zh-hans"
    signed_in = other.post(
        "/accounts/login/", {"username": "js-nj-agent", "password": demo_password}
    )
    assert signed_in.status_code == 302
    assert _lang(other.get("/").content) == "en"

    # Back to Chinese: the choice is the default again, on the user and in the browser.
    client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert User.objects.get(username="js-nj-agent").language == "zh-hans"
    assert _lang(client.get("/", **ENGLISH_BROWSER).content) == "zh-hans"


def test_signing_in_as_a_user_without_a_choice_drops_the_last_users_english(demo_password):
    client = Client()
    client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
    assert _lang(client.get("/accounts/login/").content) == "en"  # the sign-in page's choice
    client.post("/accounts/login/", {"username": "js-nj-agent", "password": demo_password})
    assert _lang(client.get("/", **ENGLISH_BROWSER).content) == "zh-hans"


def test_a_language_firstcall_does_not_speak_is_refused_and_an_outside_next_is_ignored(
    login_client,
):
    client = login_client("js-nj-agent")
    assert client.post("/accounts/language/", {"language": "fr"}).status_code == 400
    response = client.post(
        "/accounts/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
