"""The texts customers get, rendered from templates in their language, fitted to
`MAX_SEGMENTS`.

Templates: notifications/sms/<name>.<language>.txt. What a text names — the model, the size,
the store, a time, a phone, its link — is never cut: a customer must recognise the pair and
the place. To fit, only a text's `OPTIONAL_PARTS` give way (`fit_sms`): a staff member's
reason loses words from its end, then goes; an apology, a heading or the store's phone goes.
"""

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.language import language_or_default

from .links import make_token
from .segments import is_gsm7, sms_segments

logger = logging.getLogger(__name__)

MAX_SEGMENTS = 2
LINK_PURPOSE = "alerts"
# An optional text part shortened to fit keeps at least this many words, else it goes.
_MIN_WORDS = 2


def manage_path(message_id: int, language: str) -> str:
    """The path, with its short signed token (no number in it), of the page listing the
    alerts of the number a text went to."""
    token = make_token(LINK_PURPOSE, message_id)
    with translation.override(language):
        return reverse(settings.TEXT_LINK_VIEW, kwargs={"token": token})


def manage_link(message_id: int, language: str) -> str:
    """`manage_path` as the full link a text carries."""
    return link_for(manage_path(message_id, language))


def link_for(path: str) -> str:
    """The full address a text links to for a site path (SMS_LINK_BASE_URL, else SITE_URL)."""
    return (settings.SMS_LINK_BASE_URL or settings.SITE_URL) + path


def format_until(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m %H:%M")


@dataclass(frozen=True)
class OptionalPart:
    """A part of a text that may give way for it to fit. `key` names a value of the context,
    left out ("") when it gives way, after losing words from its end first if `shorten`; or,
    with `sentence`, a flag the template's own optional words depend on: on until it gives
    way (False), so callers need not set it."""

    key: str
    shorten: bool = False
    sentence: bool = False


# What each text may give way, in this order, when it is too long (`fit_sms`). Every other
# value is rendered whole; a text not named here has nothing optional.
OPTIONAL_PARTS: dict[str, tuple[OptionalPart, ...]] = {
    # The store's phone: the link's page gives it too.
    "hold_ready": (OptionalPart("phone"),),
    "pair_held": (OptionalPart("phone"),),
    "transfer_arrived": (OptionalPart("phone"),),
    # "Reminder:", then the link's long label ("say when, or one more day").
    "pickup_reminder": (
        OptionalPart("heading", sentence=True),
        OptionalPart("long_label", sentence=True),
    ),
    # A launch draw's "you're number N in line": the link's page shows the place too.
    "launch_result": (OptionalPart("line", sentence=True),),
    # "<site>:" before a rating invitation: the store it names says who asks.
    "rating_invite": (OptionalPart("greeting", sentence=True),),
    # The staff's reason, then the apology.
    "transfer_declined": (
        OptionalPart("reason", shorten=True),
        OptionalPart("polite", sentence=True),
    ),
}


@dataclass(frozen=True)
class FittedText:
    """A rendered text and what gave way for it to fit: the optional parts `shortened` (by
    words, marked with an ellipsis) and those `dropped` (left out)."""

    body: str
    shortened: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def fit_sms(name: str, language: str, context: Mapping[str, Any]) -> FittedText:
    """The text `name` in `language`, within `MAX_SEGMENTS` if its optional parts allow.

    Its `OPTIONAL_PARTS` give way one after the other, in their order, and only while the
    text is too long: a part that may be shortened loses words from its end (marked "…", or
    "..." in a GSM-7 text, which "…" would turn into UCS-2) while it keeps `_MIN_WORDS`, then
    is left out; an optional sentence is left out. Every other value — the model, the size,
    the store, a time, the link — is rendered whole: a text whose required parts alone are too
    long goes whole, costing more segments (logged), rather than naming the pair or the store
    wrongly.
    """
    language = language_or_default(language)
    with translation.override(language):
        # The brand as the storefront shows it in this language (its catalog translates it).
        site_name = gettext(settings.SITE_NAME)
    parts = OPTIONAL_PARTS.get(name, ())
    values = {"site_name": site_name, **{p.key: True for p in parts if p.sentence}, **context}
    text = _render(name, language, values)
    shortened: list[str] = []
    dropped: list[str] = []
    for part in parts:
        if sms_segments(text) <= MAX_SEGMENTS:
            break
        value = values.get(part.key)
        if not value:
            continue
        if part.shorten:
            ellipsis = "..." if is_gsm7(text) else "…"
            words = str(value).split()
            while len(words) > _MIN_WORDS and sms_segments(text) > MAX_SEGMENTS:
                words.pop()
                values[part.key] = " ".join(words).rstrip(" ,;:.-–") + ellipsis
                text = _render(name, language, values)
            if sms_segments(text) <= MAX_SEGMENTS:
                shortened.append(part.key)
                break
        values[part.key] = False if part.sentence else ""
        text = _render(name, language, values)
        dropped.append(part.key)
    if sms_segments(text) > MAX_SEGMENTS:
        logger.warning(
            "Text %s (%s) costs %d segments: what it names alone is longer than %d",
            name,
            language,
            sms_segments(text),
            MAX_SEGMENTS,
        )
    return FittedText(body=text, shortened=tuple(shortened), dropped=tuple(dropped))


def render_sms(name: str, language: str, context: Mapping[str, Any]) -> str:
    """The body of `fit_sms`."""
    return fit_sms(name, language, context).body


def _render(name: str, language: str, values: Mapping[str, Any]) -> str:
    with translation.override(language):
        text = render_to_string(f"notifications/sms/{name}.{language}.txt", dict(values))
    return re.sub(r"\s+", " ", text).strip()


def hold_context(hold: Any, until: datetime) -> dict[str, Any]:
    """What a hold text names: the model, the size, the store, until when, its phone."""
    variant, store = hold.variant, hold.store
    language = language_or_default(hold.language)
    return {
        "model": variant.product.name,
        "size": variant.size_label,
        "store": getattr(store, f"name_{language}") or store.name_he,
        "until": format_until(until),
        "phone": store.phone,
    }
