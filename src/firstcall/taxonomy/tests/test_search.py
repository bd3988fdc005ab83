import pytest
from django.utils import translation

from firstcall.core.audit import ChangeContext
from firstcall.taxonomy import queries, services
from firstcall.taxonomy.models import ComplaintType, Phenomenon

pytestmark = pytest.mark.django_db


def codes(q: str, limit: int = 20) -> list[str]:
    return [p.code for p in queries.search_phenomena(q, limit=limit)]


def test_search_by_chinese_substring():
    found = codes("宽带客户端")
    assert found == ["FBB-CLIENT-01", "FBB-CLIENT-02"]
    assert "MOB-P2PSMS-01" in codes("收不到短信")


def test_search_by_pinyin_initials():
    assert codes("kdkhd") == ["FBB-CLIENT-01", "FBB-CLIENT-02"]
    assert codes("sbdd")[0] == "MOB-P2PSMS-01"  # 收不到短信
    # "kd" is 宽带 and more; the names that start with it come first.
    found = codes("kd", limit=200)
    assert "FBB-BILL-01" in found and "FBB-WBB-01" in found
    assert found.index("FBB-BILL-01") < found.index("FBB-WBB-01")


def test_search_by_full_pinyin_and_mixed_latin():
    assert codes("kuandaikehuduan") == ["FBB-CLIENT-01", "FBB-CLIENT-02"]
    assert codes("bohaobaocuo691") == ["FBB-ADSL-07", "FBB-LAN-05"]  # LAN拨号报错691/678/…
    assert "MOB-VOICE-07" in codes("voltegqth")


def test_search_by_english_words_in_any_case():
    assert codes("Dropped calls") == ["MOB-VOICE-03"]
    assert "MOB-VOICE-04" in codes("one-way AUDIO")
    assert codes("broadband client") == ["FBB-CLIENT-01", "FBB-CLIENT-02"]


def test_search_by_code_puts_the_exact_code_first():
    assert codes("fbb-adsl-1")[:3] == ["FBB-ADSL-10", "FBB-ADSL-11", "FBB-ADSL-12"]
    assert codes("FBB-ADSL-01")[0] == "FBB-ADSL-01"
    assert codes("ｆｂｂ－ａｄｓｌ－０７") == ["FBB-ADSL-07"]  # full-width, as an IME may type it


def test_results_carry_their_type_and_scenario(django_assert_num_queries):
    with django_assert_num_queries(1):
        found = queries.search_phenomena("691")
        names = [(p.complaint_type.name_zh, p.complaint_type.scenario.name_zh) for p in found]
    assert ("ADSL上网问题", "固网/宽带") in names


def test_inactive_phenomena_types_and_scenarios_are_not_found():
    ctx = ChangeContext.for_cli("test")
    services.update_phenomenon(ctx, Phenomenon.objects.get(code="FBB-CLIENT-02"), is_active=False)
    assert codes("kdkhd") == ["FBB-CLIENT-01"]
    ComplaintType.objects.filter(code="FBB-CLIENT").update(is_active=False)
    assert codes("kdkhd") == []
    assert queries.get_phenomenon("FBB-CLIENT-02") is not None  # an old ticket may still name it


def test_blank_and_unmatched_queries_find_nothing():
    assert codes("   ") == []
    assert codes("zzzzqqq") == []


def test_get_phenomenon_by_code():
    assert queries.get_phenomenon("mob-voice-01").code == "MOB-VOICE-01"
    assert queries.get_phenomenon("NOPE-01") is None
    assert queries.get_phenomenon("") is None


def test_names_follow_the_active_language():
    p = Phenomenon.objects.get(code="MOB-VOICE-03")
    with translation.override("en"):
        assert p.name() == "Dropped calls"
    with translation.override("zh-hans"):
        assert p.name() == "通话中断/掉话"
