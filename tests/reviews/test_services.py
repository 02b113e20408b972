from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.models import Hold
from reviews import services
from reviews.models import Rating
from tests.factories import HoldFactory, ProductFactory, TransferFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_rating_submit_records_one_rating_per_interaction():
    hold = HoldFactory(status=Hold.Status.COLLECTED)
    rating = services.rating_submit(hold=hold, score=5, comment="  great  ", language="he")
    assert (rating.store, rating.interaction, rating.comment) == (
        hold.store,
        Rating.Interaction.HOLD_COLLECTED,
        "great",
    )
    assert not rating.needs_callback
    with pytest.raises(services.AlreadyRated):
        services.rating_submit(hold=hold, score=1, language="he")
    assert Rating.objects.get().score == 5


@pytest.mark.parametrize(
    ("status", "purpose", "interaction"),
    [
        (Hold.Status.COLLECTED, Hold.Purpose.TRANSFER, Rating.Interaction.TRANSFER_COLLECTED),
        (Hold.Status.EXPIRED, Hold.Purpose.WAITLIST, Rating.Interaction.HOLD_LAPSED),
    ],
)
def test_rating_submit_names_the_interaction(status, purpose, interaction):
    hold = HoldFactory(
        status=status, transfer=TransferFactory() if purpose == Hold.Purpose.TRANSFER else None
    )
    assert services.rating_submit(hold=hold, score=4, language="en").interaction == interaction


def test_rating_submit_flags_low_scores_for_a_call_back():
    hold = HoldFactory(status=Hold.Status.EXPIRED)
    assert services.rating_submit(hold=hold, score=2, language="he").needs_callback


def test_rating_submit_refuses_after_the_link_expired():
    hold = HoldFactory(
        status=Hold.Status.COLLECTED, ended_at=timezone.now() - timedelta(days=14, minutes=1)
    )
    with pytest.raises(services.RatingLinkExpired):
        services.rating_submit(hold=hold, score=4, language="he")
    assert not Rating.objects.exists()


@pytest.mark.parametrize("status", [Hold.Status.ACTIVE, Hold.Status.RELEASED])
def test_rating_submit_refuses_holds_that_are_not_rated(status):
    ended_at = None if status == Hold.Status.ACTIVE else timezone.now()
    hold = HoldFactory(status=status, ended_at=ended_at)
    with pytest.raises(services.RatingUnavailable):
        services.rating_submit(hold=hold, score=4, language="he")


@pytest.mark.parametrize("score", [0, 6])
def test_rating_submit_refuses_scores_outside_one_to_five(score):
    with pytest.raises(services.RatingError):
        services.rating_submit(
            hold=HoldFactory(status=Hold.Status.COLLECTED), score=score, language="he"
        )


def test_rating_flag_handle_closes_the_flag_once():
    rating = services.rating_submit(
        hold=HoldFactory(status=Hold.Status.COLLECTED), score=1, language="he"
    )
    manager = UserFactory()
    handled = services.rating_flag_handle(rating=rating, user=manager, note="Called, apologised")
    assert (handled.handled_by, handled.handled_note) == (manager, "Called, apologised")
    with pytest.raises(services.FlagNotOpen):
        services.rating_flag_handle(rating=rating, user=manager, note="again")


def test_rating_flag_handle_refuses_a_rating_without_a_flag():
    rating = services.rating_submit(
        hold=HoldFactory(status=Hold.Status.COLLECTED), score=4, language="he"
    )
    with pytest.raises(services.FlagNotOpen):
        services.rating_flag_handle(rating=rating, user=UserFactory(), note="n/a")


def test_site_feedback_submit_keeps_the_answer():
    product = ProductFactory()
    feedback = services.site_feedback_submit(
        product=product, found=False, comment=" no 45 ", language="en"
    )
    assert (feedback.product, feedback.found, feedback.comment) == (product, False, "no 45")
