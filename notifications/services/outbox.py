"""The SMS outbox: texts written in the transaction of what they announce, sent by tasks.

A text is a row first (`sms_create`); its send is queued only after commit and claimed one row
at a time, so a duplicate task is harmless. The sweeps (`sms_dispatch_due`, `sms_requeue_stale`)
hand over again whatever quiet hours, a backoff, a lost task or a broker outage left behind.
Non-essential texts stop when the daily budget is spent.
"""

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import queue_after_commit
from inventory import services as inventory
from inventory.models import Hold, Transfer

from .. import events, texts
from ..backends import SmsSendError, get_backend
from ..backends.twilio import NOT_ON_WHATSAPP_CODES, OUTSIDE_WINDOW_CODE, WHATSAPP_TEMPLATE_CODES
from ..models import Channel, OptOut, SmsMessage
from .errors import AlertError, BudgetExhausted
from .optouts import phone_opt_out
from .whatsapp import Route, channel_for, channels_for, routes_for, whatsapp_not_on

logger = logging.getLogger(__name__)

Status = SmsMessage.Status
Purpose = SmsMessage.Purpose
# Texts that wait for the end of quiet hours (the others are answers the customer waits for).
QUIET_PURPOSES = (
    Purpose.HOLD_READY,
    Purpose.TRANSFER_ARRIVED,
    Purpose.PAIR_HELD,
    Purpose.TRANSFER_DECLINED,
    Purpose.RATING_INVITE,
    Purpose.PICKUP_REMINDER,
)


def sms_budget_status(now: datetime | None = None) -> tuple[int, int]:
    """(texts written today, Israel time; the daily budget)."""
    local = timezone.localtime(now or timezone.now())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    used = SmsMessage.objects.filter(created_at__gte=midnight).count()
    return used, settings.SMS_DAILY_BUDGET


def sms_budget_exhausted(now: datetime | None = None) -> bool:
    used, budget = sms_budget_status(now)
    return used >= budget


def quiet_hours_end(now: datetime | None = None) -> datetime | None:
    """When the quiet hours around `now` end (Israel time), or None outside them."""
    spec = (settings.QUIET_HOURS or "").strip()
    if not spec:
        return None
    start_text, _sep, end_text = spec.partition("-")
    start, end = dtime.fromisoformat(start_text.strip()), dtime.fromisoformat(end_text.strip())
    local = timezone.localtime(now or timezone.now())
    clock = local.time()
    # Either within one day, or over midnight (22:00–08:00).
    quiet = start <= clock < end if start <= end else (clock >= start or clock < end)
    if not quiet:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends


def sms_create(
    *,
    recipient: str,
    purpose: str,
    idempotency_key: str,
    language: str = "he",
    body: str = "",
    template: str | None = None,
    context: dict[str, Any] | None = None,
    hold: Hold | None = None,
    send_after: datetime | None = None,
    transfer: Transfer | None = None,
    shrinkable: tuple[str, ...] = ("model", "store"),
    channel: str | None = None,
) -> SmsMessage:
    """Write one outbox row (once per `idempotency_key`: an existing row is returned as is)
    and queue its send after commit, unless it waits for `send_after`.

    With `template`, the body is rendered with the row's own manage link. Hold texts are
    rendered when they are sent (they say until when the pair is held). `channel` defaults to
    the one the number's owner chose (SMS for a number not confirmed); the send decides
    whether WhatsApp may take it (`whatsapp.route_for`). Raises
    `BudgetExhausted` for a non-essential text once today's budget is spent.
    """
    with transaction.atomic():
        existing = SmsMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        if purpose in SmsMessage.NON_ESSENTIAL and sms_budget_exhausted():
            raise BudgetExhausted()
        now = timezone.now()
        due = send_after is None or send_after <= now
        try:
            with transaction.atomic():
                message = SmsMessage.objects.create(
                    recipient=recipient,
                    purpose=purpose,
                    idempotency_key=idempotency_key,
                    language=language,
                    body=body,
                    hold=hold,
                    transfer=transfer,
                    send_after=send_after,
                    enqueued_at=now if due else None,
                    channel=channel or channel_for(recipient),
                )
        except IntegrityError:
            return SmsMessage.objects.get(idempotency_key=idempotency_key)
        if template is not None:
            message.variables = {**(context or {}), "link": texts.manage_link(message.pk, language)}
            message.body = texts.render_sms(
                template, language, message.variables, shrinkable=shrinkable
            )
            message.save(update_fields=["body", "variables"])
        if due:
            sms_dispatch(message.pk)
        return message


@dataclass(frozen=True)
class Text:
    """One text of a batch for `sms_create_many`: to whom, in which language, once per key, and
    the hold it announces, if any."""

    recipient: str
    language: str
    idempotency_key: str
    hold_id: int | None = None


def sms_create_many(
    *, purpose: str, texts: Sequence[Text], send_after: datetime | None = None
) -> list[int]:
    """Write many outbox rows of one purpose in one statement (inside the caller's
    transaction), skipping a key already written, each for the channel its number's owner
    chose; their sends are queued after commit unless they wait for `send_after`. Bodies are
    rendered when sent (`sms_send`). Returns the new rows' ids, in the order given."""
    if not texts:
        return []
    keys = [text.idempotency_key for text in texts]
    written = set(
        SmsMessage.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    channels = channels_for({text.recipient for text in texts})
    now = timezone.now()
    due = send_after is None or send_after <= now
    rows = SmsMessage.objects.bulk_create(
        [
            SmsMessage(
                recipient=text.recipient,
                purpose=purpose,
                idempotency_key=text.idempotency_key,
                language=text.language,
                hold_id=text.hold_id,
                send_after=send_after,
                enqueued_at=now if due else None,
                channel=channels.get(text.recipient, Channel.SMS),
            )
            for text in texts
            if text.idempotency_key not in written
        ]
    )
    ids = [row.pk for row in rows]
    if due:
        sms_dispatch_many(ids)
    return ids


def sms_dispatch(message_id: int, countdown: float | None = None) -> None:
    """Queue the send of one text after commit (in `countdown` seconds: a retry's backoff). A
    broker outage is logged, not raised: the row stays queued and the sweep hands it over
    again."""
    queue_after_commit(
        "notifications.sms_send",
        message_id,
        countdown=countdown,
        what=f"SMS #{message_id} (the sweep will send it)",
    )


def sms_dispatch_many(message_ids: Sequence[int]) -> None:
    """Queue after commit the sends of many texts, `SMS_SEND_BATCH` to a task (a restock's
    texts, the sweeps): fewer tasks, the same guarantees — each text is claimed and marked one
    by one."""
    size = max(1, settings.SMS_SEND_BATCH)
    ids = list(message_ids)
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        queue_after_commit(
            "notifications.sms_send_batch",
            chunk,
            what=f"{len(chunk)} SMS (the sweep will send them)",
        )


@dataclass(frozen=True)
class SendOutcome:
    """What one send attempt did: sent, retry (in `retry_in` seconds), failed, skipped."""

    result: str
    retry_in: float | None = None
    message_id: int | None = None


def _throttle() -> None:
    """Keep to `SMS_SEND_RATE_PER_SECOND` across every worker (a counter per second in the
    cache). A cache outage never stops texts: the limit is then not enforced."""
    rate = settings.SMS_SEND_RATE_PER_SECOND
    if rate <= 0:
        return
    while True:
        now = time.time()
        key = f"sms-rate:{int(now)}"
        try:
            cache.add(key, 0, timeout=5)
            count = cache.incr(key)
        except Exception:
            return
        if count <= rate:
            return
        time.sleep(max(0.0, 1 - (now % 1)) + 0.001)


def sms_send(*, message_id: int) -> SendOutcome:
    """Send one queued text, at most once per claim (see `sms_send_batch`)."""
    outcomes = sms_send_batch(message_ids=[message_id])
    return outcomes[0] if outcomes else SendOutcome("skipped", message_id=message_id)


def sms_send_batch(*, message_ids: Sequence[int]) -> list[SendOutcome]:
    """Send queued texts, each at most once per claim.

    Claims the rows with `SELECT … FOR UPDATE SKIP LOCKED` and skips any that is not queued
    and due, so a duplicate task is harmless. A hold's text is rendered now (it says until
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
        _throttle()
        route = routes[message.pk]
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
        SmsMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
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
        outcomes.append(SendOutcome("sent", message_id=message.pk))
    return outcomes


def _claim(message_ids: Sequence[int]) -> tuple[list[SendOutcome], list[SmsMessage]]:
    """Lock the queued, due rows among `message_ids` (skipping rows another worker holds) and
    mark them sending; fail those that must not go. Returns (outcomes so far, rows to send)."""
    now = timezone.now()
    outcomes: list[SendOutcome] = []
    claimed: list[SmsMessage] = []
    with transaction.atomic():
        # One query: the rows, what their texts name, and whether the numbers opted out.
        rows = list(
            SmsMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("hold__variant__product", "hold__store")
            .annotate(opted_out=Exists(OptOut.objects.filter(phone=OuterRef("recipient"))))
            .filter(pk__in=list(message_ids), status=Status.QUEUED)
            .order_by("pk")
        )
        early = []
        for message in rows:
            if message.send_after and message.send_after > now + timedelta(seconds=1):
                early.append(message.pk)  # a duplicate task: the due-sweep sends it in time
                continue
            exempt = message.idempotency_key.startswith("reply:start:")
            if not exempt and message.opted_out:
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
                until = hold.expires_at or now + settings.HOLD_DURATION
                message.variables = {
                    **texts.hold_context(hold, until),
                    "link": texts.manage_link(message.pk, message.language),
                }
                message.body = texts.render_sms(
                    message.purpose, message.language, message.variables
                )
            message.attempts += 1
            claimed.append(message)
        if early:
            SmsMessage.objects.filter(pk__in=early).update(enqueued_at=None, updated_at=now)
        if claimed:
            SmsMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now
            )
    for row in claimed:
        row.status, row.claimed_at = Status.SENDING, now
    return outcomes, claimed


def _after_error(message: SmsMessage, exc: SmsSendError, route: Route | None = None) -> SendOutcome:
    now = timezone.now()
    with transaction.atomic():
        locked = SmsMessage.objects.select_for_update().get(pk=message.pk)
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
            locked.status = Status.QUEUED
            locked.error_code = exc.code
            locked.last_error = exc.message[:300]
            locked.send_after = now + timedelta(seconds=delay)
            locked.enqueued_at = locked.send_after
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
            logger.info(
                "SMS #%s: transient error (%s), retry %s in %.0fs",
                locked.pk,
                exc.message,
                locked.attempts + 1,
                delay,
            )
            return SendOutcome("retry", retry_in=delay, message_id=locked.pk)
        _fail(locked, code=exc.code, error=exc.message)
        if exc.code == "21610":
            phone_opt_out(phone=locked.recipient, source=OptOut.Source.PROVIDER)
    logger.warning("SMS #%s failed for good: %s", locked.pk, exc.message)
    return SendOutcome("failed", message_id=locked.pk)


def _fail(message: SmsMessage, *, code: str, error: str, final_hook: bool = True) -> None:
    """Dead-letter the row (inside the caller's transaction) and free what waited on it."""
    message.status = Status.FAILED
    message.error_code = code or ""
    message.last_error = error[:300]
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


def whatsapp_failed(message: SmsMessage, *, code: str, error: str) -> bool:
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


def sms_fallback(message: SmsMessage) -> SmsMessage:
    """The same text once more by SMS (inside the caller's transaction; once per text, however
    often the provider reports the failure). It waits out quiet hours like its original."""
    fallback, created = SmsMessage.objects.get_or_create(
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
        sms_dispatch(fallback.pk)
    return fallback


def message_failed_for_good(message: SmsMessage) -> None:
    """Tell the apps above that this text will never arrive (inside the caller's transaction):
    whatever it announced is theirs to settle (`events.message_failed`)."""
    events.message_failed.send(sender=SmsMessage, message=message)


def sms_retry(*, message: SmsMessage) -> SmsMessage:
    """Staff: send a failed text again (fresh attempts). Refuses any other status."""
    with transaction.atomic():
        locked = SmsMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != Status.FAILED:
            raise AlertError(_("Only failed texts can be retried."))
        if (
            locked.hold_id is not None
            and not Hold.objects.filter(pk=locked.hold_id, status=Hold.Status.ACTIVE).exists()
        ):
            raise AlertError(_("The pair this text was about is no longer held."))
        now = timezone.now()
        locked.status = Status.QUEUED
        locked.attempts = 0
        locked.send_after = None
        locked.enqueued_at = now
        locked.save(update_fields=["status", "attempts", "send_after", "enqueued_at", "updated_at"])
        sms_dispatch(locked.pk)
    return locked


def sms_dispatch_due(*, now: datetime | None = None, limit: int = 2000) -> list[int]:
    """Queue the sends of texts whose `send_after` has come (quiet hours, backoff)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, enqueued_at__isnull=True)
            .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
            .order_by("send_after", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        SmsMessage.objects.filter(pk__in=ids).update(enqueued_at=now)
        sms_dispatch_many(ids)
    return ids


def sms_requeue_stale(
    *, now: datetime | None = None, stale_after: timedelta | None = None, limit: int = 5000
) -> list[int]:
    """Hand over again texts still queued `stale_after` after they were handed to a worker
    (the task was lost: a broker outage, a killed worker), and texts stuck `sending` that long
    (their worker died mid-send: the provider may have taken it, so this can send twice)."""
    now = now or timezone.now()
    cutoff = now - (settings.SMS_STALE_AFTER if stale_after is None else stale_after)
    with transaction.atomic():
        rows = list(
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=Status.QUEUED, enqueued_at__lte=cutoff)
                | Q(status=Status.SENDING, claimed_at__lte=cutoff)
            )
            .order_by("pk")
            .values_list("pk", "status")[:limit]
        )
        ids = [pk for pk, _status in rows]
        SmsMessage.objects.filter(pk__in=ids).update(
            status=Status.QUEUED, enqueued_at=now, updated_at=now
        )
        sms_dispatch_many(ids)
    if ids:
        logger.info("Requeued %d stale SMS", len(ids))
    return ids
