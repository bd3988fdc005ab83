import pytest

from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.taxonomy import services
from firstcall.taxonomy.models import ComplaintType, Phenomenon, Scenario, TicketKind

pytestmark = pytest.mark.django_db


def test_the_seed_loads_every_scenario_type_and_phenomenon():
    assert Scenario.objects.count() == 8
    assert ComplaintType.objects.count() == 40
    assert Phenomenon.objects.count() == 166
    assert Phenomenon.objects.filter(origin="S").count() == 27
    assert (
        ObjectChange.objects.filter(content_type__model="phenomenon", action="create").count()
        >= 166
    )


def test_seeded_phenomena_carry_kind_flow_sla_products_and_search_text():
    p = Phenomenon.objects.select_related("complaint_type__scenario").get(code="FBB-ADSL-07")
    assert (p.name_zh, p.name_en) == ("拨号报错691", "Dial-up error 691")
    assert p.complaint_type.code == "FBB-ADSL" and p.complaint_type.scenario.code == "FBB"
    assert p.kind == TicketKind.FAULT and p.flow == "F-BB-691" and p.error_code == "691"
    assert p.parent is not None and p.parent.code == "FBB-ADSL-01"
    assert p.product_kinds == ["broadband"] and p.sla_policy == services.SLA_FAULT_FIXED
    assert "bohaobaocuo691" in p.search_text and "bhbc691" in p.search_text

    mobile_fault = Phenomenon.objects.get(code="MOB-VOICE-01")
    assert mobile_fault.sla_policy == services.SLA_FAULT_MOBILE
    assert Phenomenon.objects.get(code="MKT-MNP-01").product_kinds == []
    assert Phenomenon.objects.get(code="MKT-MNP-01").sla_policy == services.SLA_COMPLAINT
    assert Phenomenon.objects.get(code="FBB-CLIENT-01").sla_policy == services.SLA_CONSULT
    # Quoted in FirstCall's copy of the seed: the comma used to cut the name short.
    voice = Phenomenon.objects.get(code="MOB-VOICE-04")
    assert voice.name_en == "Poor call quality (noise, echo, choppy, one-way audio)"
    assert ComplaintType.objects.get(code="MOB-VOICE").miit_national == "NET"


def test_seeding_again_creates_nothing_and_keeps_an_admins_edits():
    edited = Phenomenon.objects.get(code="MOB-VOICE-03")
    services.update_phenomenon(
        ChangeContext.for_cli("test"), edited, name_zh="掉话（已改）", is_active=False
    )
    before = ObjectChange.objects.count()

    result = services.seed_taxonomy(ChangeContext.for_cli("seed"))

    assert (result.scenarios, result.types, result.phenomena) == (0, 0, 0)
    assert ObjectChange.objects.count() == before
    assert Phenomenon.objects.count() == 166
    edited.refresh_from_db()
    assert edited.name_zh == "掉话（已改）" and not edited.is_active


def test_a_missing_phenomenon_is_restored_by_seeding():
    Phenomenon.objects.filter(code="FBB-ADSL-19").delete()
    result = services.seed_taxonomy(ChangeContext.for_cli("seed"))
    assert result.phenomena == 1
    assert Phenomenon.objects.get(code="FBB-ADSL-19").error_code == "769"


def test_a_seed_that_does_not_hold_what_it_declares_is_refused(tmp_path):
    broken = tmp_path / "taxonomy.yaml"
    broken.write_text(
        "meta: {counts: {scenarios: 1, complaint_types: 1, phenomena: 1}}\n"
        "scenarios:\n"
        "  - id: X\n    zh: 甲\n    en: X\n    types:\n"
        "      - id: X-T\n        zh: 乙\n        en: T\n        phenomena:\n"
        "          - {id: X-T-01, zh: 丙, en: one, two, kind: fault}\n",
        encoding="utf-8",
    )
    with pytest.raises(services.SeedError, match="unexpected keys"):
        services.read_seed(broken)


def test_updating_a_phenomenon_recomputes_its_search_text_and_is_audited():
    p = Phenomenon.objects.get(code="FIX-VOICE-01")
    services.update_phenomenon(ChangeContext.for_cli("test"), p, name_zh="座机完全打不通")
    p.refresh_from_db()
    assert "zuojiwanquandabutong" in p.search_text and "zjwqdbt" in p.search_text
    change = ObjectChange.objects.filter(content_type__model="phenomenon").latest("id")
    assert change.action == "update" and change.before["name_zh"] != "座机完全打不通"
