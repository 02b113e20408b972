"""Reads of the messaging layer shared by pages and the admin."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import ConfirmedNumber, Message, PhoneVerification


def queued_text_times(hold_ids: Iterable[int | None]) -> dict[int, datetime]:
    """When the texts still waiting to go about these holds will go (quiet hours hold them
    back to the morning), by hold id."""
    ids = [hold_id for hold_id in hold_ids if hold_id is not None]
    if not ids:
        return {}
    rows = (
        Message.objects.filter(
            hold_id__in=ids, status=Message.Status.QUEUED, send_after__gt=timezone.now()
        )
        .order_by("send_after")
        .values_list("hold_id", "send_after")
    )
    times: dict[int, datetime] = {}
    for hold_id, send_after in rows:
        if hold_id is not None and send_after is not None:
            times.setdefault(hold_id, send_after)
    return times


def queued_text_time(message: Message) -> datetime | None:
    """When a text still waiting to go will go, or None (sent, failed, or due now)."""
    if message.status != Message.Status.QUEUED or message.send_after is None:
        return None
    return message.send_after if message.send_after > timezone.now() else None


def verification_of(verification_id: int | str | None) -> PhoneVerification | None:
    """The code a browser is waiting for (its id from the session), if it still exists."""
    if not verification_id:
        return None
    return PhoneVerification.objects.filter(pk=int(verification_id)).first()


def channel_of(phone: str) -> str | None:
    """The channel a confirmed number's texts go by, or None for a number not confirmed."""
    return next(
        iter(ConfirmedNumber.objects.filter(phone=phone).values_list("channel", flat=True)), None
    )


def language_of(phone: str) -> str | None:
    """The language a confirmed number's texts are in, or None for a number not confirmed."""
    return next(
        iter(ConfirmedNumber.objects.filter(phone=phone).values_list("language", flat=True)), None
    )


def message_of(message_id: int | None) -> Message | None:
    """The text a manage link came in (its id from the signed link)."""
    if message_id is None:
        return None
    return Message.objects.filter(pk=message_id).first()


def manage_link_expired(message: Message, *, now: datetime | None = None) -> bool:
    """A text's manage link works for `MANAGE_LINK_DAYS` after the text was written."""
    return message.created_at < (now or timezone.now()) - timedelta(days=settings.MANAGE_LINK_DAYS)


def recent_messages(limit: int = 50) -> QuerySet[Message]:
    return Message.objects.select_related("hold__variant__product", "hold__store").order_by(
        "-created_at", "-id"
    )[:limit]


def latest_message_to(phone: str) -> Message | None:
    return Message.objects.filter(recipient=phone).order_by("-created_at", "-id").first()


def message_next_id() -> int:
    """The id the outbox's next row will get, as the database's own counter says, without
    taking it (neither PostgreSQL's sequence nor SQLite's AUTOINCREMENT reuses an id, so the
    highest id + 1 would be wrong after a rollback or a delete). A row written meanwhile by
    anyone else takes it."""
    table = Message._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute(
                    f"SELECT last_value, is_called FROM {sequence}"  # noqa: S608 (the table's own sequence)
                )
                last, called = cursor.fetchone()
                return int(last) + 1 if called else int(last)
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return int(row[0]) + 1 if row else 1
    return (Message.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
