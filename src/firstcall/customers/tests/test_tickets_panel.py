"""The tickets panel shows where each open ticket stands in the back office and, for a past
ticket, the reply the customer was given (an archived complaint's reply comes back to the
agent who took the next call)."""

from firstcall.core import clock
from firstcall.customers.tests.test_dead_ends import NANJING, _panel, numbers  # noqa: F401
from firstcall.orgs.models import OrgUnit
from firstcall.tickets.models import Ticket


def _ticket(code: str, status: str, **fields: str) -> Ticket:
    return Ticket.objects.create(
        code=code,
        kind=Ticket.Kind.COMPLAINT,
        status=status,
        unit=OrgUnit.objects.get(code="JS-NJ"),
        customer_id="C-NJ",
        service_number=NANJING,
        phenomenon="手机无法拨打电话",
        opened_at=clock.now(),
        **fields,
    )


def test_open_tickets_say_their_step_and_past_ones_the_reply(login_client, numbers):  # noqa: F811
    _ticket("TS-OPEN-1", Ticket.Status.IN_PROGRESS, current_step="网优处理")
    _ticket("TS-DONE-1", Ticket.Status.ARCHIVED, reply="基站已扩容，信号已恢复。")
    _ticket("TS-DONE-2", Ticket.Status.ARCHIVED)
    status, page = _panel(login_client("js-nj-agent"), "tickets", NANJING)
    assert status == 200
    opened = page.split('data-testid="open-tickets"', 1)[1].split("</ul>", 1)[0]
    past = page.split('data-testid="past-tickets"', 1)[1].split("</ul>", 1)[0]
    assert "TS-OPEN-1" in opened and "处理中 · 网优处理" in opened
    done = past.split('data-ticket="TS-DONE-1"', 1)[1].split("</li>", 1)[0]
    assert 'data-testid="ticket-reply"' in done and "基站已扩容，信号已恢复。" in done
    other = past.split('data-ticket="TS-DONE-2"', 1)[1].split("</li>", 1)[0]
    assert "ticket-reply" not in other
