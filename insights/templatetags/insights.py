from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    """A median duration for people: "3 h 20 min", "2 days 4 h", or "–" when there is none."""
    if seconds is None:
        return "–"
    minutes = int(round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days} + (
            " " + gettext("%(n)d h") % {"n": hours} if hours else ""
        )
    if hours:
        return gettext("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    return gettext("%(n)d min") % {"n": minutes}
