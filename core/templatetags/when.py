"""How long ago something happened, as staff pages say it: "just now" under a minute (never
"0 minutes ago"), else "5 minutes ago" in the page's language."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
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
