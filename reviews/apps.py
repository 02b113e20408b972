from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews and feedback")

    def ready(self) -> None:
        from inventory.events import hold_ended

        from . import receivers

        hold_ended.connect(receivers.on_hold_ended, dispatch_uid="reviews.rating_invite")
