"""Sending one text: claimed one row at a time (a duplicate task is harmless), routed by its
channel, retried with backoff on a transient error, failed for good on a permanent one — with
one SMS fallback for a WhatsApp text that cannot arrive, and the apps above told."""

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inventory import services as inventory
from inventory.models import Hold

from .. import events, texts
from ..backends import SmsSendError, get_backend
from ..backends.twilio import NOT_ON_WHATSAPP_CODES, OUTSIDE_WINDOW_CODE, WHATSAPP_TEMPLATE_CODES
from ..models import Channel, Message, OptOut
from .limits import QUIET_PURPOSES, quiet_hours_end
from .observe import allocation_lag_observe, send_counted
from .optouts import opted_out_among, phone_opt_out
from .outbox import message_dispatch
from .whatsapp import Route, routes_for, whatsapp_not_on

logger = logging.getLogger(__name__)

Status = Message.Status
Purpose = Message.Purpose


@dataclass(frozen=True)
class SendOutcome:
    """What one send attempt did: sent, retry (queue it again in `retry_in` seconds; None
    when the due-sweep will), failed, skipped."""

    result: str
    retry_in: float | None = None
    message_id: int | None = None


def sender_rate(channel: str) -> int:
    """Texts a second the provider takes from the sender of `channel` (0: no limit): the SMS
    sender's `SMS_SEND_RATE_PER_SECOND`, the WhatsApp sender's `WHATSAPP_SEND_RATE_PER_SECOND`."""
    if channel == Channel.WHATSAPP:
        return int(settings.WHATSAPP_SEND_RATE_PER_SECOND)
    return int(settings.SMS_SEND_RATE_PER_SECOND)


def _throttle(channel: str) -> None:
    """Keep each sender to its rate (`sender_rate`) across every worker: a counter per sender
    and second in the cache, so a draw's thousands of texts are paced, never refused for
    speed. A cache outage never stops texts: the limit is then not enforced."""
    rate = sender_rate(channel)
    if rate <= 0:
        return
    while True:
        now = time.time()
        key = f"send-rate:{channel}:{int(now)}"
        try:
            cache.add(key, 0, timeout=5)
            count = cache.incr(key)
        except Exception:
            return
        if count <= rate:
            return
        time.sleep(max(0.0, 1 - (now % 1)) + 0.001)


def message_send(*, message_id: int) -> SendOutcome:
    """Send one queued text, at most once per claim (see `messages_send_batch`)."""
    outcomes = messages_send_batch(message_ids=[message_id])
    return outcomes[0] if outcomes else SendOutcome("skipped", message_id=message_id)


def messages_send_batch(*, message_ids: Sequence[int]) -> list[SendOutcome]:
    """Send queued texts, each at most once per claim.

    Claims the rows with `SELECT … FOR UPDATE SKIP LOCKED` and skips any that is not queued
    and due, so a duplicate task is harmless. Each claim is renewed just before its text goes,
    and a text whose claim is no longer this task's (the sweep handed it over again while the
    batch's earlier texts went) is skipped. A hold's text is rendered now (it says until
    when) and the hold's clock starts at the first claim, so a repeat names the same time. Each
    text is marked sent as
    soon as the provider takes it, so a worker that dies can repeat at most the one text it was
    sending. Transient errors put the row back in the queue with exponential backoff (capped);
    after `SMS_MAX_ATTEMPTS`, or at once for a permanent error, the row is failed — and a
    waitlist hold is released to the next person. Never texts an opted-out number (except the
    reply to START). A WhatsApp text goes by WhatsApp only where `whatsapp.route_for` allows,
    else by SMS; a number WhatsApp does not know gets it once more by SMS (`sms_fallback`).
    Returns an outcome for each row it claimed or failed.
    """
    outcomes, claimed = _claim(message_ids)
    backend = get_backend()
    routes = routes_for(claimed)
    for message in claimed:
        route = routes[message.pk]
        _throttle(route.channel)
        if not _claim_renew(message):
            outcomes.append(SendOutcome("skipped", message_id=message.pk))
            continue
        try:
            if route.whatsapp:
                provider_id = backend.send(
                    to=message.recipient,
                    body=message.body,
                    channel=route.channel,
                    content_sid=route.content_sid,
                    content_variables=route.variables,
                )
            else:
                provider_id = backend.send(to=message.recipient, body=message.body)
        except SmsSendError as exc:
            outcomes.append(_after_error(message, exc, route))
            continue
        sent_at = timezone.now()
        Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.SENT,
            provider_id=provider_id,
            sent_at=sent_at,
            error_code="",
            last_error="",
            body=message.body,
            variables=message.variables,
            channel=route.channel,
            updated_at=sent_at,
        )
        logger.info("SMS #%s sent by %s as %s", message.pk, route.channel, provider_id)
        send_counted(channel=route.channel, result="sent")
        allocation_lag_observe(message, sent_at=sent_at)
        outcomes.append(SendOutcome("sent", message_id=message.pk))
    return outcomes


def _claim(message_ids: Sequence[int]) -> tuple[list[SendOutcome], list[Message]]:
    """Lock the queued, due rows among `message_ids` (skipping rows another worker holds) and
    mark them sending; fail those that must not go. Returns (outcomes so far, rows to send)."""
    now = timezone.now()
    outcomes: list[SendOutcome] = []
    claimed: list[Message] = []
    with transaction.atomic():
        # The rows and what their texts name; then which of their numbers opted out (by the
        # keyed hash: a number whose data was deleted is still never texted).
        rows = list(
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("hold__variant__product", "hold__store")
            .filter(pk__in=list(message_ids), status=Status.QUEUED)
            .order_by("pk")
        )
        opted_out = opted_out_among({message.recipient for message in rows})
        early = []
        for message in rows:
            if message.send_after and message.send_after > now + timedelta(seconds=1):
                early.append(message.pk)  # a duplicate task: the due-sweep sends it in time
                continue
            exempt = message.idempotency_key.startswith("reply:start:")
            if not exempt and message.recipient in opted_out:
                _fail(message, code="opted_out", error="The recipient opted out of texts.")
                outcomes.append(SendOutcome("failed", message_id=message.pk))
                continue
            hold = message.hold
            if hold is not None:
                if hold.status != Hold.Status.ACTIVE:
                    _fail(
                        message,
                        code="hold_ended",
                        error="The hold ended before its text went.",
                        final_hook=False,
                    )
                    outcomes.append(SendOutcome("failed", message_id=message.pk))
                    continue
                # The hold's time is fixed once, at the first claim: a text repeated after a
                # worker died mid-send names the same "until" as the first.
                if hold.expires_at is None:
                    started = inventory.hold_start_clock(hold=hold, at=now)
                    hold.notified_at, hold.expires_at = started.notified_at, started.expires_at
                _render_hold_text(message, hold, inventory.hold_ends_at(hold, told_at=now))
            elif not message.body:
                _render_batch_text(message)
            message.attempts += 1
            claimed.append(message)
        if early:
            Message.objects.filter(pk__in=early).update(enqueued_at=None, updated_at=now)
        if claimed:
            Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
                status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now
            )
    for row in claimed:
        row.status, row.claimed_at = Status.SENDING, now
    return outcomes, claimed


def _claim_renew(message: Message) -> bool:
    """Whether `message` is still claimed by this task (sending, since the time it was claimed
    here); if so its claim starts again now, so the sweep leaves it alone while it is sent."""
    now = timezone.now()
    renewed = Message.objects.filter(
        pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
    ).update(claimed_at=now, updated_at=now)
    if renewed:
        message.claimed_at = now
    return bool(renewed)


def _render_hold_text(message: Message, hold: Hold, until: datetime) -> None:
    """Fill a hold text's values and body: what it names, until when, its link."""
    message.variables = {
        **texts.hold_context(hold, until),
        "link": texts.manage_link(message.pk, message.language),
    }
    message.body = texts.render_sms(message.purpose, message.language, message.variables)


def _render_batch_text(message: Message) -> None:
    """A text written in a batch with its values (`outbox.Text.context`): its body from the
    template its purpose names, with its own link."""
    message.variables = {
        **(message.variables or {}),
        "link": texts.manage_link(message.pk, message.language),
    }
    message.body = texts.render_sms(message.purpose, message.language, message.variables)


def message_preview(message: Message) -> str:
    """The text as it reads, or, for a hold text still waiting to go (its body is written when
    it is sent), as it will read: held until a full hold's time after it goes. Writes nothing."""
    if message.body or message.hold is None:
        return message.body
    hold = message.hold
    goes = max(filter(None, [message.send_after, timezone.now()]))
    preview = Message(pk=message.pk, purpose=message.purpose, language=message.language)
    _render_hold_text(preview, hold, inventory.hold_ends_at(hold, told_at=goes))
    return preview.body


def _after_error(message: Message, exc: SmsSendError, route: Route | None = None) -> SendOutcome:
    now = timezone.now()
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.status != Status.SENDING:
            return SendOutcome("skipped", message_id=locked.pk)
        locked.body = message.body  # as rendered for this attempt: staff see what failed
        locked.variables = message.variables
        if route is not None and route.whatsapp:
            locked.channel = Channel.WHATSAPP
            if not exc.transient and whatsapp_failed(locked, code=exc.code, error=exc.message):
                return SendOutcome("failed", message_id=locked.pk)
        if exc.transient and locked.attempts < settings.SMS_MAX_ATTEMPTS:
            delay = min(
                settings.SMS_RETRY_BACKOFF * 2 ** (locked.attempts - 1),
                settings.SMS_RETRY_BACKOFF_MAX,
            )
            # A short backoff waits on the broker (a countdown); a longer one in the database,
            # for the due-sweep: the broker redelivers a task that waits past its visibility
            # timeout.
            on_broker = delay <= settings.CELERY_COUNTDOWN_MAX
            locked.status = Status.QUEUED
            locked.error_code = exc.code
            locked.last_error = exc.message[:300]
            locked.send_after = now + timedelta(seconds=delay)
            locked.enqueued_at = locked.send_after if on_broker else None
            locked.save(
                update_fields=[
                    "status",
                    "error_code",
                    "last_error",
                    "send_after",
                    "enqueued_at",
                    "body",
                    "variables",
                    "channel",
                    "updated_at",
                ]
            )
            send_counted(channel=locked.channel, result="retry", code=exc.code, after_commit=True)
            logger.info(
                "SMS #%s: transient error (%s), retry %s in %.0fs",
                locked.pk,
                exc.message,
                locked.attempts + 1,
                delay,
            )
            return SendOutcome("retry", retry_in=delay if on_broker else None, message_id=locked.pk)
        _fail(locked, code=exc.code, error=exc.message)
        if exc.code == "21610":
            phone_opt_out(phone=locked.recipient, source=OptOut.Source.PROVIDER)
    logger.warning("SMS #%s failed for good: %s", locked.pk, exc.message)
    return SendOutcome("failed", message_id=locked.pk)


def _fail(message: Message, *, code: str, error: str, final_hook: bool = True) -> None:
    """Dead-letter the row (inside the caller's transaction) and free what waited on it."""
    message.status = Status.FAILED
    message.error_code = code or ""
    message.last_error = error[:300]
    send_counted(channel=message.channel, result="failed", code=code or "", after_commit=True)
    message.save(
        update_fields=[
            "status",
            "error_code",
            "last_error",
            "body",
            "variables",
            "channel",
            "updated_at",
        ]
    )
    if final_hook:
        message_failed_for_good(message)


def whatsapp_failed(message: Message, *, code: str, error: str) -> bool:
    """A WhatsApp text WhatsApp refused for good (inside the caller's transaction, `message`
    locked). A number not on WhatsApp is remembered and the text goes once by SMS; a refused
    template also goes by SMS (and staff are told); a free-form message outside the 24-hour
    window (63016) is a defect: logged as an error, never retried. Returns whether the row was
    handled here (failed); other codes are left to the caller."""
    number = int(code) if code.isdigit() else None
    if number in NOT_ON_WHATSAPP_CODES:
        whatsapp_not_on(phone=message.recipient)
        _fail(message, code=code, error=error, final_hook=False)
        sms_fallback(message)
        logger.info("SMS #%s: the number is not on WhatsApp, sent again by SMS", message.pk)
        return True
    if number in WHATSAPP_TEMPLATE_CODES:
        _fail(message, code=code, error=error, final_hook=False)
        sms_fallback(message)
        logger.error(
            "WhatsApp refused the template for %s (%s), error %s: fix it in the "
            "admin; the text went by SMS",
            message.purpose,
            message.language,
            code,
        )
        return True
    if number == OUTSIDE_WINDOW_CODE:
        _fail(message, code=code, error=error)
        logger.error(
            "SMS #%s: WhatsApp error 63016, a free-form message outside the 24-hour "
            "window (or a template sent as a plain body); not retried",
            message.pk,
        )
        return True
    return False


def sms_fallback(message: Message) -> Message:
    """The same text once more by SMS (inside the caller's transaction; once per text, however
    often the provider reports the failure). It waits out quiet hours like its original."""
    fallback, created = Message.objects.get_or_create(
        idempotency_key=f"sms-fallback:{message.pk}",
        defaults={
            "recipient": message.recipient,
            "purpose": message.purpose,
            "language": message.language,
            "body": message.body,
            "variables": message.variables,
            "hold_id": message.hold_id,
            "channel": Channel.SMS,
            "send_after": quiet_hours_end() if message.purpose in QUIET_PURPOSES else None,
        },
    )
    if created and fallback.send_after is None:
        fallback.enqueued_at = timezone.now()
        fallback.save(update_fields=["enqueued_at"])
        message_dispatch(fallback.pk)
    return fallback


def message_failed_for_good(message: Message) -> None:
    """Tell the apps above that this text will never arrive (inside the caller's transaction):
    whatever it announced is theirs to settle (`events.message_failed`)."""
    events.message_failed.send(sender=Message, message=message)
