"""Shared fixtures: a database built by migrations, seeded with the demo org tree once per run."""

import os

import pytest
from django.test import Client

os.environ.setdefault("FIRSTCALL_TESTING", "1")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    from firstcall.seeding import seed

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        seed(demo=True)


@pytest.fixture(autouse=True)
def _interface_language():
    """Each test starts in the default language: a request served in the test's thread leaves
    its language active there (as every request on a server thread does until the next one)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_answers_from_an_earlier_test():
    """The answers just read in this process (`customers.cache.just_read`) belong to the test
    that read them: the next test's sandbox may answer otherwise for the same number."""
    from firstcall.customers import cache

    cache.forget_all_recent()
    yield


@pytest.fixture
def demo_password() -> str:
    from firstcall.seeding import demo_password

    return demo_password()


@pytest.fixture
def login_client(db: None):
    """Returns a function that gives a Django test client signed in as a demo user."""

    def make(username: str) -> Client:
        from firstcall.accounts.models import User

        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture
def unit():
    """Look up a demo org unit by code."""
    from firstcall.orgs.models import OrgUnit

    return lambda code: OrgUnit.objects.get(code=code)


@pytest.fixture
def user():
    from firstcall.accounts.models import User

    return lambda username: User.objects.get(username=username)
