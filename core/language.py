"""The languages the product speaks, and which one a request, a hold or a text is in."""

from django.utils.translation import get_language

LANGUAGES = ("he", "en")
DEFAULT_LANGUAGE = "he"


def language_or_default(language: str | None) -> str:
    """`language` if the product speaks it ("en-us" counts as "en"), else Hebrew."""
    code = (language or DEFAULT_LANGUAGE).split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The active language, as one of `LANGUAGES`."""
    return language_or_default(get_language())
