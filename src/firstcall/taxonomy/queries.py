"""Taxonomy reads: the phenomenon search behind the agent's picker."""

from django.db.models import Prefetch, QuerySet

from firstcall.taxonomy import search_text
from firstcall.taxonomy.models import ComplaintType, Phenomenon, Scenario

# Matches ranked in Python: the tree is small (hundreds of rows), the ranking is not worth SQL.
CANDIDATE_CAP = 500


def active_phenomena() -> QuerySet[Phenomenon]:
    """Phenomena an agent may pick: active themselves and under an active type and scenario."""
    return Phenomenon.objects.filter(
        is_active=True,
        complaint_type__is_active=True,
        complaint_type__scenario__is_active=True,
    ).select_related("complaint_type__scenario")


def search_phenomena(q: str, limit: int = 20) -> list[Phenomenon]:
    """Active phenomena matching every term of `q`, best first.

    A term matches as a substring of the Chinese name, the English name, the code, the full pinyin
    or the pinyin initials (宽带客户端 is found by "宽带", "kuandai", "kdkhd", "broadband client"
    or "fbb-client"). Exact and prefix matches of the whole query come first, then tree order.
    Each result carries its complaint type and scenario (`p.complaint_type.scenario`).
    """
    terms = search_text.query_terms(q)
    if not terms:
        return []
    matches = active_phenomena()
    for term in terms:
        matches = matches.filter(search_text__contains=term)
    candidates = list(matches.order_by("position", "code")[:CANDIDATE_CAP])
    candidates.sort(key=lambda p: search_text.rank(p.search_text, terms))
    return candidates[:limit]


def get_phenomenon(code: str) -> Phenomenon | None:
    """One phenomenon by its code (active or not: an old ticket may name a retired one)."""
    if not code:
        return None
    return (
        Phenomenon.objects.select_related("complaint_type__scenario")
        .filter(code=code.strip().upper())
        .first()
    )


def active_tree() -> QuerySet[Scenario]:
    """Active scenarios with their active types (`active_types`) and phenomena (`active_phenomena`),
    in three queries."""
    phenomena = Phenomenon.objects.filter(is_active=True)
    types = ComplaintType.objects.filter(is_active=True).prefetch_related(
        Prefetch("phenomena", queryset=phenomena, to_attr="active_phenomena")
    )
    return Scenario.objects.filter(is_active=True).prefetch_related(
        Prefetch("types", queryset=types, to_attr="active_types")
    )


def sibling_codes(phenomenon: Phenomenon) -> list[str]:
    """The codes of every phenomenon of the same complaint type, this one's included."""
    return list(
        Phenomenon.objects.filter(complaint_type_id=phenomenon.complaint_type_id).values_list(
            "code", flat=True
        )
    )
