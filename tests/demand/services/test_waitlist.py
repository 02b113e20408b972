"""Sign-up and confirmation: services and their refusals."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from core.phones import InvalidPhone
from demand import services
from demand.models import WaitlistEntry
from inventory.models import Hold
from notifications import services as messaging
from notifications.models import ConfirmedNumber, Message, OptOut, PhoneVerification
from tests.factories import ConfirmedNumberFactory, StoreFactory, VariantFactory

PHONE = "+972502345678"
pytestmark = pytest.mark.django_db(transaction=True)


def signup(variant, store, phone="050-234-5678", ip="10.0.0.1", **kwargs):
    return services.waitlist_signup(
        phone=phone, variant=variant, store=store, language="he", client_ip=ip, **kwargs
    )


def code_from(outbox) -> str:
    match = re.search(r"\b(\d{6})\b", outbox[-1].body)
    assert match, outbox[-1].body
    return match.group(1)


def test_waitlist_signup_new_number_is_pending_and_gets_a_code(variant, store, outbox):
    result = signup(variant, store)
    assert result.state == "check_phone"
    assert result.entry.status == WaitlistEntry.Status.PENDING
    assert result.entry.phone == PHONE
    assert len(outbox) == 1 and outbox[0].to == PHONE
    code = code_from(outbox)
    verification = PhoneVerification.objects.get()
    assert code not in verification.code_hash  # only a hash is kept
    assert Message.objects.get().purpose == "verification"


def test_verification_confirm_activates_the_entry_and_remembers_the_number(variant, store, outbox):
    result = signup(variant, store)
    services.waitlist_confirm(
        verification_id=result.verification_id,
        code=code_from(outbox),
        client_ip="10.0.0.1",
        entry_ids=[result.entry.pk],
    )
    result.entry.refresh_from_db()
    assert result.entry.status == WaitlistEntry.Status.ACTIVE
    assert ConfirmedNumber.objects.filter(phone=PHONE).exists()


def test_verification_confirm_wrong_code_counts_attempts_then_locks(variant, store, outbox):
    result = signup(variant, store)
    good = code_from(outbox)
    bad = "000000" if good != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(messaging.CodeRejected) as info:
            services.waitlist_confirm(
                verification_id=result.verification_id,
                code=bad,
                client_ip="10.0.0.1",
                entry_ids=[result.entry.pk],
            )
        assert info.value.attempts_left == left
    with pytest.raises(messaging.CodeRejected):
        services.waitlist_confirm(
            verification_id=result.verification_id,
            code=bad,
            client_ip="10.0.0.1",
            entry_ids=[result.entry.pk],
        )
    # The fifth try was the last: even the right code is refused now.
    with pytest.raises(messaging.CodeRejected):
        services.waitlist_confirm(
            verification_id=result.verification_id,
            code=good,
            client_ip="10.0.0.1",
            entry_ids=[result.entry.pk],
        )
    result.entry.refresh_from_db()
    assert result.entry.status == WaitlistEntry.Status.PENDING


def test_verification_confirm_expired_code_is_refused(variant, store, outbox):
    result = signup(variant, store)
    PhoneVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with translation.override("en"), pytest.raises(messaging.CodeRejected, match="expired"):
        services.waitlist_confirm(
            verification_id=result.verification_id,
            code=code_from(outbox),
            client_ip="10.0.0.1",
            entry_ids=[result.entry.pk],
        )


def test_verification_confirm_used_code_cannot_be_used_again(variant, store, outbox):
    result = signup(variant, store)
    code = code_from(outbox)
    services.waitlist_confirm(
        verification_id=result.verification_id,
        code=code,
        client_ip="10.0.0.1",
        entry_ids=[result.entry.pk],
    )
    with pytest.raises(messaging.CodeRejected):
        services.waitlist_confirm(
            verification_id=result.verification_id,
            code=code,
            client_ip="10.0.0.1",
            entry_ids=[result.entry.pk],
        )


def test_verification_confirm_without_a_code_sent_is_refused_like_a_wrong_code():
    with translation.override("en"), pytest.raises(messaging.CodeRejected, match="wrong"):
        messaging.verification_confirm(verification_id=None, code="123456", client_ip="10.0.0.1")


def test_waitlist_signup_same_number_size_and_store_is_one_entry(variant, store, outbox):
    first = signup(variant, store)
    second = signup(variant, store, phone="+972 50 234 5678", verification_id=first.verification_id)
    assert first.entry.pk == second.entry.pk
    assert WaitlistEntry.objects.count() == 1
    assert len(outbox) == 1  # the code already on its way covers it


def test_waitlist_signup_another_size_with_a_live_code_sends_no_second_code(store, outbox):
    first = signup(VariantFactory(), store)
    second = signup(VariantFactory(), store, verification_id=first.verification_id)
    assert second.verification_id == first.verification_id
    assert WaitlistEntry.objects.count() == 2
    assert len(outbox) == 1


def test_waitlist_signup_trusted_confirmed_number_is_active_at_once(variant, store, outbox):
    ConfirmedNumberFactory(phone=PHONE)
    result = signup(variant, store, trusted=True)
    assert result.state == "active"
    assert result.entry.status == WaitlistEntry.Status.ACTIVE
    assert outbox == []


def test_waitlist_signup_confirmed_elsewhere_waits_for_a_code_sent_to_the_number(
    variant, store, outbox
):
    ConfirmedNumberFactory(phone=PHONE)
    result = signup(variant, store)
    # The page asks for a code as for any number, so it reveals nothing about this one...
    assert result.state == "check_phone"
    # ...and a stranger's browser cannot switch the alert on (nor hold a pair) without it.
    assert result.entry.status == WaitlistEntry.Status.PENDING
    assert Hold.objects.count() == 0
    assert len(outbox) == 1
    assert Message.objects.get().purpose == "verification"


def test_waitlist_signup_landline_is_refused(variant, store):
    with pytest.raises(InvalidPhone):
        signup(variant, store, phone="03-5551234")
    assert not WaitlistEntry.objects.exists()


def test_waitlist_signup_rate_limited_per_number(settings, store, outbox):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_per_number": (2, 3600)}
    signup(VariantFactory(), store, ip="10.0.0.1")
    signup(VariantFactory(), store, ip="10.0.0.2")
    with pytest.raises(messaging.TooManyRequests):
        signup(VariantFactory(), store, ip="10.0.0.3")


def test_waitlist_signup_rate_limited_per_client_address(settings, store):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_per_ip": (2, 3600)}
    signup(VariantFactory(), store, phone="050-234-5678")
    signup(VariantFactory(), store, phone="052-345-6789")
    with pytest.raises(messaging.TooManyRequests):
        signup(VariantFactory(), store, phone="054-456-7890")


def _signups_from(addresses) -> int:
    """How many of one sign-up per address (each from its own number) get through."""
    done = 0
    for index, address in enumerate(addresses):
        try:
            signup(VariantFactory(), StoreFactory(), phone=f"050-234-56{index:02d}", ip=address)
        except messaging.TooManyRequests:
            continue
        done += 1
    return done


def test_waitlist_signup_rate_limited_per_ipv6_64_not_per_address(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "signup_per_ip": (13, 3600),
        "code_per_ip": (100, 3600),
    }
    rotating = [f"2001:db8:aa:1::{n:x}" for n in range(1, 15)]
    assert _signups_from(rotating) == 13  # one /64 is one client: the 14th is refused
    assert _signups_from(["2001:db8:aa:2::1"]) == 1  # the next /64 has its own count


def test_waitlist_signup_rate_limited_per_ipv4_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_per_ip": (1, 3600)}
    assert _signups_from(["198.51.100.1", "198.51.100.2", "::ffff:198.51.100.1"]) == 2


def test_verification_start_codes_rate_limited_per_number(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "code_per_number": (2, 3600)}
    for ip in ("10.0.0.1", "10.0.0.2"):
        messaging.verification_start(phone=PHONE, language="he", client_ip=ip)
    with pytest.raises(messaging.TooManyRequests):
        messaging.verification_start(phone=PHONE, language="he", client_ip="10.0.0.3")


def test_waitlist_signup_refused_when_the_daily_budget_is_spent(settings, variant, store, outbox):
    settings.SMS_DAILY_BUDGET = 1
    signup(VariantFactory(), StoreFactory(), phone="052-345-6789")
    with pytest.raises(messaging.BudgetExhausted):
        signup(variant, store)
    assert len(outbox) == 1


def test_waitlist_signup_opted_out_number_gets_no_text(variant, store, outbox):
    OptOut.objects.create(phone=PHONE, source="reply")
    result = signup(variant, store)
    assert result.state == "check_phone"
    assert outbox == []
    assert result.entry.status == WaitlistEntry.Status.PENDING


def test_verification_confirm_activates_only_this_browsers_entries(store, outbox):
    theirs = signup(VariantFactory(), store, ip="10.9.9.9").entry  # someone else's sign-up
    cache_clear_limits()
    mine = signup(VariantFactory(), store)
    services.waitlist_confirm(
        verification_id=mine.verification_id,
        code=code_from(outbox),
        client_ip="10.0.0.1",
        entry_ids=[mine.entry.pk],
    )
    theirs.refresh_from_db()
    assert theirs.status == WaitlistEntry.Status.PENDING


def cache_clear_limits():
    from django.core.cache import cache

    cache.clear()


def test_verification_start_trips_the_site_wide_breaker_and_tells_staff(settings, client, outbox):
    from django.core.cache import cache

    from notifications.services import CodesPaused, code_breaker_tripped_at, verification_start
    from tests.factories import UserFactory

    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "code_sitewide": (2, 3600)}
    verification_start(phone="050-234-5670", language="he", client_ip="198.51.100.1")
    verification_start(phone="050-234-5671", language="he", client_ip="198.51.100.2")
    with pytest.raises(CodesPaused):
        verification_start(phone="050-234-5672", language="he", client_ip="198.51.100.3")
    assert len(outbox) == 2
    assert code_breaker_tripped_at() is not None
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/en/admin/notifications/message/").content.decode()
    assert "Confirmation codes are paused" in page
