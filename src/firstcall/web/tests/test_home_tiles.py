"""Home tiles lead somewhere: a tile whose screen exists, and which the user may open, links to
it; only a screen that does not exist yet says "not yet available"."""

import re

import pytest

from firstcall.accounts.models import User

pytestmark = pytest.mark.django_db

TILE = re.compile(r'data-testid="tile"( data-url="([^"]*)")?>(.*?)</div>\s*</div>', re.S)


def _tiles(page: str) -> list[tuple[str, str]]:
    """(url, text) of every tile on the home page; url empty for an unavailable one."""
    return [(m.group(2) or "", m.group(3)) for m in TILE.finditer(page)]


def test_every_linked_tile_answers_for_every_user_who_sees_it(login_client):
    checked = 0
    for username in User.objects.filter(is_active=True).values_list("username", flat=True):
        client = login_client(username)
        for url, text in _tiles(client.get("/").content.decode()):
            if not url:
                continue
            assert "tile-unavailable" not in text
            assert client.get(url).status_code == 200, (username, url)
            checked += 1
    assert checked > 0


def test_the_expert_desk_the_rules_and_the_back_office_are_open(login_client):
    expert = _tiles(login_client("js-nj-expert").get("/").content.decode())
    assert "/agent/calls/experts/" in [url for url, _text in expert]
    admin = _tiles(login_client("hq-admin").get("/").content.decode())
    assert "/rules/" in [url for url, _text in admin]
    dispatcher = _tiles(login_client("js-nj-dispatcher").get("/").content.decode())
    urls = [url for url, _text in dispatcher]
    assert {"/backoffice/todo/", "/backoffice/done/", "/backoffice/search/"} <= set(urls)
    assert not any("tile-unavailable" in text for url, text in dispatcher if "backoffice" in url)
