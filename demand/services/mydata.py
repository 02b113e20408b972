"""The customer's "My data": her number's settings corrected."""

from django.db import transaction

from core.language import language_or_default
from notifications import selectors as messaging_selectors
from notifications import services as messaging
from notifications.models import Channel

from ..models import WaitlistEntry

# Entries whose texts are still to come: their language follows the number's.
_LIVE = [*WaitlistEntry.OPEN_STATUSES, WaitlistEntry.Status.TRANSFER, WaitlistEntry.Status.HELD]


def number_preferences_change(
    *,
    phone: str,
    language: str,
    channel: str | None,
    promotional: bool | None = None,
    page: str = "",
) -> bool:
    """Texts to `phone` come in `language` from now on (the number's and its live alerts'),
    and by `channel` when one is given; `promotional` gives or withdraws consent to news and
    offers (recorded with the words shown on `page`). Returns whether anything changed."""
    language = language_or_default(language)
    with transaction.atomic():
        changed = messaging.number_language_change(phone=phone, language=language)
        changed |= bool(
            WaitlistEntry.objects.filter(phone=phone, status__in=_LIVE)
            .exclude(language=language)
            .update(language=language)
        )
        if channel:
            changed |= messaging.channel_change(phone=phone, channel=channel)
        if promotional is not None:
            changed |= messaging.promotional_change(
                phone=phone,
                wanted=promotional,
                page=page,
                channel=messaging_selectors.channel_of(phone) or Channel.SMS,
            )
    return changed
