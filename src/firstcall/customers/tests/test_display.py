"""Values as the agent reads them: when a platform was read, named states, flags and numbers."""

from datetime import timedelta

from django.utils import timezone, translation

from firstcall.customers import display


def test_a_read_says_when_it_was_made_not_that_it_was_cached():
    now = timezone.now()
    with translation.override("zh-hans"):
        assert display.read_time(now - timedelta(seconds=20), now) == "刚刚读取"
        assert display.read_time(now - timedelta(minutes=2), now) == "2 分钟前读取"
        at = timezone.localtime(now - timedelta(hours=3))
        text = display.read_time(now - timedelta(hours=3), now)
        assert text.endswith("读取") and f"{at:%H:%M}" in text
        assert display.read_time(None, now) == ""


def test_values_are_named_in_the_interface_language():
    with translation.override("zh-hans"):
        assert str(display.shown(True)) == "是" and str(display.shown(None)) == "—"
        assert display.shown(0.0) == 0 and display.shown(5.0) == 5 and display.shown(2.5) == 2.5
        assert str(display.shown("active")) == "在用"
        assert str(display.shown("2099-12-31")) == "长期有效"
        assert display.shown("2026-12-31") == "2026-12-31"
        port = "slot=0;subslot=0;port=1;vlanid=1546;vlanid2=3983;"
        assert display.shown(port) == "槽0/子槽0/端口1 · VLAN 1546/3983"
        assert [(str(n), on) for n, on in display.features({"outgoing": True, "sms": False})] == [
            ("呼出", True),
            ("短信", False),
        ]
