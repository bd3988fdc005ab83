import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_what_an_agents_roles_allow(login_client):
    client = login_client("js-nj-agent")
    client.cookies["firstcall_language"] = "en"  # the user chose English
    page = client.get("/").content.decode()
    assert "Agent workbench" in page
    assert "Org units" in page
    assert "Audit log" not in page
    assert "Ticket search" not in page


def test_home_shows_back_office_screens_to_a_dispatcher(login_client):
    client = login_client("js-nj-dispatcher")
    client.cookies["firstcall_language"] = "en"  # the user chose English
    page = client.get("/").content.decode()
    assert "To do" in page and "Ticket search" in page
    assert 'href="/backoffice/todo/"' in page
    assert "Agent workbench" not in page


def test_home_is_chinese_by_default(login_client):
    page = login_client("js-nj-agent").get("/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "坐席工作台" in page and "退出登录" in page


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_domain_error_in_an_htmx_request_renders_the_message_partial(login_client, unit):
    client = login_client("js-nj-agent")
    response = client.get(f"/orgs/{unit('GD').pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'role="alert"' in body and "<html" not in body


def test_htmx_list_request_returns_only_the_rows_partial(login_client):
    response = login_client("hq-admin").get("/orgs/?q=JS-NJ", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="unit-rows"' in body and "<html" not in body
    assert "南京市分公司" in body and "广州市分公司" not in body
