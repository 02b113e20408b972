"""Stores (their opening hours, and dates with other hours) and their tills' keys in the
admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import Store, StoreHours, StoreSpecialHours, TillToken
from .views import TillTokenKeysMixin


class StoreHoursInline(admin.TabularInline):
    model = StoreHours
    extra = 0
    max_num = 7
    verbose_name_plural = _("Opening hours by day (the pick-up times customers can choose)")


class StoreSpecialHoursInline(admin.TabularInline):
    model = StoreSpecialHours
    extra = 0
    fields = ["date", "closed", "opens", "closes", "note_he", "note_en"]
    verbose_name_plural = _(
        "Dates with other hours (holidays, eves, stock counts). Without one, the store is "
        "closed on a holiday and closes at its Friday time on a holiday eve."
    )
    ordering = ["-date"]  # the latest dates first, above years of past holidays


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name_he", "name_en", "city_he", "phone", "is_active", "is_warehouse"]
    list_display_links = ["code", "name_he", "name_en"]
    list_filter = ["is_active", "is_warehouse", "city_en"]
    search_fields = [
        "code",
        "name_he",
        "name_en",
        "city_he",
        "city_en",
        "address_he",
        "address_en",
        "phone",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["code", "name_he", "name_en", "is_active", "is_warehouse", "safety_stock"]},
        ),
        (
            _("Location"),
            {"fields": ["city_he", "city_en", "address_he", "address_en", "latitude", "longitude"]},
        ),
        (_("Contact and hours"), {"fields": ["phone", "opening_hours_he", "opening_hours_en"]}),
        (_("Pick-up"), {"fields": ["pickup_reminder", "pickup_reminder_hours"]}),
    ]
    inlines = [StoreHoursInline, StoreSpecialHoursInline]


@admin.register(TillToken)
class TillTokenAdmin(TillTokenKeysMixin, admin.ModelAdmin):
    list_display = ["prefix", "name", "store", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["store", "revoked_at"]
    list_select_related = ["store"]
    search_fields = ["prefix", "name", "store__code", "store__name_en", "store__name_he"]
    # The secret is shown once when a token is made (TillTokenKeysMixin); only its hash is kept.
    readonly_fields = ["store", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoke instead: the ledger keeps pointing at the till that wrote each line.
        return False
