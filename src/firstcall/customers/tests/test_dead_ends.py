"""Numbers the agent cannot work say so once, with what to do, and "Take the call" is taken away;
a phenomenon that does not fit the customer's products is flagged. Served from the call cache, so
no back end is needed."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from firstcall.core import clock
from firstcall.customers.models import CachedRead
from firstcall.orgs.models import OrgUnit
from firstcall.taxonomy.models import Phenomenon

SUZHOU = "13900007777"
UNKNOWN = "13900006666"
NANJING = "13900005555"


def _customer(cust_id: str, city: str, city_code: str) -> dict[str, Any]:
    return {
        "cust_id": cust_id,
        "name": f"客户{cust_id}",
        "region": {"province_code": "JS", "city_code": city_code, "province": "江苏", "city": city},
    }


def _keep(number: str, key: str, data: Any, *, found: bool = True) -> None:
    now = clock.now()
    CachedRead.objects.create(
        number=number,
        key=key,
        system=key.split(".")[0],
        found=found,
        data=data,
        fetched_at=now,
        expires_at=now + timedelta(minutes=5),
    )


@pytest.fixture
def numbers(db: None) -> None:
    _keep(SUZHOU, f"crm.find:{SUZHOU}", _customer("C-SZ", "苏州", "JS-SZ"))
    _keep(UNKNOWN, f"crm.find:{UNKNOWN}", None, found=False)
    _keep(NANJING, f"crm.find:{NANJING}", _customer("C-NJ", "南京", "JS-NJ"))
    mobile = [{"product_type": "mobile", "number": NANJING, "status": "active"}]
    _keep(NANJING, "crm.products:C-NJ", {"products": mobile})


def _panel(client: Any, name: str, number: str, **params: str) -> tuple[int, str]:
    response = client.get(
        f"/agent/panel/{name}/", {"number": number, **params}, HTTP_HX_REQUEST="true"
    )
    return response.status_code, response.content.decode()


def test_a_number_of_another_city_names_its_city_and_the_desk_once(login_client, numbers):
    client = login_client("js-nj-agent")
    status, page = _panel(client, "customer", SUZHOU)
    assert status == 403
    assert 'data-testid="customer-elsewhere"' in page
    assert "江苏 苏州" in page
    assert OrgUnit.objects.get(code="JS-SZ").name in page
    assert "客户C-SZ" not in page  # nothing of the customer beyond where they belong
    # "Take the call" is taken away on the workbench: it could only end in a refusal.
    assert 'id="start-call" hx-swap-oob="true"' in page
    for name in ("account", "products", "platforms", "comparison", "tickets"):
        status, page = _panel(client, name, SUZHOU)
        assert status == 403, name
        assert f'data-testid="quiet-{name}"' in page, name
        assert "您无权" not in page and "permission" not in page, name
        assert "客户C-SZ" not in page


def test_a_number_crm_does_not_know_says_so_and_offers_no_call(login_client, numbers):
    client = login_client("js-nj-agent")
    status, page = _panel(client, "customer", UNKNOWN)
    assert status == 200
    assert 'data-testid="customer-unknown"' in page
    assert 'id="start-call" hx-swap-oob="true"' in page
    for name in ("account", "products", "tickets"):
        status, page = _panel(client, name, UNKNOWN)
        assert f'data-testid="quiet-{name}"' in page, name
        assert "Retry" not in page and "重试" not in page, name


def test_the_workbench_offers_the_call_for_a_customer_it_serves(login_client, numbers):
    client = login_client("js-nj-agent")
    status, page = _panel(client, "customer", NANJING)
    assert status == 200
    assert "客户C-NJ" in page
    assert "start-call" not in page
    page = _workbench(client, NANJING)
    assert 'data-testid="start-call-form"' in page and 'id="start-call"' in page
    assert "start-call-blocked" not in page


def _workbench(client: Any, number: str) -> str:
    """The workbench's whole answer: the shell and every panel after it."""
    return "".join(chunk.decode() for chunk in client.get("/agent/", {"number": number}))


@pytest.mark.parametrize(
    ("number", "said"), [(SUZHOU, "customer-elsewhere"), (UNKNOWN, "customer-unknown")]
)
def test_the_workbench_answer_says_it_once_and_takes_the_call_away(
    login_client, numbers, number, said
):
    page = _workbench(login_client("js-nj-agent"), number)
    customer = page[page.index('<template data-fc-panel="customer">') :]
    customer = customer[: customer.index("</template>")]
    assert f'data-testid="{said}"' in customer
    # The start form goes (out of band: web/panel-stream.js puts it in place of the form).
    assert '<div id="start-call" hx-swap-oob="true" data-testid="start-call-blocked">' in customer
    for name in ("account", "products", "platforms", "comparison", "tickets"):
        assert f'data-testid="quiet-{name}"' in page, name
    assert "客户C-SZ" not in page


def _phenomenon_of(kinds: set[str]) -> Phenomenon:
    return next(
        p for p in Phenomenon.objects.all() if p.product_kinds and set(p.product_kinds) <= kinds
    )


def test_a_phenomenon_the_customers_products_do_not_have_is_flagged(login_client, numbers):
    client = login_client("js-nj-agent")
    broadband = _phenomenon_of({"broadband"})
    _status, page = _panel(client, "products", NANJING, phenomenon=broadband.code)
    assert 'data-testid="phenomenon-misfit"' in page
    assert 'id="phenomenon-fit" hx-swap-oob="true"' in page
    mobile = _phenomenon_of({"mobile"})
    _status, page = _panel(client, "products", NANJING, phenomenon=mobile.code)
    assert "phenomenon-misfit" not in page


def test_the_shell_holds_no_transaction(login_client, numbers):
    client = login_client("js-nj-agent")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/agent/", {"number": NANJING}).status_code == 200
    statements = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "SAVEPOINT" not in statements and "BEGIN" not in statements


@pytest.mark.parametrize("number", [SUZHOU, UNKNOWN])
def test_taking_a_call_the_screen_had_not_yet_refused_goes_back_to_it(
    login_client, numbers, number
):
    """Clicked before the customer panel answered: no bare error page and no call, but the
    workbench again, whose customer panel says what is wrong."""
    from firstcall.navigation.models import NavigationSession

    response = login_client("js-nj-agent").post(
        "/agent/calls/", {"number": number, "phenomenon": "X-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/agent/?number={number}&phenomenon=X-1"
    assert not NavigationSession.objects.filter(number=number).exists()
