"""`python manage.py demo_whatsapp +972501234567`: the demo customer's number goes by WhatsApp.

`--sms` switches it back; `--message "HELP"` plays a WhatsApp message from the customer (it
opens the 24-hour window, and STOP, START and HELP are honoured as from Twilio's webhook).
"""

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.phones import phone_or_none
from notifications import services
from notifications.models import Channel, ConfirmedNumber


class Command(BaseCommand):
    help = "Switch a confirmed demo number to WhatsApp (or back), or play a WhatsApp message."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="The customer's mobile, e.g. 050-2345678.")
        parser.add_argument("--sms", action="store_true", help="Back to SMS.")
        parser.add_argument(
            "--message", default="", help="A WhatsApp message from the customer to play."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        phone = phone_or_none(options["phone"])
        if phone is None:
            raise CommandError("That is not a mobile number we can text.")
        if options["message"]:
            handled = services.message_inbound(
                provider_id=f"SM{uuid.uuid4().hex}",
                sender=f"whatsapp:{phone}",
                body=options["message"],
            )
            self.stdout.write(
                f"WhatsApp message played ({handled or 'no keyword'}); the 24-hour window is open."
            )
        if not ConfirmedNumber.objects.filter(phone=phone).exists():
            if options["message"]:
                return
            raise CommandError("That number is not confirmed yet: sign up with it first.")
        channel = Channel.SMS if options["sms"] else Channel.WHATSAPP
        services.channel_change(phone=phone, channel=channel)
        self.stdout.write(self.style.SUCCESS(f"Its texts now go by {Channel(channel).label}."))
