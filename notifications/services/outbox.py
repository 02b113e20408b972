"""The outbox: texts written in the transaction of what they announce, sent by tasks
(`sending`).

A text is a row first (`message_create`); its send is queued only after commit. The sweeps
(`messages_dispatch_due`, `messages_requeue_stale`) hand over again whatever quiet hours, a
backoff, a lost task or a broker outage left behind. Non-essential texts stop when the daily
budget is spent.
"""

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import language_or_default
from core.tasks import queue_after_commit
from inventory.models import Hold, Transfer

from .. import texts
from ..models import Channel, Message
from ..segments import SmsCost, sms_cost
from ..selectors import message_next_id
from .errors import AlertError, BudgetExhausted
from .limits import budget_exhausted
from .whatsapp import channel_for, channels_for

logger = logging.getLogger(__name__)

Status = Message.Status
Purpose = Message.Purpose


def message_create(
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
    channel: str | None = None,
    variables: dict[str, Any] | None = None,
) -> Message:
    """Write one outbox row (once per `idempotency_key`: an existing row is returned as is)
    and queue its send after commit, unless it waits for `send_after`.

    With `template`, the body is rendered with the row's own manage link, its optional parts
    giving way if it is too long (`texts.fit_sms`; `text_preview` shows staff the same text
    before it is written). Hold texts are
    rendered when they are sent (they say until when the pair is held). `channel` defaults to
    the one the number's owner chose (SMS for a number not confirmed); the send decides
    whether WhatsApp may take it (`whatsapp.route_for`). `variables` (without a template) are
    the values a WhatsApp template of the purpose is filled with outside the window. Raises
    `BudgetExhausted` for a non-essential text once today's budget is spent.
    """
    with transaction.atomic():
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        if purpose in Message.NON_ESSENTIAL and budget_exhausted():
            raise BudgetExhausted()
        now = timezone.now()
        due = send_after is None or send_after <= now
        try:
            with transaction.atomic():
                message = Message.objects.create(
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
                    variables=variables or {},
                )
        except IntegrityError:
            return Message.objects.get(idempotency_key=idempotency_key)
        if template is not None:
            message.variables = {**(context or {}), "link": texts.manage_link(message.pk, language)}
            message.body = texts.render_sms(template, language, message.variables)
            message.save(update_fields=["body", "variables"])
        if due:
            message_dispatch(message.pk)
        return message


@dataclass(frozen=True)
class TextPreview:
    """A text as `message_create` would write it now, for staff to read before it goes: its
    `body`, the `channel` it is written for, what it costs by SMS, and which optional parts
    were shortened or left out to fit."""

    body: str
    language: str
    channel: str
    cost: SmsCost
    shortened: tuple[str, ...]
    dropped: tuple[str, ...]

    @property
    def by_whatsapp(self) -> bool:
        return self.channel == Channel.WHATSAPP


def text_preview(
    *,
    recipient: str,
    language: str,
    template: str,
    context: dict[str, Any],
) -> TextPreview:
    """What `message_create` with the same arguments would write, rendered by the same
    `texts.fit_sms`. Writes nothing. The link carries the id the outbox's next row will get
    (`selectors.message_next_id`; should another text be written first, only the link's
    token differs, and its length only when the id gains a digit)."""
    language = language_or_default(language)
    values = {**context, "link": texts.manage_link(message_next_id(), language)}
    fitted = texts.fit_sms(template, language, values)
    return TextPreview(
        body=fitted.body,
        language=language,
        channel=channel_for(recipient),
        cost=sms_cost(fitted.body),
        shortened=fitted.shortened,
        dropped=fitted.dropped,
    )


@dataclass(frozen=True)
class Text:
    """One text of a batch for `messages_create`: to whom, in which language, once per key, and
    the hold it announces, if any; or, for a text that announces no hold, the values its
    template (named by its purpose) is rendered with when it is sent."""

    recipient: str
    language: str
    idempotency_key: str
    hold_id: int | None = None
    context: Mapping[str, Any] | None = None


def messages_create(
    *,
    purpose: str,
    texts: Sequence[Text],
    send_after: datetime | None = None,
    dispatch: bool = True,
) -> list[int]:
    """Write many outbox rows of one purpose in one statement (inside the caller's
    transaction), skipping a key already written, each for the channel its number's owner
    chose; their sends are queued after commit unless they wait for `send_after`. Bodies are
    rendered when sent (`message_send`): a hold's text from its hold, any other from its
    `context` and the template its purpose names. Returns the new rows' ids.

    With `dispatch` false, due rows are not handed to the workers now but left to the due
    sweep (`messages_dispatch_due`, in batches): texts that can wait a sweep — a draw's
    thousands of "not this time" — then queue behind nothing more urgent.

    One INSERT … SELECT over the texts given as VALUES: a restock hands 50 pairs to 50 people
    in one round trip, the duplicate check done by the database."""
    if not texts:
        return []
    now = timezone.now()
    due = send_after is None or send_after <= now
    handed_over = due and dispatch
    ops = connection.ops
    table = Message._meta.db_table
    channels = channels_for(text.recipient for text in texts)
    rows = ", ".join(["(%s, %s, %s, CAST(%s AS bigint), %s, %s, %s)"] * len(texts))
    # PostgreSQL's JSON column takes text only through a cast; SQLite keeps JSON as text.
    variables = "CAST(v.variables AS jsonb)" if connection.vendor == "postgresql" else "v.variables"
    sql = f"""
        WITH v(recipient, language, idempotency_key, hold_id, channel, position, variables)
        AS (VALUES {rows})
        INSERT INTO {table} (recipient, body, language, purpose, status, idempotency_key,
                             hold_id, attempts, error_code, last_error, send_after,
                             enqueued_at, created_at, updated_at, channel, variables)
        SELECT v.recipient, '', v.language, %s, %s, v.idempotency_key, v.hold_id, 0, '', '',
               %s, %s, %s, %s, v.channel, {variables}
        FROM v
        WHERE NOT EXISTS (SELECT 1 FROM {table} m WHERE m.idempotency_key = v.idempotency_key)
        ORDER BY v.position
        RETURNING id
    """  # noqa: S608 (table names from the models; every value is a parameter)
    stamp = ops.adapt_datetimefield_value(now)
    params: list[Any] = [
        value
        for position, text in enumerate(texts)
        for value in (
            text.recipient,
            text.language,
            text.idempotency_key,
            text.hold_id,
            channels[text.recipient],
            position,
            json.dumps(dict(text.context or {})),
        )
    ]
    params += [
        purpose,
        Message.Status.QUEUED.value,
        ops.adapt_datetimefield_value(send_after),
        stamp if handed_over else None,
        stamp,
        stamp,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    if handed_over:
        messages_dispatch(ids)
    return ids


def message_dispatch(message_id: int, countdown: float | None = None) -> None:
    """Queue the send of one text after commit (in `countdown` seconds: a retry's backoff). A
    broker outage is logged, not raised: the row stays queued and the sweep hands it over
    again."""
    queue_after_commit(
        "notifications.message_send",
        message_id,
        countdown=countdown,
        what=f"SMS #{message_id} (the sweep will send it)",
    )


def messages_dispatch(message_ids: Sequence[int]) -> None:
    """Queue after commit the sends of many texts, `SMS_SEND_BATCH` to a task (a restock's
    texts, the sweeps): fewer tasks, the same guarantees — each text is claimed and marked one
    by one."""
    size = max(1, settings.SMS_SEND_BATCH)
    ids = list(message_ids)
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        queue_after_commit(
            "notifications.messages_send_batch",
            chunk,
            what=f"{len(chunk)} SMS (the sweep will send them)",
        )


def message_retry(*, message: Message) -> Message:
    """Staff: send a failed text again (fresh attempts). Refuses any other status."""
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
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
        message_dispatch(locked.pk)
    return locked


def messages_dispatch_due(*, now: datetime | None = None, limit: int = 2000) -> list[int]:
    """Queue the sends of texts whose `send_after` has come (quiet hours, backoff)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, enqueued_at__isnull=True)
            .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
            .order_by("send_after", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        Message.objects.filter(pk__in=ids).update(enqueued_at=now)
        messages_dispatch(ids)
    return ids


def messages_requeue_stale(
    *, now: datetime | None = None, stale_after: timedelta | None = None, limit: int = 5000
) -> list[int]:
    """Hand over again texts still queued `stale_after` after they were handed to a worker
    (the task was lost: a broker outage, a killed worker), and texts stuck `sending` that long
    (their worker died mid-send: the provider may have taken it, so this can send twice)."""
    now = now or timezone.now()
    cutoff = now - (settings.SMS_STALE_AFTER if stale_after is None else stale_after)
    with transaction.atomic():
        rows = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=Status.QUEUED, enqueued_at__lte=cutoff)
                | Q(status=Status.SENDING, claimed_at__lte=cutoff)
            )
            .order_by("pk")
            .values_list("pk", "status")[:limit]
        )
        ids = [pk for pk, _status in rows]
        Message.objects.filter(pk__in=ids).update(
            status=Status.QUEUED, enqueued_at=now, updated_at=now
        )
        messages_dispatch(ids)
    if ids:
        logger.info("Requeued %d stale SMS", len(ids))
    return ids
