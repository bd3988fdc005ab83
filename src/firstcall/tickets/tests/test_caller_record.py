"""What the caller said and the callback number on the call's ticket: checked field by field,
normalised, audited once per change, refused once the call is no longer open, and carried into
the ticket the call is converted into, whose summary names the phenomenon and the words."""

import pytest

from firstcall.core.errors import InvalidTransition, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.navigation import outcomes
from firstcall.navigation.tests.test_calls import agent_ctx, start_call
from firstcall.tickets import services
from firstcall.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("(0755) 8888-1234", "075588881234"),
        ("88881234", "88881234"),
        ("", ""),
    ],
)
def test_a_callback_number_is_kept_without_its_spacing_and_country_code(raw, kept):
    ticket = services.record_caller(agent_ctx(), start_call().ticket, "", raw)
    assert Ticket.objects.get(pk=ticket.pk).callback_number == kept


@pytest.mark.parametrize(
    ("description", "number", "fields"),
    [
        ("x" * 1001, "", {"caller_description"}),
        ("", "12345", {"callback_number"}),
        ("", "1380013800", {"callback_number"}),  # a digit short
        ("", "+1 415 555 0100", {"callback_number"}),
        ("", "10000", {"callback_number"}),
        ("", "１３８００１３８０００", {"callback_number"}),  # full-width digits
        ("", "1３８００１３８０００", {"callback_number"}),
        ("x" * 1001, "abc", {"caller_description", "callback_number"}),
    ],
)
def test_a_bad_description_or_number_is_a_field_error_and_writes_nothing(
    description, number, fields
):
    session = start_call()
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.record_caller(agent_ctx(), session.ticket, description, number)
    assert set(refused.value.errors) == fields
    assert ObjectChange.objects.count() == changes


def test_saving_the_same_words_again_writes_no_second_audit_row():
    session = start_call()
    ctx = agent_ctx()
    before = ObjectChange.objects.count()
    services.record_caller(ctx, session.ticket, " 拨号报691 ", "13800138000")
    services.record_caller(ctx, session.ticket, "拨号报691", "138 0013 8000")
    rows = ObjectChange.objects.filter(object_id=str(session.ticket.pk)).order_by("-pk")
    assert ObjectChange.objects.count() == before + 1
    assert rows[0].after["caller_description"] == "拨号报691"


def test_the_record_is_refused_once_the_call_is_held():
    ctx = agent_ctx()
    session = start_call(ctx)
    Ticket.objects.filter(pk=session.ticket.pk).update(status=Ticket.Status.HELD)
    with pytest.raises(InvalidTransition):
        services.record_caller(ctx, session.ticket, "后来补记", "")


def test_the_converted_ticket_carries_the_words_and_its_summary_names_them():
    ctx = agent_ctx()
    session = start_call(ctx)
    outcomes.record_caller(ctx, session, "昨晚起拨号报691\n重启无效", "13800138000")
    new = outcomes.convert(ctx, session, kind="complaint", receiving_group="宽带支撑")
    assert (new.caller_description, new.callback_number) == (
        "昨晚起拨号报691\n重启无效",
        "13800138000",
    )
    assert new.summary == "FTTH拨号报错691：昨晚起拨号报691 重启无效"


def test_without_the_callers_words_the_summary_is_the_phenomenon():
    ctx = agent_ctx()
    session = start_call(ctx)
    new = outcomes.convert(ctx, session, kind="complaint", receiving_group="宽带支撑")
    assert new.summary == "FTTH拨号报错691" and new.caller_description == ""


def test_an_over_long_receiving_group_is_a_field_error():
    ctx = agent_ctx()
    session = start_call(ctx)
    with pytest.raises(ValidationFailed) as refused:
        outcomes.convert(ctx, session, kind="complaint", receiving_group="组" * 201)
    assert set(refused.value.errors) == {"receiving_group"}
    assert Ticket.objects.get(pk=session.ticket.pk).status == Ticket.Status.OPEN
