"""The generic defences: the input guard (400 on NUL or broken characters, in the caller's form:
page, htmx partial, problem+json), the column limits checked before every save, the parsing
helpers and form fields the list filters use, and a refused form rolling its request back."""

import pytest
from django import forms
from django.db import connection
from django.test import Client

from firstcall.core.errors import ValidationFailed
from firstcall.core.forms import FilterForm, FormWrite, IdField, TextField
from firstcall.core.inputs import (
    MAX_ID,
    find_forbidden,
    parse_choice,
    parse_date,
    parse_id,
    parse_int,
    parse_page,
)
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit

PROBLEM = "application/problem+json"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/orgs/?q=a%00b", "/orgs/?a%00=1", "/audit/?actor=%00", "/accounts/users/?unit=%00"]
)
def test_a_nul_in_a_query_parameter_is_a_400_page(login_client, url):
    response = login_client("hq-admin").get(url)
    assert response.status_code == 400
    assert 'data-status="400"' in response.content.decode()
    assert "<html" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_from_htmx_gets_the_message_partial(login_client):
    response = login_client("hq-admin").get("/orgs/?q=%00", headers={"HX-Request": "true"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-status="400"' in body and "<html" not in body


@pytest.mark.django_db
def test_a_nul_in_an_api_query_is_a_400_problem(login_client):
    response = login_client("hq-admin").get("/api/orgs/units?level=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"].endswith("forbidden_characters")


@pytest.mark.django_db
@pytest.mark.parametrize("content", ["form", "urlencoded"])
def test_a_nul_in_a_form_field_is_refused_before_the_view_writes(login_client, unit, content):
    target = unit("JS-NJ")
    client = login_client("hq-admin")
    before = ObjectChange.objects.count()
    data = {"name": "南京\x00", "kind": target.kind}
    if content == "form":
        response = client.post(f"/orgs/{target.pk}/edit/", data)
    else:
        body = "name=%E5%8D%97%00&kind=" + target.kind
        response = client.post(
            f"/orgs/{target.pk}/edit/", body, content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 400
    target.refresh_from_db()
    assert "\x00" not in target.name
    assert ObjectChange.objects.count() == before


@pytest.mark.django_db
def test_a_broken_utf8_query_is_read_without_error(login_client):
    # Django decodes it with replacement characters: nothing broken reaches a view.
    assert login_client("hq-admin").get("/orgs/?q=%ED%A0%80%FF").status_code == 200


@pytest.mark.django_db
def test_a_cookie_holding_a_nul_is_dropped_not_looked_up():
    # "\000" in a quoted cookie unquotes to a NUL; on PostgreSQL the session lookup would fail.
    cookie = 'firstcall_session="\\000abcdefgh"'
    response = Client().get("/orgs/", HTTP_COOKIE=cookie)
    assert "firstcall_session" not in response.wsgi_request.COOKIES
    assert response.status_code == 302  # an anonymous visitor, sent to sign in


@pytest.mark.django_db
def test_the_login_form_refuses_a_nul_with_a_400():
    response = Client().post("/accounts/login/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("name", "长" * 101), ("code", "X" * 41), ("name", "a\x00b")]
)
def test_every_save_respects_the_column_limits_on_both_databases(unit, field, value):
    target = unit("JS-NJ")
    setattr(target, field, value)
    with pytest.raises(ValidationFailed) as excinfo:
        target.save()
    assert field in excinfo.value.errors
    assert OrgUnit.objects.get(pk=target.pk).name != value


@pytest.mark.django_db
def test_a_save_of_named_fields_checks_only_those(unit):
    target = unit("JS-NJ")
    target.name = "x" * 500  # not saved: only `kind` is
    target.save(update_fields=["kind"])
    assert OrgUnit.objects.get(pk=target.pk).name != target.name


def test_parse_id_takes_only_ascii_digits_within_a_primary_keys_range():
    assert parse_id("42") == 42
    assert parse_id(" 7 ") == 7
    for bad in ("²", "٣", "-1", "0", "1.5", "1e3", str(MAX_ID + 1), "9" * 40, "", None, "\x00"):
        assert parse_id(bad) is None, bad


def test_parse_int_clamps_and_falls_back():
    assert parse_int("-5", minimum=0, maximum=10, default=3) == 0
    assert parse_int(str(2**64), minimum=0, maximum=10, default=3) == 3  # too long to be a number
    assert parse_int("99", minimum=0, maximum=10, default=3) == 10
    assert parse_int("²", minimum=0, maximum=10, default=3) == 3
    assert parse_page("0") == 1 and parse_page("abc") == 1 and parse_page("4") == 4


def test_parse_date_refuses_dates_that_do_not_exist():
    assert parse_date("2031-02-28") is not None
    for bad in ("2031-02-30", "2031-13-01", "31-02-2031", "２０３１-01-01", "", None):
        assert parse_date(bad) is None, bad


def test_parse_choice_and_find_forbidden():
    assert parse_choice("city", ["city", "province"]) == "city"
    assert parse_choice("galaxy", ["city"]) == ""
    assert find_forbidden({"a": [1, {"b": "x\x00"}]})
    assert find_forbidden({"k\ud800": 1})
    assert not find_forbidden({"a": ["\u202e", "é"]})


class _Filters(FilterForm):
    q = TextField(max_length=10)
    unit = IdField()
    level = forms.ChoiceField(choices=[("city", "city")])


def test_a_filter_form_drops_what_does_not_parse():
    values = _Filters({"q": "南京", "unit": "²", "level": "galaxy", "page": "-3"}).values()
    assert values == {"q": "南京"}
    values = _Filters({"q": "x" * 11, "unit": "12", "level": "city", "page": "2"}).values()
    assert values == {"unit": 12, "level": "city", "page": 2}
    assert _Filters({"unit": str(2**63)}).values() == {}


@pytest.mark.django_db
def test_a_refused_form_write_is_undone_and_the_request_goes_on(unit):
    class Form(forms.Form):
        name = TextField()

    def refused_write() -> None:
        OrgUnit.objects.filter(pk=unit("JS-NJ").pk).update(name="改过")
        raise ValidationFailed(errors={"name": ["no"]})

    form = Form({"name": "x"})
    form.is_valid()
    write = FormWrite(form)
    assert write.run(refused_write) is None
    assert form.errors["name"] == ["no"]
    assert write.status == 422
    # The write's savepoint was rolled back, and the transaction is still usable to render.
    assert not connection.needs_rollback
    assert OrgUnit.objects.get(pk=unit("JS-NJ").pk).name != "改过"


@pytest.mark.django_db
def test_the_400_page_speaks_the_callers_language(login_client):
    client = login_client("hq-admin")
    chinese = client.get("/orgs/?q=%00").content.decode()
    assert "请求中含有不允许的字符" in chinese
    client.cookies["firstcall_language"] = "en"
    english = client.get("/orgs/?q=%00").content.decode()
    assert "The request contains characters that are not allowed" in english
