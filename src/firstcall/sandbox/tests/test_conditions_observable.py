"""Every condition shows through the systems' own endpoints, and a healthy customer does not."""

import pytest

from firstcall.sandbox.conditions import BY_NAME, REPAIR_REJECTED
from firstcall.sandbox.tests.checks import load
from firstcall.sandbox.tests.conftest import force, healthy_customer
from firstcall.sandbox.tests.views import Views

CHECKS = load()
OBSERVABLE = sorted(set(BY_NAME) - {REPAIR_REJECTED.name})


def test_every_condition_has_a_check():
    assert set(CHECKS) == set(OBSERVABLE)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", OBSERVABLE)
async def test_condition_is_observable_through_the_systems(client, sandbox, name):
    spec = CHECKS[name]
    c = healthy_customer(sandbox, name, spec.fits)
    assert not await spec.predicate(Views(client, c)), "the healthy customer already shows it"
    await force(client, c.service_number, name)
    assert await spec.predicate(Views(client, c)), f"{name} does not show in the systems"
