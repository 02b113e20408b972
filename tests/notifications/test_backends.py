"""The Twilio backend drives the real `twilio` client against a Twilio-compatible fake."""

import io
import json
import logging

import pytest

from notifications.backends import SmsPermanentError, SmsTransientError
from notifications.backends.console import ConsoleBackend
from notifications.backends.twilio import TwilioBackend
from tests.integration.twilio_fake import Answer

PHONE = "+972502345678"


def test_twilio_backend_posts_to_the_configured_base_url(twilio_fake, settings):
    settings.SITE_URL = "https://shop.example"
    sid = TwilioBackend().send(to=PHONE, body="שלום")
    request = twilio_fake.requests[0]
    assert sid == request.sid
    assert request.path == f"/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json"
    assert request.form["To"] == PHONE and request.form["Body"] == "שלום"
    assert request.form["MessagingServiceSid"] == settings.TWILIO_MESSAGING_SERVICE_SID
    assert request.form["StatusCallback"] == "https://shop.example/sms/status/"
    assert request.authorization.startswith("Basic ")


def test_twilio_backend_uses_the_sender_without_a_messaging_service(twilio_fake, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_FROM_NUMBER = "+972521234567"
    TwilioBackend().send(to=PHONE, body="x")
    assert twilio_fake.requests[0].form["From"] == "+972521234567"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_twilio_backend_busy_or_broken_provider_is_transient(twilio_fake, status):
    twilio_fake.script(Answer(status, 20429 if status == 429 else None))
    with pytest.raises(SmsTransientError):
        TwilioBackend().send(to=PHONE, body="x")


@pytest.mark.parametrize("code", [21211, 21614, 21610])
def test_twilio_backend_refused_number_is_permanent_with_its_code(twilio_fake, code):
    twilio_fake.script(Answer(400, code))
    with pytest.raises(SmsPermanentError) as info:
        TwilioBackend().send(to=PHONE, body="x")
    assert info.value.code == str(code)
    assert PHONE not in info.value.message


def test_twilio_backend_network_error_is_transient(twilio_fake, settings):
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(SmsTransientError):
        TwilioBackend().send(to=PHONE, body="x")


def test_twilio_backend_logs_neither_number_nor_text(twilio_fake, caplog):
    caplog.set_level(logging.DEBUG)
    TwilioBackend().send(to=PHONE, body="secret words")
    assert PHONE not in caplog.text and "secret words" not in caplog.text


def test_console_backend_prints_the_text_with_the_number_masked():
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send(to=PHONE, body="שלום")
    assert "שלום" in stream.getvalue()
    assert PHONE not in stream.getvalue() and "78" in stream.getvalue()


def test_twilio_backend_sends_a_whatsapp_template_from_the_whatsapp_sender(twilio_fake, settings):
    settings.TWILIO_WHATSAPP_FROM = "whatsapp:+972521234567"
    TwilioBackend().send(
        to=PHONE,
        body="שלום",
        channel="whatsapp",
        content_sid="HX" + "a" * 32,
        content_variables={"1": "פגסוס"},
    )
    form = twilio_fake.requests[0].form
    assert form["To"] == f"whatsapp:{PHONE}" and form["From"] == "whatsapp:+972521234567"
    assert form["ContentSid"] == "HX" + "a" * 32 and "Body" not in form
    assert json.loads(form["ContentVariables"]) == {"1": "פגסוס"}
    assert "MessagingServiceSid" not in form


def test_twilio_backend_sends_free_form_whatsapp_through_the_messaging_service(
    twilio_fake, settings
):
    TwilioBackend().send(to=PHONE, body="שלום", channel="whatsapp")
    form = twilio_fake.requests[0].form
    assert form["To"] == f"whatsapp:{PHONE}" and form["Body"] == "שלום"
    assert form["MessagingServiceSid"] == settings.TWILIO_MESSAGING_SERVICE_SID


@pytest.mark.parametrize("code", [63003, 63016, 63024])
def test_twilio_backend_whatsapp_refusals_are_permanent_with_their_code(twilio_fake, code):
    twilio_fake.fail_for(f"whatsapp:{PHONE}", 400, code)
    with pytest.raises(SmsPermanentError) as caught:
        TwilioBackend().send(to=PHONE, body="x", channel="whatsapp")
    assert caught.value.code == str(code)
