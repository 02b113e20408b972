"""The demo switches a number to WhatsApp and plays a customer's WhatsApp message."""

import pytest
from django.core.management import CommandError, call_command

from notifications.models import ConfirmedNumber, WhatsAppNumber, WhatsAppTemplate
from notifications.whatsapp_templates import SUGGESTED
from tests.factories import ConfirmedNumberFactory

pytestmark = pytest.mark.django_db
PHONE = "+972502345678"


def test_demo_whatsapp_switches_a_confirmed_number_and_back():
    ConfirmedNumberFactory(phone=PHONE)
    call_command("demo_whatsapp", "050-234-5678")
    assert ConfirmedNumber.objects.get(phone=PHONE).channel == "whatsapp"
    call_command("demo_whatsapp", "050-234-5678", "--sms")
    assert ConfirmedNumber.objects.get(phone=PHONE).channel == "sms"


def test_demo_whatsapp_message_opens_the_window():
    ConfirmedNumberFactory(phone=PHONE)
    call_command("demo_whatsapp", "050-234-5678", "--message", "שלום")
    assert WhatsAppNumber.objects.get(phone=PHONE).last_inbound_at is not None


def test_demo_whatsapp_refuses_an_unknown_or_bad_number_clearly():
    with pytest.raises(CommandError, match="not confirmed"):
        call_command("demo_whatsapp", "050-234-5678")
    with pytest.raises(CommandError, match="not a mobile"):
        call_command("demo_whatsapp", "03-1234567")


def test_seed_whatsapp_templates_loads_them_approved_for_the_console_demo():
    from demo.context import SeedContext
    from demo.whatsapp import seed_whatsapp_templates

    seed_whatsapp_templates(SeedContext(password="x", log=lambda _: None))
    assert WhatsAppTemplate.objects.filter(approved=True).count() == len(SUGGESTED)
    assert all(
        t.content_sid.startswith("HX") and len(t.content_sid) == 34
        for t in WhatsAppTemplate.objects.all()
    )
