"""WhatsApp beside SMS: the channel a text goes by, templates, the 24-hour window, fallbacks."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from demand import services
from inventory import services as inventory
from inventory.models import Hold
from notifications import services as messaging
from notifications.backends import SmsPermanentError, SmsTransientError
from notifications.backends.locmem import LocMemBackend
from notifications.models import (
    ConfirmedNumber,
    Message,
    OptOut,
    PhoneVerification,
    WhatsAppNumber,
    WhatsAppTemplate,
)
from notifications.services.whatsapp import route_for, template_fill, template_variables
from notifications.whatsapp_templates import whatsapp_templates_load
from tests.factories import ConfirmedNumberFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"
SID = "HX" + "1" * 32


def template(purpose="hold_ready", language="he", approved=True, **kwargs):
    return WhatsAppTemplate.objects.create(
        purpose=purpose,
        language=language,
        content_sid=SID,
        approved=approved,
        text="שמור לך {{1}} מידה {{2}} ב{{3}}. ביטול: {{4}}",
        variables={"1": "model", "2": "size", "3": "store", "4": "link"},
        **kwargs,
    )


def whatsapp_number(phone=PHONE, **kwargs):
    ConfirmedNumberFactory(phone=phone, channel="whatsapp")
    return WhatsAppNumber.objects.create(phone=phone, **kwargs)


def queued(**kwargs) -> Message:
    defaults = {
        "recipient": PHONE,
        "body": "hello",
        "purpose": "hold_ready",
        "channel": "whatsapp",
        "idempotency_key": f"test:{Message.objects.count()}",
        "enqueued_at": timezone.now(),
        "variables": {
            "model": "Pegasus 41",
            "size": "42",
            "store": "דיזנגוף",
            "link": "https://sole.example/a/1/",
        },
    }
    return Message.objects.create(**{**defaults, **kwargs})


# --- the rule ------------------------------------------------------------------------------


def test_route_for_inside_the_window_is_free_form_whatsapp():
    number = whatsapp_number(last_inbound_at=timezone.now() - timedelta(hours=23))
    route = route_for(queued(), number=number, template=None, now=timezone.now())
    assert route.channel == "whatsapp" and route.content_sid == ""


def test_route_for_outside_the_window_takes_the_approved_template():
    number = whatsapp_number(last_inbound_at=timezone.now() - timedelta(hours=25))
    route = route_for(queued(), number=number, template=template(), now=timezone.now())
    assert route.channel == "whatsapp" and route.content_sid == SID
    assert route.variables == {
        "1": "Pegasus 41",
        "2": "42",
        "3": "דיזנגוף",
        "4": "https://sole.example/a/1/",
    }


@pytest.mark.parametrize("approved", [False, None])
def test_route_for_without_an_approved_template_falls_back_to_sms(approved):
    number = whatsapp_number()
    chosen = template(approved=False) if approved is False else None
    assert route_for(queued(), number=number, template=chosen, now=timezone.now()).channel == "sms"


def test_route_for_a_number_not_on_whatsapp_goes_by_sms_even_in_the_window():
    number = whatsapp_number(last_inbound_at=timezone.now(), not_on_whatsapp_at=timezone.now())
    assert (
        route_for(queued(), number=number, template=template(), now=timezone.now()).channel == "sms"
    )


def test_route_for_sms_text_or_whatsapp_off_goes_by_sms(settings):
    number = whatsapp_number(last_inbound_at=timezone.now())
    chosen = template()
    assert (
        route_for(queued(channel="sms"), number=number, template=chosen, now=timezone.now()).channel
        == "sms"
    )
    settings.WHATSAPP_ENABLED = False
    assert route_for(queued(), number=number, template=chosen, now=timezone.now()).channel == "sms"


def test_template_variables_and_fill_follow_the_mapping():
    chosen = template()
    values = {"model": "Air Max", "size": "44", "store": "עזריאלי", "link": "L", "extra": "x"}
    assert template_variables(chosen, values) == {
        "1": "Air Max",
        "2": "44",
        "3": "עזריאלי",
        "4": "L",
    }
    assert template_fill(chosen, values) == "שמור לך Air Max מידה 44 בעזריאלי. ביטול: L"


def test_template_clean_refuses_an_unmapped_placeholder_or_a_bad_mapping():
    from django.core.exceptions import ValidationError

    chosen = WhatsAppTemplate(
        purpose="hold_ready",
        language="he",
        content_sid=SID,
        text="{{1}} {{2}}",
        variables={"1": "model"},
    )
    with pytest.raises(ValidationError, match="2"):
        chosen.clean()
    chosen.variables = ["model"]
    with pytest.raises(ValidationError):
        chosen.clean()
    chosen.variables = {"1": "model", "2": "size"}
    chosen.clean()


# --- the channel choice --------------------------------------------------------------------


def test_signup_with_whatsapp_sends_the_code_by_whatsapp_template_and_keeps_the_choice(
    store, variant, outbox
):
    whatsapp_templates_load(content_sids={("verification", "he"): SID}, approved=True)
    result = services.waitlist_signup(
        phone=PHONE,
        variant=variant,
        store=store,
        language="he",
        client_ip="10.0.0.1",
        channel="whatsapp",
    )
    [sent] = outbox
    assert sent.channel == "whatsapp" and sent.content_sid == SID
    code = sent.content_variables["1"]
    assert len(code) == 6 and code.isdigit()
    assert Message.objects.get(purpose="verification").channel == "whatsapp"
    services.waitlist_confirm(
        verification_id=result.verification_id,
        code=code,
        client_ip="10.0.0.1",
        entry_ids=[result.entry.pk],
    )
    assert ConfirmedNumber.objects.get(phone=PHONE).channel == "whatsapp"


def test_signup_with_whatsapp_without_a_template_sends_the_code_by_sms(store, variant, outbox):
    services.waitlist_signup(
        phone=PHONE,
        variant=variant,
        store=store,
        language="he",
        client_ip="10.0.0.1",
        channel="whatsapp",
    )
    [sent] = outbox
    assert sent.channel == "sms" and sent.content_sid == ""
    assert Message.objects.get().channel == "sms"
    assert PhoneVerification.objects.get().channel == "whatsapp"


def test_channel_default_is_the_setting(settings):
    from demand.forms import ChannelForm

    settings.ALERT_CHANNEL_DEFAULT = "whatsapp"
    assert ChannelForm().fields["channel"].initial() == "whatsapp"
    settings.ALERT_CHANNEL_DEFAULT = "pigeon"
    assert ChannelForm().fields["channel"].initial() == "sms"
    settings.WHATSAPP_ENABLED = False
    assert "channel" not in ChannelForm().fields


def test_channel_change_refuses_an_unknown_channel_and_whatsapp_while_off(settings):
    ConfirmedNumberFactory(phone=PHONE)
    assert not messaging.channel_change(phone=PHONE, channel="fax")
    assert messaging.channel_change(phone=PHONE, channel="whatsapp")
    assert ConfirmedNumber.objects.get(phone=PHONE).channel == "whatsapp"
    settings.WHATSAPP_ENABLED = False
    messaging.channel_change(phone=PHONE, channel="sms")
    assert not messaging.channel_change(phone=PHONE, channel="whatsapp")


def test_hold_text_to_a_whatsapp_number_goes_by_its_template(store, variant, outbox):
    ConfirmedNumberFactory(phone=PHONE, channel="whatsapp")
    WaitlistEntryFactory(store=store, variant=variant, phone=PHONE)
    template()
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    [sent] = outbox
    assert sent.channel == "whatsapp" and sent.content_sid == SID
    assert sent.content_variables["1"] == variant.product.name
    assert "/a/" in sent.content_variables["4"]  # the text's own manage link
    message = Message.objects.get()
    assert message.channel == "whatsapp" and message.status == "sent"
    assert Hold.objects.get().expires_at is not None


# --- fallbacks -----------------------------------------------------------------------------


class Refusing(LocMemBackend):
    """The locmem backend, refusing WhatsApp sends with Twilio error `code` (503: transient)."""

    code = ""

    def send(self, *, to: str, body: str, channel: str = "sms", **route: Any) -> str:
        if channel == "whatsapp" and Refusing.code:
            error = SmsTransientError if Refusing.code == "503" else SmsPermanentError
            raise error(f"Twilio error {Refusing.code}", code=Refusing.code)
        return super().send(to=to, body=body, channel=channel, **route)


@pytest.fixture
def refusing(settings):
    settings.SMS_BACKEND = f"{__name__}.Refusing"
    Refusing.code = ""
    return Refusing


@pytest.mark.parametrize("code", ["63003", "63024", "63032"])
def test_not_on_whatsapp_falls_back_to_one_sms_and_remembers(refusing, outbox, code):
    whatsapp_number(last_inbound_at=timezone.now())
    refusing.code = code
    message = queued()
    assert messaging.message_send(message_id=message.pk).result == "failed"
    message.refresh_from_db()
    assert (message.status, message.error_code, message.channel) == ("failed", code, "whatsapp")
    fallback = Message.objects.get(idempotency_key=f"sms-fallback:{message.pk}")
    assert fallback.channel == "sms" and fallback.status == "sent"
    assert [(s.to, s.channel) for s in outbox] == [(PHONE, "sms")]
    assert WhatsAppNumber.objects.get(phone=PHONE).not_on_whatsapp_at is not None
    # The next text for the number goes straight by SMS.
    refusing.code = ""
    later = queued()
    messaging.message_send(message_id=later.pk)
    assert outbox[-1].channel == "sms"


def test_outside_window_63016_is_logged_as_an_error_and_not_retried(refusing, outbox, caplog):
    whatsapp_number(last_inbound_at=timezone.now())
    refusing.code = "63016"
    message = queued(purpose="other")
    with caplog.at_level(logging.ERROR, logger="notifications.services.sending"):
        assert messaging.message_send(message_id=message.pk).result == "failed"
    message.refresh_from_db()
    assert (message.status, message.error_code, message.attempts) == ("failed", "63016", 1)
    assert any("63016" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
    assert not Message.objects.filter(idempotency_key__startswith="sms-fallback:").exists()
    assert outbox == []


def test_whatsapp_transient_error_retries_as_today(refusing, outbox, settings):
    settings.SMS_RETRY_BACKOFF = 10
    whatsapp_number(last_inbound_at=timezone.now())
    refusing.code = "503"
    message = queued(purpose="other")
    outcome = messaging.message_send(message_id=message.pk)
    assert (outcome.result, outcome.retry_in) == ("retry", 10)
    message.refresh_from_db()
    assert message.status == "queued" and message.channel == "whatsapp"
    refusing.code = ""
    Message.objects.filter(pk=message.pk).update(send_after=timezone.now())
    assert messaging.message_send(message_id=message.pk).result == "sent"
    assert [s.channel for s in outbox] == ["whatsapp"]


def test_opted_out_whatsapp_number_gets_nothing(outbox):
    whatsapp_number(last_inbound_at=timezone.now())
    OptOut.objects.create(phone=PHONE, source="reply")
    message = queued()
    assert messaging.message_send(message_id=message.pk).result == "failed"
    assert outbox == []


# --- webhooks ------------------------------------------------------------------------------


def test_inbound_whatsapp_opens_the_window_and_its_reply_goes_by_whatsapp(outbox):
    ConfirmedNumberFactory(phone=PHONE, language="en")
    assert (
        messaging.message_inbound(provider_id="SM1", sender=f"whatsapp:{PHONE}", body="help")
        == "help"
    )
    number = WhatsAppNumber.objects.get(phone=PHONE)
    assert number.last_inbound_at is not None
    [reply] = outbox
    assert (reply.to, reply.channel, reply.content_sid) == (PHONE, "whatsapp", "")


@pytest.mark.parametrize("word", ["STOP", "עצור", "הסר"])
def test_inbound_whatsapp_stop_opts_out_of_both_channels(word, store, variant):
    entry = WaitlistEntryFactory(store=store, variant=variant, phone=PHONE)
    assert (
        messaging.message_inbound(provider_id=f"SM-{word}", sender=f"whatsapp:{PHONE}", body=word)
        == "stop"
    )
    assert OptOut.objects.filter(phone=PHONE).exists()
    entry.refresh_from_db()
    assert entry.status == "cancelled"
    assert messaging.is_opted_out(PHONE)


def test_read_status_is_recorded_on_the_text_and_its_hold(store, variant):
    WaitlistEntryFactory(store=store, variant=variant, phone=PHONE)
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    message = Message.objects.get()
    messaging.message_status_update(provider_id=message.provider_id, status="delivered")
    assert messaging.message_status_update(provider_id=message.provider_id, status="read")
    assert not messaging.message_status_update(provider_id=message.provider_id, status="read")
    message.refresh_from_db()
    assert message.status == "delivered" and message.read_at is not None
    assert Hold.objects.get().text_read_at == message.read_at


def test_status_callback_63003_falls_back_to_one_sms(outbox):
    whatsapp_number()
    message = queued(status="sent", provider_id="SM" + "b" * 32)
    for _ in range(2):
        messaging.message_status_update(
            provider_id=message.provider_id, status="failed", error_code="63003"
        )
    messaging.message_status_update(
        provider_id=message.provider_id, status="undelivered", error_code="63003"
    )
    assert Message.objects.filter(idempotency_key=f"sms-fallback:{message.pk}").count() == 1
    assert [s.channel for s in outbox] == ["sms"]
    assert WhatsAppNumber.objects.get(phone=PHONE).not_on_whatsapp_at is not None
