"""What reviews hold about a number (see `core.privacy`): the ratings of visits held for it
and of its conversations with the stores. A rating is linked to the number through its hold or
its conversation; erasing deletes the ratings, score and words, before the stock layer strips
the number from the holds and the messaging layer deletes the conversations."""

from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.privacy import Section, when

from .models import Rating


class RatingsData:
    order = 40

    def records_for(self, phone: str) -> Sequence[Section]:
        ratings = Rating.objects.filter(of_number(phone)).select_related("store")
        return [
            Section(
                "ratings",
                _("Your ratings"),
                [
                    {
                        "store": str(rating.store),
                        "interaction": rating.interaction,
                        "score": str(rating.score),
                        "comment": rating.comment,
                        "rated_at": when(rating.created_at),
                    }
                    for rating in ratings.order_by("created_at", "id")
                ],
                choices={"interaction": dict(Rating.Interaction.choices)},
            )
        ]

    def erase(self, phone: str) -> dict[str, int]:
        return {"ratings": Rating.objects.filter(of_number(phone)).delete()[0]}


def of_number(phone: str) -> Q:
    """The number's ratings: of its visits (through the hold) and its conversations."""
    return Q(hold__customer_phone=phone) | Q(conversation__phone=phone)
