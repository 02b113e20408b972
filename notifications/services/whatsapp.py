"""WhatsApp beside SMS: which channel a text goes by, and what WhatsApp told us about a number.

A text written for WhatsApp goes there only if it may: free-form within 24 hours of the
customer's last WhatsApp message, otherwise as the approved Content template of its purpose and
language. Without either — or for a number WhatsApp does not know — it goes by SMS, so every
purpose always has a path.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Channel, ConfirmedNumber, Message, WhatsAppNumber, WhatsAppTemplate

# WhatsApp's customer-service window: free-form messages for this long after the customer's.
WINDOW = timedelta(hours=24)
# WhatsApp's limit for a template's text once its variables are filled in.
TEMPLATE_MAX_CHARS = 1024
# A Content template's placeholder: {{1}}, {{2}}…
PLACEHOLDER = re.compile(r"{{\s*(\d+)\s*}}")


@dataclass(frozen=True)
class Route:
    """How one text goes: `channel`, and for a WhatsApp template its SID and variables."""

    channel: str
    content_sid: str = ""
    variables: dict[str, str] = field(default_factory=dict)

    @property
    def whatsapp(self) -> bool:
        return self.channel == Channel.WHATSAPP


SMS = Route(Channel.SMS)


def channel_for(phone: str) -> str:
    """The channel a new text to `phone` is written for: the one its owner chose."""
    return channels_for([phone])[phone]


def channels_for(phones: Iterable[str]) -> dict[str, str]:
    """`channel_for` of many numbers, in one query: the channel each owner chose, SMS for a
    number never confirmed or while WhatsApp is off."""
    wanted = list(phones)
    chosen = (
        dict(ConfirmedNumber.objects.filter(phone__in=wanted).values_list("phone", "channel"))
        if settings.WHATSAPP_ENABLED
        else {}
    )
    return {phone: chosen.get(phone, Channel.SMS) for phone in wanted}


def in_window(number: WhatsAppNumber | None, now: datetime) -> bool:
    """Whether a free-form WhatsApp message may go to this number now."""
    return (
        number is not None
        and number.last_inbound_at is not None
        and now - number.last_inbound_at < WINDOW
    )


def template_variables(template: WhatsAppTemplate, values: Mapping[str, Any]) -> dict[str, str]:
    """The template's `ContentVariables`: each numbered placeholder with the value it names."""
    return {str(key): str(values.get(str(name), "")) for key, name in template.variables.items()}


def template_fill(template: WhatsAppTemplate, values: Mapping[str, Any]) -> str:
    """The template's text as the customer reads it (the admin's preview, the length test)."""
    filled = template_variables(template, values)
    return PLACEHOLDER.sub(lambda match: filled.get(match[1], match[0]), template.text)


def route_for(
    message: Message,
    *,
    number: WhatsAppNumber | None,
    template: WhatsAppTemplate | None,
    now: datetime,
) -> Route:
    """How `message` goes now (see the module's rule)."""
    if not settings.WHATSAPP_ENABLED or message.channel != Channel.WHATSAPP:
        return SMS
    if number is not None and number.not_on_whatsapp_at is not None:
        return SMS
    if in_window(number, now):
        return Route(Channel.WHATSAPP)
    if template is not None and template.approved and template.content_sid:
        return Route(
            Channel.WHATSAPP, template.content_sid, template_variables(template, message.variables)
        )
    return SMS


def message_channel(message: Message) -> str:
    """The channel `message` goes by: the one it went by once sent, else its route now (a text
    written for WhatsApp with no way there yet goes by SMS)."""
    if message.status not in (Message.Status.QUEUED, Message.Status.SENDING):
        return message.channel
    return routes_for([message])[message.pk].channel


def routes_for(messages: Iterable[Message], now: datetime | None = None) -> dict[int, Route]:
    """`route_for` each message, reading the numbers and templates in two queries."""
    now = now or timezone.now()
    wanted = [m for m in messages if m.channel == Channel.WHATSAPP]
    routes: dict[int, Route] = {}
    numbers: dict[str, WhatsAppNumber] = {}
    templates: dict[tuple[str, str], WhatsAppTemplate] = {}
    if wanted and settings.WHATSAPP_ENABLED:
        numbers = {
            n.phone: n
            for n in WhatsAppNumber.objects.filter(phone__in={m.recipient for m in wanted})
        }
        templates = {
            (t.purpose, t.language): t
            for t in WhatsAppTemplate.objects.filter(
                approved=True, purpose__in={m.purpose for m in wanted}
            )
        }
    for message in messages:
        routes[message.pk] = route_for(
            message,
            number=numbers.get(message.recipient),
            template=templates.get((message.purpose, message.language)),
            now=now,
        )
    return routes


def whatsapp_inbound_record(*, phone: str, at: datetime | None = None) -> WhatsAppNumber:
    """The customer wrote to us on WhatsApp: the 24-hour window opens, and the number is on
    WhatsApp after all."""
    at = at or timezone.now()
    with transaction.atomic():
        number, _created = WhatsAppNumber.objects.select_for_update().get_or_create(phone=phone)
        if number.last_inbound_at is None or number.last_inbound_at < at:
            number.last_inbound_at = at
        number.not_on_whatsapp_at = None
        number.save(update_fields=["last_inbound_at", "not_on_whatsapp_at"])
    return number


def whatsapp_not_on(*, phone: str) -> None:
    """Twilio said this number cannot get WhatsApp messages: its texts go by SMS from now on."""
    with transaction.atomic():
        number, _created = WhatsAppNumber.objects.select_for_update().get_or_create(phone=phone)
        if number.not_on_whatsapp_at is None:
            number.not_on_whatsapp_at = timezone.now()
            number.save(update_fields=["not_on_whatsapp_at"])


def channel_change(*, phone: str, channel: str) -> bool:
    """The customer chose another channel for their confirmed number. Returns whether it
    changed (an unknown channel, or WhatsApp while it is off, changes nothing)."""
    if channel not in Channel.values or (
        channel == Channel.WHATSAPP and not settings.WHATSAPP_ENABLED
    ):
        return False
    return bool(
        ConfirmedNumber.objects.filter(phone=phone).exclude(channel=channel).update(channel=channel)
    )
