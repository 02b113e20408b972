"""Small helpers for the storefront templates: prices, language links, "confirmed" times."""

import functools
from datetime import datetime, time, timedelta
from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.language import current_language
from core.templatetags.money import shekels
from inventory.geo import distance_label

register = template.Library()

# The default brand name, so the catalog carries its Hebrew form.
gettext_noop("Sole Israel")


@register.simple_tag
def site_name() -> str:
    return _(settings.SITE_NAME)


register.filter("shekels", shekels)


@register.simple_tag(takes_context=True)
def language_url(context: template.Context, language: str, absolute: bool = False) -> str:
    """This page (with its query string) in `language`; the home page if it has no twin."""
    request = context.get("request")
    if request is None:
        return "/"
    current = request.get_full_path()
    url = translate_url(current, language)
    if url == current and language != translation.get_language():
        with translation.override(language):
            try:
                url = reverse("storefront:home")
            except NoReverseMatch:
                url = "/"
    return request.build_absolute_uri(url) if absolute else url


@register.filter
def confirmed(moment: datetime | None) -> str:
    """When a stock number was last confirmed: "today at 14:05", "yesterday at 09:10", or a
    date. Absolute, so a page rendered once stays true all day (pages are cached per day)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    today = timezone.localdate()
    if local.date() == today:
        return _("confirmed today at %(time)s") % {"time": _clock(current_language(), local)}
    if local.date() == today - timedelta(days=1):
        return _("confirmed yesterday at %(time)s") % {"time": _clock(current_language(), local)}
    return _("confirmed on %(date)s") % {"date": date_filter(local, "SHORT_DATE_FORMAT")}


def _clock(language: str, local: datetime) -> str:
    """ "14:05" in `language`'s TIME_FORMAT: formatted once per language and minute (a size's
    stores list a hundred such times a page)."""
    return _clock_of(language, local.hour, local.minute)


@functools.lru_cache(maxsize=3000)
def _clock_of(language: str, hour: int, minute: int) -> str:
    return time_format(time(hour, minute))


register.filter("kilometres", distance_label)  # 12.4 → "12 km"; under 1 km, "under 1 km"


@register.filter
def size_label(variant: Any) -> str:
    """ "EU 42.5 · US 9 · UK 8" from a variant."""
    parts = [f"EU {variant.size_label}"]
    if variant.us_label:
        parts.append(f"US {variant.us_label}")
    if variant.uk_label:
        parts.append(f"UK {variant.uk_label}")
    return " · ".join(parts)
