"""The languages the product speaks, and which one a request, a hold or a text is in."""

import functools
import unicodedata

from django.utils.translation import get_language

LANGUAGES = ("he", "en")
DEFAULT_LANGUAGE = "he"


@functools.lru_cache(maxsize=64)
def language_or_default(language: str | None) -> str:
    """`language` if the product speaks it ("en-us" counts as "en"), else Hebrew."""
    code = (language or DEFAULT_LANGUAGE).split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The active language, as one of `LANGUAGES`."""
    return language_or_default(get_language())


def written_in(text: str) -> str | None:
    """The language a reader needs for `text`: Hebrew when it holds any Hebrew letter (a
    Hebrew sentence often names a model in Latin letters, an English one never needs Hebrew),
    English when its letters are all Latin, None when it has no letters."""
    latin = False
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("HEBREW"):
            return "he"
        latin = latin or name.startswith("LATIN")
    return "en" if latin else None
