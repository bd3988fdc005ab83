import pytest

from firstcall.core.models import ObjectChange
from firstcall.integrations.models import BackendSystem, CallLog

pytestmark = pytest.mark.django_db


def test_a_province_sees_the_systems_health_and_only_headquarters_changes_them(login_client):
    assert login_client("js-nj-agent").get("/integrations/").status_code == 403
    province = login_client("js-admin")
    page = province.get("/integrations/").content.decode()
    assert "计费系统" in page and "HLR" in page  # each system by its title, with its health
    assert "/integrations/crm/edit/" not in page and "http://" not in page
    assert "/integrations/calls/" not in page
    assert province.get("/integrations/crm/edit/").status_code == 403
    assert province.get("/integrations/calls/").status_code == 403
    page = login_client("hq-admin").get("/integrations/").content.decode()
    assert "/integrations/crm/edit/" in page and "/integrations/calls/" in page


def test_editing_a_system_is_audited_and_keeps_the_credentials_out_of_the_log(login_client):
    client = login_client("hq-admin")
    form = {
        "title": "CRM 主站",
        "base_url": "http://127.0.0.1:8100/crm",
        "api_key": "new-secret",
        "timeout_ms": 600,
        "retries": 1,
        "failure_threshold": 5,
        "open_seconds": 15,
        "enabled": "on",
    }
    assert client.post("/integrations/crm/edit/", form).status_code == 302
    crm = BackendSystem.objects.get(name="crm")
    assert crm.timeout_ms == 600 and crm.credentials["api_key"] == "new-secret"
    change = ObjectChange.objects.filter(content_type__model="backendsystem").latest("id")
    assert change.after["timeout_ms"] == 600 and change.after["credentials_changed"] is True
    assert "new-secret" not in str(change.before) + str(change.after)


def test_bad_settings_are_refused_with_field_errors(login_client):
    client = login_client("hq-admin")
    form = {
        "title": "x",
        "base_url": "ftp://nowhere",
        "timeout_ms": 5,
        "retries": 9,
        "failure_threshold": 5,
        "open_seconds": 15,
    }
    response = client.post("/integrations/crm/edit/", form)
    assert response.status_code == 422
    assert BackendSystem.objects.get(name="crm").base_url != "ftp://nowhere"


def test_call_log_page_filters_by_system_and_outcome(login_client):
    CallLog.objects.create(
        system="hlr",
        operation="subscriber",
        customer_key="139****5678",
        latency_ms=40,
        outcome="timeout",
        error_code="timeout",
    )
    CallLog.objects.create(
        system="crm", operation="customer", customer_key="139****0000", latency_ms=20, outcome="ok"
    )
    page = login_client("hq-admin").get("/integrations/calls/?system=hlr&outcome=timeout")
    body = page.content.decode()
    assert "139****5678" in body and "139****0000" not in body


def test_the_service_itself_refuses_a_province_changing_a_system(user):
    from firstcall.core.audit import ChangeContext
    from firstcall.core.errors import Forbidden
    from firstcall.integrations import services

    crm = BackendSystem.objects.get(name="crm")
    with pytest.raises(Forbidden):
        services.update_system(
            ChangeContext(actor=user("js-admin")), crm, base_url="http://127.0.0.1:9/listener"
        )
    assert BackendSystem.objects.get(name="crm").base_url == crm.base_url
    changed = services.update_system(ChangeContext(actor=user("hq-admin")), crm, timeout_ms=1500)
    assert changed.timeout_ms == 1500
