"""Left-to-right runs inside right-to-left text: codes, SKUs, phone numbers and URLs.

`{{ value|ltr }}` isolates the value as `<bdi dir="ltr">`, so a Hebrew line never reorders
"BWHT-1127895" or "050-234-5678"; it is safe inside `blocktranslate` too (the value is escaped
here, once)."""

import re
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def ltr(value: Any) -> SafeString | str:
    """The value, escaped, in a left-to-right isolate ("" stays "")."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


# A run a Hebrew line must not reorder: Latin letters and digits, with the punctuation and
# spaces that join them ("10:00–23:00", "Sun–Thu", "HM6803-002", "EU 42.5").
_LTR_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9:.,/\-–— ]*[A-Za-z0-9])?")


@register.filter(needs_autoescape=True)
def ltr_runs(value: Any, autoescape: bool = True) -> SafeString | str:
    """Free text (opening hours, a note) with each Latin or numeric run isolated as
    `<bdi dir="ltr">`: in a Hebrew paragraph "10:00–23:00" would otherwise read "23:00–10:00".
    Line breaks are kept, so `linebreaksbr` can follow. A left-to-right page needs no
    isolates and gets the text as it is."""
    if value is None or value == "":
        return ""
    text = str(value)
    if not translation.get_language_bidi():
        return conditional_escape(text) if autoescape else text
    parts, last = [], 0
    for match in _LTR_RUN.finditer(text):
        parts.append(
            conditional_escape(text[last : match.start()])
            if autoescape
            else text[last : match.start()]
        )
        parts.append(ltr(match.group()))
        last = match.end()
    parts.append(conditional_escape(text[last:]) if autoescape else text[last:])
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above or by ltr
