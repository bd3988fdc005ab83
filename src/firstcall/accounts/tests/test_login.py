from datetime import timedelta

import pytest
from django.test import Client

from firstcall.core import clock

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_good_password_signs_in(demo_password):
    client = Client()
    response = attempt(client, "js-nj-agent", demo_password)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_five_wrong_passwords_throttle_the_login(demo_password):
    client = Client()
    now = clock.now()
    with clock.frozen(now):
        for _ in range(4):
            assert attempt(client, "js-nj-agent", "wrong").status_code == 200
        locked = attempt(client, "js-nj-agent", "wrong")
        assert locked.status_code == 429
        # While locked, even the right password is refused, from any address.
        refused = attempt(client, "js-nj-agent", demo_password, address="10.0.0.99")
        assert refused.status_code == 429
        assert "_auth_user_id" not in client.session
        clock.advance(timedelta(minutes=16))
        assert attempt(client, "js-nj-agent", demo_password, address="10.0.0.99").status_code == 302


def test_failures_from_one_address_lock_that_address_for_other_names(demo_password):
    client = Client()
    with clock.frozen(clock.now()):
        for name in ["a", "b", "c", "d", "e"]:
            attempt(client, name, "wrong", address="10.9.9.9")
        assert attempt(client, "js-sz-agent", demo_password, address="10.9.9.9").status_code == 429
        assert attempt(client, "js-sz-agent", demo_password, address="10.9.9.10").status_code == 302


def test_logout_needs_post_and_ends_the_session(login_client):
    client = login_client("js-nj-agent")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2_outside_tests(settings):
    from django.contrib.auth.hashers import get_hasher

    assert "Argon2PasswordHasher" in [h.rsplit(".", 1)[-1] for h in settings.PASSWORD_HASHERS]
    assert get_hasher("argon2").algorithm == "argon2"


def test_session_cookie_is_http_only_and_same_site(settings, demo_password):
    client = Client()
    attempt(client, "js-nj-agent", demo_password)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
