"""What the storefront page tests share: dates from today, English URLs, a page's visible
text."""

import re
from datetime import timedelta
from html import unescape

from django.urls import reverse
from django.utils import timezone, translation


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, **kwargs)


def text(html: str) -> str:
    """Visible text, tags dropped and whitespace folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
