"""Consent records, customers' data requests and staff's reveals of a number: the privacy
audit trail."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from core.csv import write_csv
from core.phones import mask_phone

from ..models import (
    ConsentRecord,
    PhoneReveal,
    PrivacyRequest,
)
from .base import AlertsAdmin


@admin.register(ConsentRecord)
class ConsentRecordAdmin(AlertsAdmin):
    """What each number agreed to, in the words it was shown: a record, never edited. For a
    dispute, select a number's records and export them all as CSV."""

    reveal_kind = "consentrecord"
    list_display = [
        "id",
        "phone_display",
        "purpose",
        "channel",
        "language",
        "page",
        "given_at",
        "by_code",
        "recorded_by",
        "withdrawn_at",
    ]
    list_filter = ["purpose", "channel", "language", "by_code", "given_at"]
    list_select_related = ["recorded_by"]
    phone_search_fields = ["=phone"]
    date_hierarchy = "given_at"
    fields = [
        "phone",
        "purpose",
        "channel",
        "language",
        "page",
        "wording",
        "given_at",
        "by_code",
        "recorded_by",
        "withdrawn_at",
    ]
    actions = ["export_csv"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a record: only the number's own deletion removes it

    @admin.action(
        description=gettext_lazy("Export every consent record of these numbers (CSV)"),
        permissions=["view"],
    )
    def export_csv(self, request: HttpRequest, queryset: QuerySet[ConsentRecord]) -> HttpResponse:
        phones = set(queryset.values_list("phone", flat=True))
        records = (
            ConsentRecord.objects.filter(phone__in=phones)
            .select_related("recorded_by")
            .order_by("phone", "given_at")
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="consent-records.csv"'
        response.write("\ufeff")  # Excel opens Hebrew UTF-8 with the byte-order mark
        header = [
            "mobile",
            "purpose",
            "channel",
            "language",
            "page",
            "wording",
            "given_at",
            "proven_by_code",
            "recorded_by_staff",
            "withdrawn_at",
        ]
        write_csv(
            response,
            [header]
            + [
                [
                    # Masked as everywhere: whoever looks it up already typed the number.
                    mask_phone(record.phone),
                    record.purpose,
                    record.channel,
                    record.language,
                    record.page,
                    record.wording,
                    record.given_at.isoformat(),
                    "yes" if record.by_code else "no",
                    record.recorded_by.get_username() if record.recorded_by else "",
                    record.withdrawn_at.isoformat() if record.withdrawn_at else "",
                ]
                for record in records
            ],
        )
        return response


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    """The audit trail of customers' downloads and deletions of their data: when, the number
    masked (the deleted number itself is gone), and how many rows of each kind went."""

    list_display = ["id", "created_at", "kind", "masked", "rows", "staff"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["staff"]
    date_hierarchy = "created_at"
    fields = ["kind", "masked", "rows", "created_at", "staff", "phone_key"]
    readonly_fields = ["kind", "masked", "rows", "created_at", "staff", "phone_key"]

    @admin.display(description=gettext_lazy("rows"))
    def rows(self, obj: PrivacyRequest) -> str:
        return ", ".join(f"{kind}: {count}" for kind, count in sorted(obj.counts.items()))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PhoneReveal)
class PhoneRevealAdmin(admin.ModelAdmin):
    """Who saw a customer's full number, when, on which record and why: a log, never edited."""

    list_display = ["created_at", "user", "masked", "subject", "reason"]
    list_filter = ["created_at", "user"]
    list_select_related = ["user"]
    search_fields = ["subject", "reason", "user__username"]
    date_hierarchy = "created_at"
    fields = ["created_at", "user", "masked", "subject", "reason", "phone_key"]
    readonly_fields = ["created_at", "user", "masked", "subject", "reason", "phone_key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
