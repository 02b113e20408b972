from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews and feedback")

    def ready(self) -> None:
        from core.versions import CATALOG, bump_on_save
        from inventory.events import hold_ended
        from notifications.events import conversation_closed

        from . import receivers
        from .models import ReviewLink, ReviewSource

        hold_ended.connect(receivers.on_hold_ended, dispatch_uid="reviews.rating_invite")
        conversation_closed.connect(
            receivers.on_conversation_closed, dispatch_uid="reviews.conversation_rating"
        )
        # Reviews are part of the product page (see core.versions).
        bump_on_save(ReviewLink, ReviewSource, names=lambda instance: [CATALOG])

        from core import privacy

        from .privacy import RatingsData

        privacy.register("reviews", RatingsData())
