"""What every admin page of the messaging layer shares: numbers masked, a "show" link for
staff allowed to see one in full (who and why recorded), rows changed only through services."""

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.phones import mask_phone
from inventory import permissions
from inventory.admin.base import masked_with_reveal

from .. import services

REVEAL_PERMISSION = permissions.REVEAL_PERMISSION


def can_see_numbers(request: HttpRequest) -> bool:
    return request.user.has_perm(REVEAL_PERMISSION)


class AlertsAdmin(admin.ModelAdmin):
    """Masks the number field `phone_field` on every list and page, with a link to see it in
    full (`notifications.reveal`: for those allowed, with a reason, recorded); hides it from
    search for those who may not see it; shows how much of today's SMS budget is spent on every
    list."""

    phone_field = "phone"
    phone_search_fields: Sequence[str] = ()
    # The record's name in the reveal page's address (see `core.privacy.register_revealable`).
    reveal_kind = ""

    def reveal_stores(self, obj: Any) -> tuple[int, ...]:
        """The stores whose staff call this record's customer (may see its number)."""
        return ()

    def _phone_column(self, request: HttpRequest) -> Callable[[Any], str]:
        field = self.phone_field

        @admin.display(description=gettext_lazy("mobile"))
        def phone(obj: Any) -> str:
            return masked_with_reveal(
                request,
                getattr(obj, field),
                kind=self.reveal_kind,
                pk=obj.pk,
                stores=self.reveal_stores(obj),
            )

        return phone

    @admin.display(description=gettext_lazy("mobile"))
    def phone_display(self, obj: Any) -> str:
        """Masked; `get_list_display` swaps in a column that knows who is looking."""
        return mask_phone(getattr(obj, self.phone_field))

    def get_list_display(self, request: HttpRequest) -> Any:
        column = self._phone_column(request)
        return [column if name == "phone_display" else name for name in self.list_display]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)
        column = self._phone_column(request)
        return [column if name == self.phone_field else name for name in fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return list(self.get_fields(request, obj))

    def get_search_fields(self, request: HttpRequest) -> Any:
        fields = list(super().get_search_fields(request))
        if can_see_numbers(request):
            fields += list(self.phone_search_fields)
        return fields

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        paused_since = services.code_breaker_tripped_at()
        if paused_since is not None:
            messages.error(
                request,
                _(
                    "Confirmation codes are paused since %(time)s: more than %(limit)d were asked "
                    "for across the site within the hour, which looks like SMS pumping. They "
                    "resume by themselves when the hour is over; hold texts still go."
                )
                % {
                    "time": timezone.localtime(paused_since).strftime("%H:%M"),
                    "limit": settings.RATE_LIMITS["code_sitewide"][0],
                },
            )
        used, budget = services.budget_status()
        if used >= budget:
            messages.error(
                request,
                _(
                    "Today's SMS budget is spent (%(used)d of %(budget)d texts): "
                    "confirmation codes "
                    "and other non-essential texts are stopped until midnight. Hold texts still go."
                )
                % {"used": used, "budget": budget},
            )
        elif used >= budget * 0.8:
            messages.warning(
                request,
                _("%(used)d of today's %(budget)d texts are spent.")
                % {"used": used, "budget": budget},
            )
        return super().changelist_view(request, extra_context)
