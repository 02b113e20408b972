"""Fixtures for tests that send texts: the locmem outbox, clean rate limits, and a
Twilio-compatible fake on loopback. Test folders that need them import them into their
conftest."""

import pytest
from django.core.cache import cache

from notifications.backends import locmem


@pytest.fixture(autouse=True)
def _fresh_limits_and_outbox():
    """Rate-limit counters live in the cache and texts in the locmem outbox: start clean."""
    cache.clear()
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture
def outbox():
    return locmem.outbox


@pytest.fixture
def twilio_fake(settings):
    from tests.integration.twilio_fake import FakeTwilio

    fake = FakeTwilio()
    settings.TWILIO_API_BASE_URL = fake.start()
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "0" * 32
    settings.SMS_BACKEND = "notifications.backends.twilio.TwilioBackend"
    yield fake
    fake.stop()
