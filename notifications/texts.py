"""The texts customers get, rendered from templates in their language, at most two segments.

Templates: notifications/sms/<name>.<language>.txt. Whatever the names of the model and the
store, a text never costs more than `MAX_SEGMENTS`: long names are shortened to fit.
"""

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.language import language_or_default

from .links import make_token
from .segments import sms_segments

MAX_SEGMENTS = 2
LINK_PURPOSE = "alerts"
# Names are never cut shorter than this.
_MIN_KEEP = 6


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


def render_sms(
    name: str,
    language: str,
    context: Mapping[str, Any],
    shrinkable: tuple[str, ...] = ("model", "store"),
) -> str:
    language = language_or_default(language)
    with translation.override(language):
        # The brand as the storefront shows it in this language (its catalog translates it).
        site_name = gettext(settings.SITE_NAME)
    values = {"site_name": site_name, **context}
    text = _render(name, language, values)
    while sms_segments(text) > MAX_SEGMENTS:
        # Shorten whichever name is longest now, a character at a time, so both stay readable.
        longest = max(shrinkable, key=lambda key: len(str(values.get(key, ""))))
        current = str(values.get(longest, ""))
        if len(current) <= _MIN_KEEP:
            break
        values[longest] = current[:-2].rstrip() + "…"
        text = _render(name, language, values)
    return text


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
