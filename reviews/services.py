"""Writes of the customer-experience loop: ratings, call-back flags and site feedback."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import Product
from core.errors import DomainError
from core.language import language_or_default
from core.phones import phone_or_none
from core.text import clean_text
from inventory.models import Hold
from notifications.links import make_token
from notifications.models import Message
from notifications.services import BudgetExhausted, message_create, quiet_hours_end
from notifications.texts import link_for

from .models import Rating, SiteFeedback

RATING_TOKEN_PURPOSE = "rating"  # noqa: S105 - a signing salt, not a secret


class RatingError(DomainError):
    """A rating or call-back step refused."""


class RatingUnavailable(RatingError):
    """The interaction is not one customers rate (e.g. still active, released by staff)."""


class RatingLinkExpired(RatingError):
    pass


class AlreadyRated(RatingError):
    pass


class FlagNotOpen(RatingError):
    pass


def rating_window() -> timedelta:
    return timedelta(days=settings.RATING_LINK_DAYS)


def rating_interaction(hold: Hold) -> Rating.Interaction | None:
    """Which interaction an ended hold was, or None when it is not one customers rate."""
    if hold.status == Hold.Status.COLLECTED:
        if hold.purpose == Hold.Purpose.TRANSFER:
            return Rating.Interaction.TRANSFER_COLLECTED
        return Rating.Interaction.HOLD_COLLECTED
    if hold.status == Hold.Status.EXPIRED:
        return Rating.Interaction.HOLD_LAPSED
    return None


def rating_link_path(hold: Hold) -> str:
    """The rating page's path, in the customer's language."""
    with translation.override(hold.language):
        return reverse("reviews:rate", kwargs={"token": make_token(RATING_TOKEN_PURPOSE, hold.pk)})


def rating_link_open(hold: Hold, *, now: datetime | None = None) -> None:
    """Raise the reason a hold cannot be rated now; return quietly when it can."""
    if rating_interaction(hold) is None or hold.ended_at is None:
        raise RatingUnavailable(_("There is nothing to rate for this visit."))
    if (now or timezone.now()) > hold.ended_at + rating_window():
        raise RatingLinkExpired(_("This rating link has expired. Thank you all the same!"))
    if Rating.objects.filter(hold=hold).exists():
        raise AlreadyRated(_("You have already rated this visit. Thank you!"))


def rating_submit(*, hold: Hold, score: int, comment: str = "", language: str) -> Rating:
    """Record the customer's rating of one ended hold.

    One rating per interaction (the database enforces it), within RATING_LINK_DAYS of the
    hold ending. Scores of 1–2 are flagged for the store's manager to call back.
    Raises RatingUnavailable, RatingLinkExpired or AlreadyRated.
    """
    if not 1 <= score <= 5:
        raise RatingError(_("Choose a score from 1 to 5."))
    rating_link_open(hold)
    interaction = rating_interaction(hold)
    assert interaction is not None  # rating_link_open refused the other cases
    try:
        with transaction.atomic():
            return Rating.objects.create(
                hold=hold,
                store_id=hold.store_id,
                interaction=interaction,
                score=score,
                comment=clean_text(comment).strip(),
                language=language,
                needs_callback=score <= Rating.LOW_SCORE,
            )
    except IntegrityError as exc:  # a double tap racing itself
        raise AlreadyRated(_("You have already rated this visit. Thank you!")) from exc


def rating_flag_handle(*, rating: Rating, user: object, note: str) -> Rating:
    """Mark a low rating's call-back as done. Raises FlagNotOpen if there is none open."""
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating.pk)
        if not rating.needs_callback or rating.handled_at is not None:
            raise FlagNotOpen(_("This rating has no open call-back."))
        note = clean_text(note)
        if not note.strip():
            raise RatingError(_("Write a short note of what was done."))
        rating.handled_at = timezone.now()
        rating.handled_by = user  # type: ignore[assignment]
        rating.handled_note = note.strip()
        rating.save(update_fields=["handled_at", "handled_by", "handled_note"])
        return rating


def site_feedback_submit(
    *, product: Product | None, found: bool, comment: str = "", language: str
) -> SiteFeedback:
    return SiteFeedback.objects.create(
        product=product, found=found, comment=clean_text(comment).strip()[:1000], language=language
    )


def rating_invite(*, hold: Hold) -> Message | None:
    """Text the customer a link to rate the visit that just ended (collected or lapsed).

    One invitation per hold; none for staff releases, numbers that cannot take texts, or once
    the day's SMS budget is spent (an invitation is a nice-to-have). Opt-outs are honoured by
    the sender; quiet hours push the text to the morning.
    """
    phone = phone_or_none(hold.customer_phone)
    if rating_interaction(hold) is None or phone is None:
        return None
    language = language_or_default(hold.language)
    try:
        return message_create(
            recipient=phone,
            purpose=Message.Purpose.RATING_INVITE,
            language=language,
            idempotency_key=f"rating:{hold.pk}",
            template="rating_invite",
            context={
                "store": getattr(hold.store, f"name_{language}"),
                "rating_link": link_for(rating_link_path(hold)),
                # A lapsed hold had no visit: its invitation asks about the alert.
                "lapsed": rating_interaction(hold) == Rating.Interaction.HOLD_LAPSED,
            },
            send_after=quiet_hours_end(),
        )
    except BudgetExhausted:
        return None
