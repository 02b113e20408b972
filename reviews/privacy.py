"""What reviews hold about a number (see `core.privacy`): the ratings of visits held for it.
A rating is linked to the number through its hold; erasing deletes the ratings, score and
words, before the stock layer strips the number from the holds."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from core.privacy import Section, when

from .models import Rating


class RatingsData:
    order = 40

    def records_for(self, phone: str) -> Sequence[Section]:
        ratings = Rating.objects.filter(hold__customer_phone=phone).select_related("store")
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
        return {"ratings": Rating.objects.filter(hold__customer_phone=phone).delete()[0]}
