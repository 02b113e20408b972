"""Left-to-right runs inside right-to-left text: codes, SKUs, phone numbers and URLs.

`{{ value|ltr }}` isolates the value as `<bdi dir="ltr">`, so a Hebrew line never reorders
"BWHT-1127895" or "050-234-5678"; it is safe inside `blocktranslate` too (the value is escaped
here, once)."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def ltr(value: Any) -> SafeString | str:
    """The value, escaped, in a left-to-right isolate ("" stays "")."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)
