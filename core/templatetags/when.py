"""Lengths of time as pages say them: how long ago something happened, as staff pages say it
("just now" under a minute, never "0 minutes ago", else "5 minutes ago"), and how long a pair
is held, as customers read it — in the page's language."""

from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """'just now' for under a minute (or a clock a little ahead), else '<time> ago'."""
    if not isinstance(value, datetime):
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value, depth=1)}


def duration_words(value: timedelta) -> str:
    """A length of time as customers read it, in the page's language: whole hours as hours
    ("24 hours", "שעתיים"), anything else as minutes ("90 minutes"), never "1 hour" for 90
    minutes nor "0 hours" for 30."""
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes % 60 == 0:
        return str(TIME_STRINGS["hour"] % {"num": minutes // 60})
    return str(TIME_STRINGS["minute"] % {"num": minutes})


@register.simple_tag
def hold_length(kind: str = "alert") -> str:
    """How long a pair is held once the customer is told: `HOLD_DURATION` for a pair held for
    an alert or brought from another store, `PAIR_HOLD_DURATION` ("pair") for a pair the
    customer asked us to set aside (as `inventory.services.hold_duration` decides per hold)."""
    return duration_words(settings.PAIR_HOLD_DURATION if kind == "pair" else settings.HOLD_DURATION)
