"""Opt-outs: a number that said stop gets no more texts until it says start."""

import pytest

from demand.models import WaitlistEntry
from notifications import services
from notifications.models import OptOut
from tests.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


def test_phone_opt_out_cancels_waiting_alerts_and_is_recorded_once():
    waiting = WaitlistEntryFactory(phone=PHONE)
    other = WaitlistEntryFactory()
    services.phone_opt_out(phone=PHONE, source="link")
    services.phone_opt_out(phone=PHONE, source="reply")
    assert list(OptOut.objects.values_list("phone", "source")) == [(PHONE, "link")]
    assert WaitlistEntry.objects.get(pk=waiting.pk).status == "cancelled"
    assert WaitlistEntry.objects.get(pk=other.pk).status == "active"
    assert services.is_opted_out(PHONE)


def test_phone_opt_in_says_whether_the_number_had_opted_out():
    OptOut.objects.create(phone=PHONE, source="reply")
    assert services.phone_opt_in(phone=PHONE) is True
    assert services.phone_opt_in(phone=PHONE) is False
    assert not services.is_opted_out(PHONE)
