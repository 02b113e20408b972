"""Every write of the alerts: sign-ups and confirmation, allocation on restock, the SMS outbox.

Services are transactional and keyword-only. Texts are outbox rows written in the same
transaction as what they announce; sending is queued only after commit, and the periodic
tasks (`sms_dispatch_due`, `sms_requeue_stale`, `waitlist_allocate_pending`) pick up whatever
a lost task or a broker outage left behind.
"""

import contextlib
import logging
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dtime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core import ratelimit
from core.errors import DomainError
from core.ids import pk_of
from core.language import language_or_default
from core.phones import phone_digest, phone_normalize, phone_or_none
from inventory import services as inventory
from inventory.locking import lock_levels
from inventory.models import Hold, StockLevel

from . import texts
from .backends import SmsSendError, get_backend
from .models import (
    ConfirmedNumber,
    OptOut,
    PhoneVerification,
    ProcessedWebhook,
    SmsMessage,
    WaitlistEntry,
)

logger = logging.getLogger(__name__)

Status = SmsMessage.Status
Purpose = SmsMessage.Purpose


# --- Errors ---------------------------------------------------------------------------------

class AlertError(DomainError):
    """A sign-up, code or alert step refused."""


class TooManyRequests(AlertError):
    def __init__(self, rule: str) -> None:
        super().__init__(_("Too many attempts. Please wait an hour and try again."))
        self.rule = rule


class BudgetExhausted(AlertError):
    """Today's SMS budget is spent: non-essential texts (codes, notices, replies) stop."""

    def __init__(self) -> None:
        super().__init__(_("We cannot take new sign-ups right now. Please try again tomorrow, "
                           "or call the store."))


class CodeRejected(AlertError):
    """A wrong, expired, used or exhausted code; `attempts_left` when another try is allowed."""

    def __init__(self, message: str, *, attempts_left: int = 0) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left


class AlertAlreadyEnded(AlertError):
    pass


# --- Small helpers --------------------------------------------------------------------------

def _limit(rule: str, key: str) -> None:
    try:
        ratelimit.hit(rule, key)
    except ratelimit.RateLimited as exc:
        raise TooManyRequests(exc.rule) from None


def is_opted_out(phone: str) -> bool:
    return OptOut.objects.filter(phone=phone).exists()


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


def _code_hash(phone: str, code: str, salt: str) -> str:
    digest = salted_hmac("notifications.code", f"{salt}:{phone}:{code}",
                         algorithm="sha256").hexdigest()
    return f"{salt}${digest}"


def _code_matches(verification: PhoneVerification, code: str) -> bool:
    salt, _sep, _digest = verification.code_hash.partition("$")
    return constant_time_compare(verification.code_hash,
                                 _code_hash(verification.phone, code.strip(), salt))


# --- The outbox -----------------------------------------------------------------------------

def sms_create(*, recipient: str, purpose: str, idempotency_key: str, language: str = "he",
               body: str = "", template: str | None = None,
               context: dict[str, Any] | None = None, hold: Hold | None = None,
               entry: WaitlistEntry | None = None, send_after: datetime | None = None,
               ) -> SmsMessage:
    """Write one outbox row (once per `idempotency_key`: an existing row is returned as is)
    and queue its send after commit, unless it waits for `send_after`.

    With `template`, the body is rendered with the row's own manage link. Hold texts are
    rendered when they are sent (they say until when the pair is held). Raises
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
                    recipient=recipient, purpose=purpose, idempotency_key=idempotency_key,
                    language=language, body=body, hold=hold, entry=entry,
                    send_after=send_after, enqueued_at=now if due else None,
                )
        except IntegrityError:
            return SmsMessage.objects.get(idempotency_key=idempotency_key)
        if template is not None:
            message.body = texts.render_sms(template, language, {
                **(context or {}), "link": texts.manage_link(message.pk, language),
            })
            message.save(update_fields=["body"])
        if due:
            transaction.on_commit(partial(sms_dispatch, message.pk))
        return message


def sms_dispatch(message_id: int, countdown: float | None = None) -> None:
    """Hand a send task to the broker. A broker outage is logged, not raised: the row stays
    queued and the sweep hands it over again."""
    from .tasks import sms_send_task

    try:
        if countdown:
            sms_send_task.apply_async((message_id,), countdown=countdown)
        else:
            sms_send_task.delay(message_id)
    except Exception:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("Could not queue SMS #%s; the sweep will send it", message_id,
                       exc_info=True)


def sms_dispatch_many(message_ids: Sequence[int]) -> None:
    """Hand many texts to the workers, `SMS_SEND_BATCH` to a task (a restock's texts, the
    sweeps): fewer tasks, the same guarantees — each text is claimed and marked one by one."""
    from .tasks import sms_send_batch_task

    size = max(1, settings.SMS_SEND_BATCH)
    ids = list(message_ids)
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        try:
            sms_send_batch_task.delay(chunk)
        except Exception:
            if settings.CELERY_TASK_ALWAYS_EAGER:
                raise
            logger.warning("Could not queue %d SMS; the sweep will send them", len(chunk),
                           exc_info=True)


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
    when) and the hold's clock starts when the provider takes it. Each text is marked sent as
    soon as the provider takes it, so a worker that dies can repeat at most the one text it was
    sending. Transient errors put the row back in the queue with exponential backoff (capped);
    after `SMS_MAX_ATTEMPTS`, or at once for a permanent error, the row is failed — and a
    waitlist hold is released to the next person. Never texts an opted-out number (except the
    reply to START). Returns an outcome for each row it claimed or failed.
    """
    outcomes, claimed = _claim(message_ids)
    backend = get_backend()
    for message in claimed:
        _throttle()
        try:
            provider_id = backend.send(to=message.recipient, body=message.body)
        except SmsSendError as exc:
            outcomes.append(_after_error(message, exc))
            continue
        sent_at = timezone.now()
        with transaction.atomic():
            updated = SmsMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
                status=Status.SENT, provider_id=provider_id, sent_at=sent_at, error_code="",
                last_error="", body=message.body, updated_at=sent_at,
            )
            if updated and message.hold_id is not None:
                _start_clock(message.hold_id, sent_at)
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
            .filter(pk__in=list(message_ids), status=Status.QUEUED).order_by("pk")
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
                    _fail(message, code="hold_ended",
                          error="The hold ended before its text went.", final_hook=False)
                    outcomes.append(SendOutcome("failed", message_id=message.pk))
                    continue
                until = hold.expires_at or now + settings.HOLD_DURATION
                message.body = texts.render_sms(
                    message.purpose, message.language,
                    {**texts.hold_context(hold, until),
                     "link": texts.manage_link(message.pk, message.language)},
                )
            message.attempts += 1
            claimed.append(message)
        if early:
            SmsMessage.objects.filter(pk__in=early).update(enqueued_at=None, updated_at=now)
        if claimed:
            SmsMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now,
                updated_at=now)
    for row in claimed:
        row.status, row.claimed_at = Status.SENDING, now
    return outcomes, claimed


def _start_clock(hold_id: int, at: datetime) -> None:
    # Released or collected meanwhile: nothing to time.
    with contextlib.suppress(inventory.InvalidTransition):
        inventory.hold_start_clock(hold=Hold(pk=hold_id), at=at)


def _after_error(message: SmsMessage, exc: SmsSendError) -> SendOutcome:
    now = timezone.now()
    with transaction.atomic():
        locked = SmsMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != Status.SENDING:
            return SendOutcome("skipped", message_id=locked.pk)
        locked.body = message.body  # as rendered for this attempt: staff see what failed
        if exc.transient and locked.attempts < settings.SMS_MAX_ATTEMPTS:
            delay = min(settings.SMS_RETRY_BACKOFF * 2 ** (locked.attempts - 1),
                        settings.SMS_RETRY_BACKOFF_MAX)
            locked.status = Status.QUEUED
            locked.error_code = exc.code
            locked.last_error = exc.message[:300]
            locked.send_after = now + timedelta(seconds=delay)
            locked.enqueued_at = locked.send_after
            locked.save(update_fields=["status", "error_code", "last_error", "send_after",
                                       "enqueued_at", "body", "updated_at"])
            logger.info("SMS #%s: transient error (%s), retry %s in %.0fs", locked.pk,
                        exc.message, locked.attempts + 1, delay)
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
    message.save(update_fields=["status", "error_code", "last_error", "body", "updated_at"])
    if final_hook:
        _text_failed_for_good(message)


def _text_failed_for_good(message: SmsMessage) -> None:
    """A waitlist customer who cannot be told loses the hold: the pair goes to the next person.
    A transfer customer keeps theirs (staff will call): its clock starts so it can expire."""
    if message.hold_id is None:
        return
    hold = Hold(pk=message.hold_id)
    if message.purpose == Purpose.HOLD_READY:
        WaitlistEntry.objects.filter(hold_id=message.hold_id, status=WaitlistEntry.Status.HELD
                                     ).update(status=WaitlistEntry.Status.LAPSED,
                                              ended_at=timezone.now())
        with contextlib.suppress(inventory.InvalidTransition):
            inventory.hold_release(hold=hold)
    else:
        _start_clock(message.hold_id, timezone.now())


def sms_retry(*, message: SmsMessage) -> SmsMessage:
    """Staff: send a failed text again (fresh attempts). Refuses any other status."""
    with transaction.atomic():
        locked = SmsMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != Status.FAILED:
            raise AlertError(_("Only failed texts can be retried."))
        if locked.hold_id is not None and not Hold.objects.filter(
                pk=locked.hold_id, status=Hold.Status.ACTIVE).exists():
            raise AlertError(_("The pair this text was about is no longer held."))
        now = timezone.now()
        locked.status = Status.QUEUED
        locked.attempts = 0
        locked.send_after = None
        locked.enqueued_at = now
        locked.save(update_fields=["status", "attempts", "send_after", "enqueued_at",
                                   "updated_at"])
        transaction.on_commit(partial(sms_dispatch, locked.pk))
    return locked


def sms_dispatch_due(*, now: datetime | None = None, limit: int = 2000) -> list[int]:
    """Queue the sends of texts whose `send_after` has come (quiet hours, backoff)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, enqueued_at__isnull=True)
            .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
            .order_by("send_after", "pk").values_list("pk", flat=True)[:limit]
        )
        SmsMessage.objects.filter(pk__in=ids).update(enqueued_at=now)
        transaction.on_commit(partial(sms_dispatch_many, ids))
    return ids


def sms_requeue_stale(*, now: datetime | None = None, stale_after: timedelta | None = None,
                      limit: int = 5000) -> list[int]:
    """Hand over again texts still queued `stale_after` after they were handed to a worker
    (the task was lost: a broker outage, a killed worker), and texts stuck `sending` that long
    (their worker died mid-send: the provider may have taken it, so this can send twice)."""
    now = now or timezone.now()
    cutoff = now - (settings.SMS_STALE_AFTER if stale_after is None else stale_after)
    with transaction.atomic():
        rows = list(
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(Q(status=Status.QUEUED, enqueued_at__lte=cutoff)
                    | Q(status=Status.SENDING, claimed_at__lte=cutoff))
            .order_by("pk").values_list("pk", "status")[:limit]
        )
        ids = [pk for pk, _status in rows]
        SmsMessage.objects.filter(pk__in=ids).update(status=Status.QUEUED, enqueued_at=now,
                                                     updated_at=now)
        transaction.on_commit(partial(sms_dispatch_many, ids))
    if ids:
        logger.info("Requeued %d stale SMS", len(ids))
    return ids


# --- Opt-outs -------------------------------------------------------------------------------

def phone_opt_out(*, phone: str, source: str) -> OptOut:
    """No more texts to this number; its waiting alerts are cancelled (pairs already held stay
    held until collected or expired)."""
    with transaction.atomic():
        opt_out, _created = OptOut.objects.get_or_create(phone=phone,
                                                         defaults={"source": source})
        WaitlistEntry.objects.filter(phone=phone, status__in=WaitlistEntry.OPEN_STATUSES
                                     ).update(status=WaitlistEntry.Status.CANCELLED,
                                              ended_at=timezone.now())
    return opt_out


def phone_opt_in(*, phone: str) -> bool:
    """The number replied START: texts may go to it again. Returns whether it was opted out."""
    deleted, _rows = OptOut.objects.filter(phone=phone).delete()
    return bool(deleted)


# --- Confirmation and sign-up ---------------------------------------------------------------

@dataclass(frozen=True)
class SignupResult:
    """`active`: the alert is on and the browser may be told so. `check_phone`: the page asks
    for a code (whatever the number's history, so it never reveals it)."""

    entry: WaitlistEntry
    state: str
    verification_id: int | None = None


def verification_start(*, phone: str, language: str, client_ip: str) -> PhoneVerification:
    """Text a new 6-digit code to `phone` (valid `SMS_CODE_VALIDITY`, `SMS_CODE_MAX_ATTEMPTS`
    tries; only a salted HMAC of it is kept). Raises `TooManyRequests`, `BudgetExhausted`."""
    phone = phone_normalize(phone)
    _limit("code_per_ip", client_ip)
    _limit("code_per_number", phone_digest(phone))
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        verification = PhoneVerification.objects.create(
            phone=phone, language=language,
            code_hash=_code_hash(phone, code, secrets.token_hex(8)),
            expires_at=now + settings.SMS_CODE_VALIDITY,
        )
        minutes = int(settings.SMS_CODE_VALIDITY.total_seconds() // 60)
        sms_create(recipient=phone, purpose=Purpose.VERIFICATION, language=language,
                   idempotency_key=f"verification:{verification.pk}", template="verification",
                   context={"code": code, "minutes": minutes})
    return verification


def waitlist_signup(*, phone: str, variant: Any, store: Any, language: str, client_ip: str,
                    trusted: bool = False, verification_id: int | None = None) -> SignupResult:
    """Put `phone` on the list for `variant` at `store` (one entry per number, size and store).

    `trusted` says this browser confirmed this number before: its entry is active at once. An
    entry for any other number waits for a code (sent here) — or, if the number was confirmed
    elsewhere, is active at once and its owner is told by text; both look alike to the page.
    `verification_id`, a code this browser is still waiting for (same number, still valid),
    covers this entry too: no second code is sent.
    Raises `InvalidPhone`, `TooManyRequests`, `BudgetExhausted`.
    """
    phone = phone_normalize(phone)
    language = language_or_default(language)
    _limit("signup_per_ip", client_ip)
    _limit("signup_per_number", phone_digest(phone))
    opted_out = is_opted_out(phone)
    confirmed = ConfirmedNumber.objects.filter(phone=phone).first()
    if trusted and confirmed is not None and not opted_out:
        entry = _entry_get_or_create(phone=phone, variant=variant, store=store,
                                     language=language, active=True)
        ConfirmedNumber.objects.filter(pk=confirmed.pk).update(last_used_at=timezone.now())
        return SignupResult(entry=entry, state="active")
    if sms_budget_exhausted():
        raise BudgetExhausted()
    with transaction.atomic():
        if confirmed is not None and not opted_out:
            entry = _entry_get_or_create(phone=phone, variant=variant, store=store,
                                         language=language, active=True)
            ConfirmedNumber.objects.filter(pk=confirmed.pk).update(last_used_at=timezone.now())
            sms_create(recipient=phone, purpose=Purpose.SIGNUP_NOTICE, language=language,
                       idempotency_key=f"notice:{entry.pk}", template="signup_notice",
                       context=_entry_context(entry, language), entry=entry)
            return SignupResult(entry=entry, state="check_phone")
        entry = _entry_get_or_create(phone=phone, variant=variant, store=store,
                                     language=language, active=False)
        if opted_out:
            # No text may go to it; the page still asks for a code (and hints at START).
            return SignupResult(entry=entry, state="check_phone")
        if verification_id is not None and PhoneVerification.objects.filter(
            pk=verification_id, phone=phone, confirmed_at__isnull=True,
            expires_at__gt=timezone.now(), attempts__lt=settings.SMS_CODE_MAX_ATTEMPTS,
        ).exists():
            return SignupResult(entry=entry, state="check_phone", verification_id=verification_id)
        verification = verification_start(phone=phone, language=language, client_ip=client_ip)
        return SignupResult(entry=entry, state="check_phone", verification_id=verification.pk)


def _entry_context(entry: WaitlistEntry, language: str) -> dict[str, Any]:
    return {
        "model": entry.variant.product.name,
        "size": entry.variant.size_label,
        "store": getattr(entry.store, f"name_{language}") or entry.store.name_he,
    }


def _entry_get_or_create(*, phone: str, variant: Any, store: Any, language: str,
                         active: bool) -> WaitlistEntry:
    variant_id, store_id = pk_of(variant), pk_of(store)
    now = timezone.now()
    with transaction.atomic():
        current = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .filter(phone=phone, variant_id=variant_id, store_id=store_id)
            .filter(Q(status__in=WaitlistEntry.OPEN_STATUSES)
                    | Q(status=WaitlistEntry.Status.HELD, hold__status=Hold.Status.ACTIVE))
            .first()
        )
        if current is None:
            try:
                with transaction.atomic():
                    current = WaitlistEntry.objects.create(
                        phone=phone, variant_id=variant_id, store_id=store_id,
                        language=language,
                        status=(WaitlistEntry.Status.ACTIVE if active
                                else WaitlistEntry.Status.PENDING),
                        activated_at=now if active else None,
                    )
            except IntegrityError:  # a concurrent identical sign-up won
                current = WaitlistEntry.objects.select_for_update().get(
                    phone=phone, variant_id=variant_id, store_id=store_id,
                    status__in=WaitlistEntry.OPEN_STATUSES)
        if active and current.status == WaitlistEntry.Status.PENDING:
            current.status = WaitlistEntry.Status.ACTIVE
            current.activated_at = now
            current.save(update_fields=["status", "activated_at"])
        if current.status == WaitlistEntry.Status.ACTIVE:
            transaction.on_commit(partial(waitlist_queue_allocation, store_id, variant_id))
    return current


def verification_confirm(*, verification_id: int | None, code: str, client_ip: str,
                         entry_ids: Sequence[int] = ()) -> ConfirmedNumber:
    """Check a code; on success the number is remembered as confirmed and its pending entries
    among `entry_ids` (the ones this browser signed up) become active.

    Raises `CodeRejected` (wrong — with attempts left —, expired, used up) and
    `TooManyRequests`. A wrong try counts even though the call raises.
    """
    _limit("confirm_per_ip", client_ip)
    wrong = CodeRejected(_("That code is wrong or has expired."))
    if verification_id is None:
        raise wrong
    now = timezone.now()
    with transaction.atomic():
        verification = (
            PhoneVerification.objects.select_for_update().filter(pk=verification_id).first()
        )
        if verification is None or verification.confirmed_at is not None:
            raise wrong
        if verification.expires_at <= now:
            raise CodeRejected(_("That code has expired. Ask for a new one."))
        if verification.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            raise CodeRejected(_("Too many wrong codes. Ask for a new one."))
        verification.attempts += 1
        matches = _code_matches(verification, code)
        if matches:
            verification.confirmed_at = now
        verification.save(update_fields=["attempts", "confirmed_at"])
    if not matches:
        left = settings.SMS_CODE_MAX_ATTEMPTS - verification.attempts
        if left <= 0:
            raise CodeRejected(_("Too many wrong codes. Ask for a new one."))
        raise CodeRejected(_("That code is wrong. %(left)d tries left.") % {"left": left},
                           attempts_left=left)
    with transaction.atomic():
        confirmed, _created = ConfirmedNumber.objects.update_or_create(
            phone=verification.phone,
            defaults={"confirmed_at": now, "last_used_at": now,
                      "language": verification.language},
        )
        pending = list(
            WaitlistEntry.objects.select_for_update()
            .filter(pk__in=list(entry_ids), phone=verification.phone,
                    status=WaitlistEntry.Status.PENDING)
        )
        WaitlistEntry.objects.filter(pk__in=[e.pk for e in pending]).update(
            status=WaitlistEntry.Status.ACTIVE, activated_at=now)
        for key in sorted({(e.store_id, e.variant_id) for e in pending}):
            transaction.on_commit(partial(waitlist_queue_allocation, *key))
    return confirmed


def waitlist_cancel(*, entry: WaitlistEntry) -> WaitlistEntry:
    """The customer no longer wants it: a waiting entry is cancelled; a held pair is released
    and goes to the next person waiting. Raises `AlertAlreadyEnded` for a finished entry."""
    with transaction.atomic():
        locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        held = (locked.status == WaitlistEntry.Status.HELD and locked.hold_id is not None
                and Hold.objects.filter(pk=locked.hold_id, status=Hold.Status.ACTIVE).exists())
        if locked.status not in WaitlistEntry.OPEN_STATUSES and not held:
            raise AlertAlreadyEnded(_("This alert has already ended."))
        locked.status = WaitlistEntry.Status.CANCELLED
        locked.ended_at = timezone.now()
        locked.save(update_fields=["status", "ended_at"])
        if held:
            with contextlib.suppress(inventory.InvalidTransition):
                inventory.hold_release(hold=Hold(pk=locked.hold_id))
    return locked


def transfer_hold_release(*, hold: Hold, phone: str) -> Hold:
    """The customer a transfer was for no longer wants the pair (from their text's link)."""
    if hold.customer_phone and phone_or_none(hold.customer_phone) != phone:
        raise AlertAlreadyEnded(_("This alert has already ended."))
    try:
        return inventory.hold_release(hold=hold)
    except inventory.InvalidTransition:
        raise AlertAlreadyEnded(_("This alert has already ended.")) from None


def waitlist_hold_ended(*, hold: Hold, outcome: str) -> None:
    """Record on the entry how its hold ended (the restock signal hands the pair on)."""
    if hold.purpose != Hold.Purpose.WAITLIST:
        return
    status = (WaitlistEntry.Status.COLLECTED if outcome == Hold.Status.COLLECTED
              else WaitlistEntry.Status.LAPSED)
    WaitlistEntry.objects.filter(hold_id=hold.pk, status=WaitlistEntry.Status.HELD).update(
        status=status, ended_at=hold.ended_at or timezone.now())


# --- Allocation -----------------------------------------------------------------------------

def waitlist_queue_allocation(store_id: int, variant_id: int) -> None:
    """Queue, after commit, the allocation task for one size at one store if anyone is waiting
    for it (the restock signal already comes after commit; any other caller may be inside a
    transaction). A broker outage is logged: `waitlist_allocate_pending` finds the pair later."""
    if not WaitlistEntry.objects.filter(store_id=store_id, variant_id=variant_id,
                                        status=WaitlistEntry.Status.ACTIVE).exists():
        return
    transaction.on_commit(partial(_publish_allocation, store_id, variant_id))


def _publish_allocation(store_id: int, variant_id: int) -> None:
    from .tasks import waitlist_allocate_task

    try:
        waitlist_allocate_task.delay(store_id, variant_id)
    except Exception:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("Could not queue the allocation for store %s, variant %s; the sweep "
                       "will", store_id, variant_id, exc_info=True)


def waitlist_allocate(*, store_id: int, variant_id: int) -> list[Hold]:
    """Give the pairs available at this store to the people waiting, oldest sign-up first.

    One transaction: the stock level is locked (serialising every allocation of this size at
    this store — so entries are taken in order, not with SKIP LOCKED), one hold per entry up to
    the available quantity, and one hold text per hold (idempotency key "hold:<id>"), sent
    after commit — or in the morning, in quiet hours. Running it twice for one pair changes
    nothing: the pair is reserved by then.
    """
    now = timezone.now()
    send_after = quiet_hours_end(now)
    with transaction.atomic():
        # (A hold here whose time ran out is expired by `hold_place_many`, and its pair is
        # announced again after commit: the next allocation offers it.)
        level: StockLevel = lock_levels([(store_id, variant_id)])[(store_id, variant_id)]
        available = level.on_hand - level.reserved
        # A waiting entry that already has a hold (a crash between placing it and updating
        # the entry) keeps it, and its pair does not count against what is available.
        held_ids = [
            entry_id for entry_id in Hold.objects.filter(
                store_id=store_id, variant_id=variant_id, status=Hold.Status.ACTIVE,
                purpose=Hold.Purpose.WAITLIST).values_list("waitlist_entry_id", flat=True)
            if entry_id is not None  # always, for a waitlist hold (a database constraint)
        ]
        opted_out = OptOut.objects.filter(phone=OuterRef("phone"))
        waiting = (WaitlistEntry.objects.waiting()
                   .filter(store_id=store_id, variant_id=variant_id)
                   .exclude(Exists(opted_out)).select_for_update(of=("self",)))
        stranded = (list(waiting.filter(pk__in=held_ids).values_list("pk", flat=True))
                    if held_ids else [])
        fresh = (list(waiting.exclude(pk__in=held_ids)
                      .values_list("pk", "phone", "language")[:available])
                 if available > 0 else [])
        if not fresh and not stranded:
            return []
        placed = inventory.hold_place_many(
            store=store_id, variant=variant_id,
            requests=[inventory.HoldRequest(waitlist_entry_id=pk, customer_phone=phone,
                                            language=language) for pk, phone, language in fresh],
        )
        entry_ids = [*stranded, *(pk for pk, _phone, _language in fresh)]
        # Each entry gets the hold placed for it, and one text per hold: the pairing
        # is done by the database (per-row Python here costs more than everything else).
        WaitlistEntry.objects.filter(pk__in=entry_ids).update(
            status=WaitlistEntry.Status.HELD,
            hold_id=Subquery(Hold.objects.filter(
                waitlist_entry_id=OuterRef("pk"),
                status=Hold.Status.ACTIVE).values("pk")[:1]),
        )
        to_send = _hold_texts_create(entry_ids, send_after=send_after, now=now)
        if stranded:  # a text written before the crash may still wait to be sent
            to_send += SmsMessage.objects.filter(
                entry_id__in=stranded, purpose=Purpose.HOLD_READY, status=Status.QUEUED,
            ).exclude(pk__in=to_send).values_list("pk", flat=True)
        if send_after is None:
            transaction.on_commit(partial(sms_dispatch_many, to_send))
    logger.info("Allocated %d pair(s) at store %s, variant %s", len(placed), store_id,
                variant_id)
    return placed


def _hold_texts_create(entry_ids: Sequence[int], *, send_after: datetime | None,
                       now: datetime) -> list[int]:
    """One queued "pair held" text per entry's hold (idempotency key "hold:<hold id>"),
    unless the hold has its text already; INSERT … SELECT … RETURNING, in one statement.
    Returns the new rows' ids."""
    if not entry_ids:
        return []
    ops = connection.ops
    message, entry = SmsMessage._meta.db_table, WaitlistEntry._meta.db_table
    key = "'hold:' || CAST(e.hold_id AS varchar(20))"
    sql = f"""
        INSERT INTO {message} (recipient, body, language, purpose, status, idempotency_key,
                               hold_id, entry_id, attempts, error_code, last_error, send_after,
                               enqueued_at, created_at, updated_at)
        SELECT e.phone, '', e.language, %s, %s, {key}, e.hold_id, e.id, 0, '', '', %s, %s,
               %s, %s
        FROM {entry} e
        WHERE e.id IN ({", ".join(["%s"] * len(entry_ids))}) AND e.hold_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM {message} m WHERE m.idempotency_key = {key})
        ORDER BY e.created_at, e.id
        RETURNING id
    """  # noqa: S608 (table names from the models; every value is a parameter)
    stamp = ops.adapt_datetimefield_value(now)
    params = [Purpose.HOLD_READY.value, Status.QUEUED.value,
              ops.adapt_datetimefield_value(send_after),
              None if send_after else stamp, stamp, stamp, *entry_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def waitlist_allocate_pending() -> list[tuple[int, int]]:
    """Queue an allocation for every size and store with pairs available and people waiting
    (a restock whose task was lost still reaches them)."""
    waiting = WaitlistEntry.objects.filter(
        store_id=OuterRef("store_id"), variant_id=OuterRef("variant_id"),
        status=WaitlistEntry.Status.ACTIVE,
    )
    keys = list(
        StockLevel.objects.filter(on_hand__gt=F("reserved")).filter(Exists(waiting))
        .order_by("store_id", "variant_id").values_list("store_id", "variant_id")
    )
    for store_id, variant_id in keys:
        waitlist_queue_allocation(store_id, variant_id)
    return keys


def sms_for_customer_hold(*, hold: Hold) -> SmsMessage | None:
    """Inside the transaction that held a pair for a named customer (a transfer arrived for
    them): write their text. Its clock starts when the text goes."""
    phone = phone_or_none(hold.customer_phone)
    if phone is None:
        logger.warning("Hold #%s: the customer's number cannot receive texts", hold.pk)
        return None
    language = language_or_default(hold.language)
    return sms_create(recipient=phone, purpose=Purpose.TRANSFER_ARRIVED, language=language,
                      idempotency_key=f"hold:{hold.pk}", hold=hold,
                      send_after=quiet_hours_end())


# --- Provider webhooks ----------------------------------------------------------------------

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
              "הסר", "הסרה", "עצור", "הפסק", "די", "בטל", "ביטול"}
START_WORDS = {"START", "UNSTOP", "SUBSCRIBE", "YES", "התחל", "חידוש", "הרשמה"}
HELP_WORDS = {"HELP", "INFO", "עזרה", "מידע"}

# Twilio's statuses, and which of ours each moves a text to.
_PROVIDER_STATUS = {
    "sent": Status.SENT, "delivered": Status.DELIVERED, "read": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED, "failed": Status.FAILED,
}
_RANK = {Status.QUEUED: 0, Status.SENDING: 1, Status.SENT: 2, Status.DELIVERED: 3,
         Status.UNDELIVERED: 3, Status.FAILED: 3}


def _first_time(key: str) -> bool:
    """Record a provider event; False if it was already handled (a retried callback)."""
    try:
        with transaction.atomic():
            ProcessedWebhook.objects.create(key=key[:120])
    except IntegrityError:
        return False
    return True


def sms_status_update(*, provider_id: str, status: str, error_code: str = "") -> bool:
    """Apply a delivery report. Idempotent per (message id, status); a status never moves
    back (a late "sent" after "delivered" changes nothing). An undelivered waitlist hold text
    releases the hold to the next person; 21610 records an opt-out. Returns whether anything
    changed."""
    new = _PROVIDER_STATUS.get(status.lower())
    if new is None or not provider_id:
        return False
    with transaction.atomic():
        if not _first_time(f"status:{provider_id}:{status.lower()}"):
            return False
        message = (SmsMessage.objects.select_for_update()
                   .filter(provider_id=provider_id).first())
        if message is None or _RANK[Status(message.status)] >= _RANK[new]:
            return False
        now = timezone.now()
        message.status = new
        fields = ["status", "updated_at"]
        if new == Status.DELIVERED:
            message.delivered_at = now
            fields.append("delivered_at")
        if error_code:
            message.error_code = error_code[:20]
            fields.append("error_code")
        message.save(update_fields=fields)
        if new in (Status.UNDELIVERED, Status.FAILED):
            if error_code == "21610":
                phone_opt_out(phone=message.recipient, source=OptOut.Source.PROVIDER)
            _text_failed_for_good(message)
    return True


def sms_inbound(*, provider_id: str, sender: str, body: str) -> str | None:
    """A text from a customer: STOP (and its Hebrew forms) opts out, START opts back in (with
    a reply), HELP gets a reply. Idempotent per message id. Returns the keyword handled."""
    phone = phone_or_none(sender) or sender
    word = body.strip().strip(".!").upper()
    with transaction.atomic():
        if not _first_time(f"inbound:{provider_id}"):
            return None
        if word in STOP_WORDS:
            phone_opt_out(phone=phone, source=OptOut.Source.REPLY)
            return "stop"
        language = _language_of(phone, word)
        if word in START_WORDS:
            phone_opt_in(phone=phone)
            _reply(phone, "start_reply", language, f"reply:start:{provider_id}")
            return "start"
        if word in HELP_WORDS:
            if not is_opted_out(phone):
                _reply(phone, "help_reply", language, f"reply:help:{provider_id}")
            return "help"
    return None


def _language_of(phone: str, word: str) -> str:
    if any("\u0590" <= ch <= "\u05ff" for ch in word):
        return "he"
    known = ConfirmedNumber.objects.filter(phone=phone).values_list("language", flat=True)
    return next(iter(known), "en" if word.isascii() else "he")


def _reply(phone: str, template: str, language: str, key: str) -> None:
    try:
        sms_create(recipient=phone, purpose=Purpose.REPLY, language=language,
                   idempotency_key=key, template=template)
    except BudgetExhausted:
        logger.warning("SMS budget spent: no reply to an inbound keyword")


# --- Retention ------------------------------------------------------------------------------

def notifications_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what finished more than `ALERT_RETENTION_DAYS` ago: ended alerts, their texts,
    numbers no longer waiting for anything, used codes, handled webhook ids; and blank the
    number on old ended holds. Opt-outs are kept: they must be honoured for good."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ALERT_RETENTION_DAYS)
    ended = [WaitlistEntry.Status.COLLECTED, WaitlistEntry.Status.LAPSED,
             WaitlistEntry.Status.CANCELLED]
    counts: dict[str, int] = {}
    with transaction.atomic():
        open_numbers = WaitlistEntry.objects.filter(
            Q(status__in=WaitlistEntry.OPEN_STATUSES)
            | Q(status=WaitlistEntry.Status.HELD, hold__status=Hold.Status.ACTIVE)
        ).values("phone")
        counts["texts"] = SmsMessage.objects.filter(
            created_at__lt=cutoff,
            status__in=[Status.SENT, Status.DELIVERED, Status.UNDELIVERED, Status.FAILED],
        ).exclude(recipient__in=open_numbers).delete()[0]
        counts["entries"] = WaitlistEntry.objects.filter(
            Q(status__in=ended, ended_at__lt=cutoff)
            | Q(status=WaitlistEntry.Status.HELD, hold__ended_at__lt=cutoff)
            # Never confirmed: gone after a day.
            | Q(status=WaitlistEntry.Status.PENDING, created_at__lt=now - timedelta(days=1))
        ).delete()[0]
        counts["numbers"] = ConfirmedNumber.objects.filter(last_used_at__lt=cutoff).exclude(
            phone__in=open_numbers).delete()[0]
        counts["codes"] = PhoneVerification.objects.filter(
            created_at__lt=now - timedelta(days=1)).delete()[0]
        counts["webhooks"] = ProcessedWebhook.objects.filter(received_at__lt=cutoff).delete()[0]
        counts["holds"] = Hold.objects.filter(
            purpose=Hold.Purpose.WAITLIST, ended_at__lt=cutoff,
        ).exclude(customer_phone="").update(customer_phone="")
    return counts



