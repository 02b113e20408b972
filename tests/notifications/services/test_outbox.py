"""The SMS outbox: claiming, retries, dead letters, opt-outs, the sweeps, the budget."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold
from notifications import services
from notifications.backends import BaseSmsBackend, SmsPermanentError, SmsTransientError
from notifications.models import Message, OptOut
from tests.demand.helpers import entry_held_by
from tests.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"


class ScriptedBackend(BaseSmsBackend):
    """Answers from `script` in order (an exception to raise, or None to accept)."""

    script: list[Exception | None] = []
    sent: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str, **route: Any) -> str:
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome
        self.sent.append((to, body))
        return f"SM{len(self.sent):032d}"


@pytest.fixture
def backend(settings):
    settings.SMS_BACKEND = f"{__name__}.ScriptedBackend"
    settings.SMS_RETRY_BACKOFF = 10
    settings.SMS_MAX_ATTEMPTS = 3
    ScriptedBackend.script, ScriptedBackend.sent = [], []
    return ScriptedBackend


def queued(**kwargs) -> Message:
    """An outbox row written as a task would find it, without sending it yet."""
    defaults = {
        "recipient": PHONE,
        "body": "hello",
        "purpose": "other",
        "idempotency_key": f"test:{Message.objects.count()}",
        "enqueued_at": timezone.now(),
    }
    return Message.objects.create(**{**defaults, **kwargs})


def test_message_send_sends_once_and_skips_a_duplicate_task(backend):
    message = queued()
    assert services.message_send(message_id=message.pk).result == "sent"
    assert services.message_send(message_id=message.pk).result == "skipped"
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1
    assert message.provider_id and message.sent_at
    assert len(backend.sent) == 1


def test_message_send_transient_error_backs_off_exponentially(backend):
    backend.script = [SmsTransientError("HTTP 500", status=500)] * 2
    message = queued()
    first = services.message_send(message_id=message.pk)
    assert (first.result, first.retry_in) == ("retry", 10)
    message.refresh_from_db()
    assert message.status == "queued" and message.last_error == "HTTP 500"
    # Not due yet: an early duplicate task does nothing.
    assert services.message_send(message_id=message.pk).result == "skipped"
    Message.objects.filter(pk=message.pk).update(send_after=timezone.now())
    second = services.message_send(message_id=message.pk)
    assert (second.result, second.retry_in) == ("retry", 20)
    Message.objects.filter(pk=message.pk).update(send_after=timezone.now())
    assert services.message_send(message_id=message.pk).result == "sent"
    message.refresh_from_db()
    assert message.attempts == 3 and len(backend.sent) == 1


def test_message_send_backoff_is_capped(backend, settings):
    settings.SMS_MAX_ATTEMPTS = 10
    settings.SMS_RETRY_BACKOFF_MAX = 30
    message = queued(attempts=7)
    backend.script = [SmsTransientError("HTTP 503", status=503)]
    assert services.message_send(message_id=message.pk).retry_in == 30


def test_message_send_backoff_longer_than_a_broker_countdown_waits_for_the_due_sweep(
    backend, settings
):
    """The broker would hand a task waiting past its visibility timeout to a second worker."""
    settings.SMS_RETRY_BACKOFF = settings.CELERY_COUNTDOWN_MAX * 2
    message = queued()
    backend.script = [SmsTransientError("HTTP 503", status=503)]

    outcome = services.message_send(message_id=message.pk)

    assert (outcome.result, outcome.retry_in) == ("retry", None)  # nothing put on the broker
    message.refresh_from_db()
    assert message.status == "queued" and message.enqueued_at is None
    assert services.messages_dispatch_due() == []  # not due yet
    Message.objects.filter(pk=message.pk).update(send_after=timezone.now())  # its time comes
    assert services.messages_dispatch_due() == [message.pk]
    message.refresh_from_db()
    assert message.status == "sent" and len(backend.sent) == 1


def test_message_send_gives_up_after_max_attempts_and_releases_the_hold(backend, store, variant):
    backend.script = [SmsTransientError("network")] * 3
    waiting = [WaitlistEntryFactory(store=store, variant=variant) for _ in range(2)]
    inventory.stock_receive(store=store, variant=variant, quantity=1)  # first try fails
    first = Message.objects.get(hold__pk=WaitlistEntry.objects.get(pk=waiting[0].pk).hold_id)
    for _ in range(2):
        Message.objects.filter(pk=first.pk).update(send_after=timezone.now())
        services.message_send(message_id=first.pk)
    first.refresh_from_db()
    assert first.status == "failed" and first.attempts == 3  # a dead letter
    assert WaitlistEntry.objects.get(pk=waiting[0].pk).status == "lapsed"
    # The pair went to the next person, whose text went out.
    assert entry_held_by(Hold.objects.get(status="active")) == waiting[1].pk
    assert backend.sent[-1][0] == waiting[1].phone


def test_message_send_permanent_error_fails_at_once_with_its_code(backend):
    backend.script = [SmsPermanentError("HTTP 400, Twilio error 21211", code="21211", status=400)]
    message = queued()
    assert services.message_send(message_id=message.pk).result == "failed"
    message.refresh_from_db()
    assert (message.status, message.error_code, message.attempts) == ("failed", "21211", 1)
    assert not OptOut.objects.exists()


def test_message_send_unsubscribed_records_an_opt_out_and_nothing_more_is_sent(
    backend, store, variant
):
    entry = WaitlistEntryFactory(phone=PHONE, store=store, variant=variant)
    other = WaitlistEntryFactory(phone=PHONE)
    backend.script = [SmsPermanentError("HTTP 400, Twilio error 21610", code="21610")]
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    assert OptOut.objects.get(phone=PHONE).source == "provider"
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "lapsed"
    assert WaitlistEntry.objects.get(pk=other.pk).status == "cancelled"
    later = queued()
    assert services.message_send(message_id=later.pk).result == "failed"
    assert backend.sent == []


def test_message_send_never_texts_an_opted_out_number_except_the_start_reply(backend):
    OptOut.objects.create(phone=PHONE, source="reply")
    refused = queued()
    allowed = queued(purpose="reply", idempotency_key="reply:start:SM1")
    assert services.message_send(message_id=refused.pk).result == "failed"
    assert services.message_send(message_id=allowed.pk).result == "sent"
    assert backend.sent == [(PHONE, "hello")]


def test_message_send_hold_ended_before_the_text_sends_nothing(backend, store, variant, settings):
    settings.QUIET_HOURS = "00:00-23:59"
    WaitlistEntryFactory(store=store, variant=variant)
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    inventory.hold_release(hold=Hold.objects.get())
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(send_after=timezone.now())
    assert services.message_send(message_id=message.pk).result == "failed"
    assert backend.sent == []


def test_messages_requeue_stale_hands_over_lost_and_stuck_texts(backend):
    old = timezone.now() - timedelta(minutes=10)
    lost = queued(enqueued_at=old)
    stuck = queued(status="sending", claimed_at=old, attempts=1)
    fresh = queued()
    Message.objects.filter(pk=fresh.pk).update(enqueued_at=timezone.now())
    assert sorted(services.messages_requeue_stale()) == sorted([lost.pk, stuck.pk])
    assert {m.status for m in Message.objects.filter(pk__in=[lost.pk, stuck.pk])} == {"sent"}
    assert len(backend.sent) == 2


def test_messages_dispatch_due_sends_only_what_is_due(backend):
    due = queued(enqueued_at=None, send_after=timezone.now() - timedelta(seconds=1))
    later = queued(enqueued_at=None, send_after=timezone.now() + timedelta(hours=1))
    assert services.messages_dispatch_due() == [due.pk]
    assert Message.objects.get(pk=later.pk).status == "queued"


def test_message_retry_sends_a_failed_text_again(backend):
    message = queued(status="failed", attempts=3, error_code="30003")
    services.message_retry(message=message)
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1


def test_message_retry_refuses_a_text_that_did_not_fail(backend):
    with pytest.raises(services.AlertError):
        services.message_retry(message=queued(status="sent"))


def test_message_create_same_idempotency_key_is_one_text(backend):
    first = services.message_create(
        recipient=PHONE, purpose="other", idempotency_key="k", body="one"
    )
    again = services.message_create(
        recipient=PHONE, purpose="other", idempotency_key="k", body="two"
    )
    assert first.pk == again.pk and len(backend.sent) == 1


def test_message_create_budget_stops_non_essential_texts_only(backend, settings, store, variant):
    settings.SMS_DAILY_BUDGET = 1
    services.message_create(recipient=PHONE, purpose="other", idempotency_key="a", body="x")
    with pytest.raises(services.BudgetExhausted):
        services.message_create(
            recipient=PHONE, purpose="verification", idempotency_key="b", body="x"
        )
    WaitlistEntryFactory(store=store, variant=variant)
    inventory.stock_receive(store=store, variant=variant, quantity=1)  # a hold text still goes
    assert Message.objects.filter(purpose="hold_ready", status="sent").count() == 1


def test_message_send_keeps_to_the_providers_rate(backend, settings):
    settings.SMS_SEND_RATE_PER_SECOND = 2
    import time

    messages = [queued() for _ in range(5)]
    started = time.monotonic()
    for message in messages:
        services.message_send(message_id=message.pk)
    assert time.monotonic() - started >= 1.0  # 5 texts at 2 a second span 2+ windows


def test_messages_send_batch_sends_the_queued_and_skips_the_rest(backend):
    first, second = queued(), queued()
    done = queued(status="sent")
    outcomes = services.messages_send_batch(message_ids=[first.pk, second.pk, done.pk])
    assert [(o.message_id, o.result) for o in outcomes] == [(first.pk, "sent"), (second.pk, "sent")]
    assert len(backend.sent) == 2


def test_messages_dispatch_hands_texts_over_in_batches(backend, settings):
    settings.SMS_SEND_BATCH = 2
    messages = [queued() for _ in range(5)]
    services.messages_dispatch([m.pk for m in messages])
    assert Message.objects.filter(status="sent").count() == 5


class DiesAfterSending(BaseSmsBackend):
    """The provider takes the text, then the worker dies before marking it sent."""

    sent: list[str] = []

    def send(self, *, to: str, body: str, **route: Any) -> str:
        self.sent.append(body)
        raise SystemExit("worker killed")


def test_message_send_repeat_after_a_crash_names_the_same_until(backend, settings, store, variant):
    WaitlistEntryFactory(store=store, variant=variant)
    settings.SMS_BACKEND = f"{__name__}.DiesAfterSending"
    DiesAfterSending.sent = []
    with pytest.raises(SystemExit):
        inventory.stock_receive(store=store, variant=variant, quantity=1)
    hold = Hold.objects.get()
    message = Message.objects.get(hold=hold)
    assert message.status == "sending" and hold.expires_at is not None
    first_until = hold.expires_at
    # Later the sweep hands the stuck text over again and a healthy worker sends it.
    settings.SMS_BACKEND = f"{__name__}.ScriptedBackend"
    services.messages_requeue_stale(now=timezone.now() + timedelta(minutes=10))
    message.refresh_from_db()
    hold.refresh_from_db()
    assert message.status == "sent"
    assert hold.expires_at == first_until
    assert backend.sent[-1][1] == DiesAfterSending.sent[0]  # word for word the same text


def test_text_preview_is_the_text_message_create_writes_even_after_a_rollback(settings):
    """The preview's link carries the id the next row gets, read from the database's counter:
    a text written and rolled back (or deleted) leaves a gap the preview does not fall into."""
    from django.db import transaction

    settings.SITE_URL = "https://sole.co.il"
    kept = Message.objects.create(recipient=PHONE, purpose="other", idempotency_key="kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        Message.objects.create(recipient=PHONE, purpose="other", idempotency_key="undone")
        raise RuntimeError
    Message.objects.create(recipient=PHONE, purpose="other", idempotency_key="gone").delete()
    values = {"model": "Pegasus 41", "size": "42", "store": "Haifa", "reason": "Damaged"}
    preview = services.text_preview(
        recipient=PHONE,
        language="en",
        template="transfer_declined",
        context={**values, "polite": True},
    )
    written = services.message_create(
        recipient=PHONE,
        purpose=Message.Purpose.TRANSFER_DECLINED,
        language="en",
        idempotency_key="declined",
        template="transfer_declined",
        context={**values, "polite": True},
    )
    assert written.pk > kept.pk + 1  # the gap
    assert preview.body == written.body
    assert f"/en/a/{written.pk}-" in preview.body
    assert (preview.channel, preview.cost.segments, preview.cost.encoding) == ("sms", 1, "GSM-7")


class SlowProvider(ScriptedBackend):
    """The batch's first text is at the provider so long that the later ones, claimed with
    it, pass the staleness meanwhile: the sweep hands them over again (to a task that runs at
    once, tasks being eager here)."""

    swept: list[int] | None = None

    def send(self, *, to: str, body: str, **route: Any) -> str:
        if to == PHONE and SlowProvider.swept is None:
            SlowProvider.swept = []  # once
            claimed = Message.objects.exclude(recipient=PHONE).get().claimed_at
            assert claimed is not None  # claimed with the batch
            SlowProvider.swept = services.messages_requeue_stale(
                now=claimed + django_settings.SMS_STALE_AFTER
            )
        return super().send(to=to, body=body, **route)


def test_messages_send_batch_skips_a_text_the_sweep_handed_over_while_earlier_ones_went(
    backend, settings
):
    settings.SMS_BACKEND = f"{__name__}.SlowProvider"
    SlowProvider.swept = None
    first, later = queued(), queued(recipient="+972502345679")

    outcomes = services.messages_send_batch(message_ids=[first.pk, later.pk])

    assert SlowProvider.swept == [later.pk]  # the first, still at the provider, was left alone
    assert [(o.message_id, o.result) for o in outcomes] == [
        (first.pk, "sent"),
        (later.pk, "skipped"),
    ]
    assert sorted(to for to, _body in backend.sent) == sorted([first.recipient, later.recipient])
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_throttle_paces_each_sender_on_its_own(settings):
    """A draw's SMS at the SMS sender's rate do not slow the WhatsApp sender, and vice versa."""
    import time

    from notifications.services import sending

    settings.SMS_SEND_RATE_PER_SECOND = 1
    settings.WHATSAPP_SEND_RATE_PER_SECOND = 1
    time.sleep(1 - time.time() % 1 + 0.01)  # start at the beginning of a second
    started = time.monotonic()
    sending._throttle("sms")
    sending._throttle("whatsapp")
    assert time.monotonic() - started < 0.5  # one each: neither waits
    sending._throttle("sms")
    assert time.monotonic() - started >= 0.5  # the SMS sender's second is used up
