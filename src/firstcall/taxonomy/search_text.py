"""The text a phenomenon is found by: its names, its code, and the pinyin of its Chinese name.

Stored text and typed queries pass through the same `normalise()`, so full-width letters, digits
and brackets typed by an agent match the half-width ones in the seed (and the other way round).
"""

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

# One field per line: a query term never holds a newline, so it cannot match across two fields.
FIELD_SEPARATOR = "\n"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _is_pinyin(segment: str, source: str) -> bool:
    # lazy_pinyin hands back non-Chinese runs unchanged; a syllable never occurs in the source.
    return segment not in source


def pinyin_forms(name_zh: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese name, letters and digits only.

    宽带无法上网 -> ("kuandaiwufashangwang", "kdwfsw"). Latin and digit runs inside the name
    (VoLTE, 691) are kept whole in both forms, so "voltegqth" still finds VoLTE高清通话.
    """
    text = normalise(name_zh)
    syllables = lazy_pinyin(text)
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER)
    full = "".join(syllables)
    short = "".join(
        initial if _is_pinyin(syllable, text) else syllable
        for syllable, initial in zip(syllables, initials, strict=True)
    )
    return _NOT_ALNUM.sub("", full), _NOT_ALNUM.sub("", short)


def build(*, name_zh: str, name_en: str, code: str) -> str:
    full, initials = pinyin_forms(name_zh)
    fields = [normalise(name_zh), normalise(name_en), normalise(code), full, initials]
    return FIELD_SEPARATOR.join(fields)


def query_terms(query: str, *, max_length: int = 60) -> list[str]:
    """The whitespace-separated terms of a query; each must occur in the text of a match."""
    return normalise(query[:max_length]).split()


def rank(text: str, terms: list[str]) -> int:
    """0 when the whole query equals a field, 1 when a field starts with it, 2 otherwise."""
    whole = "".join(terms)
    spaced = " ".join(terms)
    best = 2
    for field in text.split(FIELD_SEPARATOR):
        if field in (whole, spaced):
            return 0
        if field.startswith((whole, spaced)):
            best = 1
    return best
