import pytest
from django.template.loader import render_to_string

from firstcall.taxonomy import queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_picker_lists_matches_as_choosable_buttons(login_client):
    response = login_client("js-nj-agent").get("/taxonomy/picker/", {"q": "kdkhd"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="option"') == 2
    assert 'data-code="FBB-CLIENT-01"' in page and "宽带客户端无法安装或启动" in page
    assert "家庭客户端问题" in page  # the complaint type
    assert "<html" not in page


def test_picker_reads_the_text_input_name_and_speaks_english(login_client):
    client = login_client("js-nj-agent")
    client.cookies["firstcall_language"] = "en"  # the agent chose English
    response = client.get("/taxonomy/picker/", {"phenomenon_q": "宽带客户端"}, **HTMX)
    page = response.content.decode()
    assert "Broadband client cannot install / start" in page
    assert "Home broadband client software" in page


def test_picker_says_when_nothing_matches(login_client):
    client = login_client("js-nj-agent")
    client.cookies["firstcall_language"] = "en"  # the agent chose English
    page = client.get("/taxonomy/picker/", {"q": "zzzzqqq"}, **HTMX)
    assert "No phenomenon matches" in page.content.decode()
    hint = client.get("/taxonomy/picker/", {"q": ""}, **HTMX)
    assert "pinyin initials" in hint.content.decode()


def test_picker_refuses_a_user_without_the_workbench(login_client):
    response = login_client("js-nj-dispatcher").get("/taxonomy/picker/", {"q": "kd"}, **HTMX)
    assert response.status_code == 403
    assert "data-code" not in response.content.decode()


def test_picker_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/taxonomy/picker/", {"q": "kd"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_picker_include_shows_the_current_choice(rf):
    html = render_to_string(
        "taxonomy/partials/picker.html",
        {"phenomenon": queries.get_phenomenon("MOB-VOICE-03")},
        request=rf.get("/"),
    )
    assert 'name="phenomenon" value="MOB-VOICE-03"' in html
    assert 'name="phenomenon_q"' in html and 'hx-get="/taxonomy/picker/"' in html
    assert 'hx-trigger="input changed delay:150ms, focus"' in html
    assert "通话中断/掉话" in html

    empty = render_to_string("taxonomy/partials/picker.html", {"phenomenon": None})
    assert 'name="phenomenon" value=""' in empty


def test_admin_edit_recomputes_search_text_and_is_audited(login_client):
    from firstcall.core.models import ObjectChange
    from firstcall.taxonomy.models import Phenomenon

    p = Phenomenon.objects.get(code="FIX-VOICE-01")
    client = login_client("admin")  # the Django admin is for superusers only
    form = {
        "complaint_type": p.complaint_type_id,
        "name_zh": "座机没有拨号音",
        "name_en": p.name_en,
        "position": p.position,
        "is_active": "on",
        "origin": p.origin,
        "kind": p.kind,
        "flow": p.flow,
        "sla_policy": p.sla_policy,
        "product_kinds": '["fixed"]',
        "error_code": "",
        "parent": "",
    }
    response = client.post(f"/admin/taxonomy/phenomenon/{p.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    p.refresh_from_db()
    assert p.name_zh == "座机没有拨号音" and "zjmybhy" in p.search_text
    change = ObjectChange.objects.filter(content_type__model="phenomenon").latest("id")
    assert change.action == "update" and change.actor.username == "admin"


def test_a_province_admin_can_neither_view_nor_change_the_shared_tree_in_the_admin(login_client):
    from firstcall.taxonomy.models import Phenomenon

    p = Phenomenon.objects.get(code="FIX-VOICE-01")
    client = login_client("js-admin")
    assert client.get(f"/admin/taxonomy/phenomenon/{p.pk}/change/").status_code in (302, 403)
    response = client.post(
        f"/admin/taxonomy/phenomenon/{p.pk}/change/", {"name_zh": "改名", "kind": p.kind}
    )
    assert response.status_code in (302, 403)
    p.refresh_from_db()
    assert p.name_zh != "改名"


def test_browser_page_shows_the_tree_and_the_chosen_phenomenon(
    login_client, django_assert_max_num_queries
):
    client = login_client("js-nj-agent")
    with django_assert_max_num_queries(12):
        response = client.get("/taxonomy/", {"phenomenon": "FBB-ADSL-07"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('href="?phenomenon=') == 166
    assert 'data-testid="phenomenon-detail"' in page and "F-BB-691" in page
    assert 'name="phenomenon" value="FBB-ADSL-07"' in page
    assert login_client("js-nj-dispatcher").get("/taxonomy/").status_code == 403
