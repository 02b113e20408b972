"""Filters for the text (SMS) templates.

A phone lays out a text by the Unicode bidirectional algorithm, taking the direction of the
whole text from its first strong letter. In a Hebrew text a Latin run (a model name, a link,
STOP) is wrapped in a first-strong isolate, so it keeps its own order and does not drag the
Hebrew words and numbers around it out of place. Each isolate costs one UTF-16 unit at each
end. An English text isolates only a value that holds right-to-left letters (`isolate_rtl`: a
reason or a store name in Hebrew), so a text in Latin letters alone stays GSM-7.
"""

import re
import unicodedata
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

FSI = "\u2068"  # FIRST STRONG ISOLATE: direction from the run's own first strong letter
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE


@register.filter
def isolate(value: Any) -> str:
    """`value` as a run that keeps its own direction inside the text ("" stays "")."""
    text = str(value)
    return f"{FSI}{text}{PDI}" if text else ""


@register.filter
def isolate_rtl(value: Any) -> str:
    """`value` isolated if it holds a right-to-left letter, else as it is: inside a
    left-to-right text, a Hebrew run keeps its own order and leaves the words around it in
    theirs."""
    text = str(value)
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return isolate(text)
    return text


@register.filter
def isolate_link(value: Any) -> str:
    """A link, which must end the text, as an isolate closed after a space: a PDI right after
    the link would be taken for part of it by the link finders of phones (Android's counts any
    character from U+00A0 up as a URL character), and an isolate left open would run to the
    end of the text (UAX #9, BD9) and leave the text unbalanced for whatever appends to it."""
    text = str(value)
    return f"{FSI}{text} {PDI}" if text else ""


@register.filter
def sms_html(value: Any) -> SafeString:
    """A text's body as HTML for the pages that show it: links made clickable, each isolate
    as a <bdi> (the browser then lays it out as the phone would)."""
    parts = re.split(f"([{FSI}{PDI}])", str(value))
    html, depth = [], 0
    for part in parts:
        if part == FSI:
            html.append("<bdi>")
            depth += 1
        elif part == PDI:
            if depth:
                html.append("</bdi>")
                depth -= 1
        elif part:
            html.append(urlize(part, nofollow=True, autoescape=True))
    html.extend("</bdi>" for _ in range(depth))
    return mark_safe("".join(html))  # noqa: S308 - every text part went through urlize's escape


@register.filter
def is_today(moment: datetime | None) -> bool:
    """Whether `moment` falls on today's date, Israel time."""
    if moment is None:
        return False
    return timezone.localdate(moment) == timezone.localdate()
