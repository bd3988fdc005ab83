"""The repeat flag counts calls, not tickets: one call is one contact, two calls are two and raise
the badge, and a call converted to a fault or complaint ticket is still one contact."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from firstcall.navigation import outcomes, runtime
from firstcall.navigation.tests.test_calls import agent_ctx, start_call
from firstcall.tickets import queries
from firstcall.tickets.models import Ticket

pytestmark = pytest.mark.django_db

CUSTOMER = "4403000000000001"  # the customer of test_calls.start_call


def _badge_shown(concerns: queries.Concerns) -> bool:
    context = {
        "customer": {"ok": True},
        "concerns": concerns,
        "number": "075512345678",
        "panel": "tickets",
    }
    with translation.override("zh-hans"):
        page = render_to_string("customers/partials/tickets.html", context)
    return 'data-testid="repeat-flag"' in page


def test_one_call_is_one_contact_and_no_repeat():
    start_call()
    concerns = queries.concerns(CUSTOMER)
    assert concerns.contacts_30d == 1 and not concerns.repeat
    assert not _badge_shown(concerns)


def test_two_calls_are_two_contacts_and_a_repeat():
    ctx = agent_ctx()
    outcomes.resolve(ctx, start_call(ctx), "已恢复")
    start_call(ctx)
    concerns = queries.concerns(CUSTOMER)
    assert concerns.contacts_30d == 2 and concerns.repeat
    assert concerns.top_phenomena == [("FTTH拨号报错691", 2)]
    assert _badge_shown(concerns)


def test_a_converted_call_is_still_one_contact():
    ctx = agent_ctx()
    session = runtime.jump(ctx, start_call(ctx), "E-FAULT-FIELD")
    fault = outcomes.convert(ctx, session)
    assert fault.converted_from_id == session.ticket.pk
    assert Ticket.objects.filter(customer_id=CUSTOMER).count() == 2  # two tickets, one call
    concerns = queries.concerns(CUSTOMER)
    assert concerns.contacts_30d == 1 and not concerns.repeat
    assert concerns.top_phenomena == [("FTTH拨号报错691", 1)]
    assert concerns.last_contact == session.ticket.opened_at
    assert not _badge_shown(concerns)
