"""Staff views of the messaging layer: the SMS log, opt-outs, confirmed numbers, consent
records, privacy requests, WhatsApp.

Numbers are masked on every list and page; staff allowed to see one in full follow its "show"
link and say why (recorded). Texts with a code in them are never shown. Rows change only
through services (actions); the SMS log is read-only.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import act_on_each
from core.csv import write_csv
from core.phones import InvalidPhone, mask_phone, phone_normalize
from inventory import permissions
from inventory.admin.base import masked_with_reveal

from . import services
from .models import (
    ConfirmedNumber,
    ConsentRecord,
    Conversation,
    ConversationMessage,
    Message,
    OptOut,
    PhoneReveal,
    PrivacyRequest,
    QuickAnswer,
    StoreInbox,
    WhatsAppNumber,
    WhatsAppTemplate,
)
from .services.whatsapp import TEMPLATE_MAX_CHARS, template_fill, template_variables

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


@admin.register(Message)
class MessageAdmin(AlertsAdmin):
    phone_field = "recipient"
    phone_search_fields = ["=recipient"]
    reveal_kind = "message"
    list_display = [
        "id",
        "created_at",
        "purpose",
        "channel",
        "status",
        "phone_display",
        "attempts",
        "error_code",
        "send_after",
        "sent_at",
        "read_at",
    ]
    list_filter = ["status", "channel", "purpose", "language", "created_at"]
    search_fields = ["=provider_id", "idempotency_key"]
    date_hierarchy = "created_at"
    fields = [
        "recipient",
        "channel",
        "purpose",
        "language",
        "status",
        "text",
        "attempts",
        "error_code",
        "last_error",
        "provider_id",
        "idempotency_key",
        "hold",
        "send_after",
        "enqueued_at",
        "claimed_at",
        "created_at",
        "sent_at",
        "delivered_at",
        "read_at",
        "updated_at",
    ]
    actions = ["retry_failed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a log: nothing here is edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_message")

    @admin.display(description=gettext_lazy("text"))
    def text(self, obj: Message) -> str:
        if obj.purpose == Message.Purpose.VERIFICATION:
            return _("(a confirmation code: not shown)")
        return obj.body

    @admin.action(description=gettext_lazy("Retry: send failed texts again"), permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        act_on_each(
            request,
            queryset,
            act=lambda message: services.message_retry(message=message),
            done=lambda count: ngettext(
                "%(count)d text queued again.", "%(count)d texts queued again.", count
            ),
        )


@admin.register(OptOut)
class OptOutAdmin(AlertsAdmin):
    reveal_kind = "optout"
    list_display = ["id", "phone_display", "source", "created_at"]
    list_filter = ["source", "created_at"]
    phone_search_fields = ["=phone"]
    fields = ["phone", "source", "created_at"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:  # staff add one for a customer who asked by phone
            return ["phone"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:

            def clean_phone(self: Any) -> str:
                try:
                    return phone_normalize(self.cleaned_data["phone"])
                except InvalidPhone as exc:
                    raise forms.ValidationError(exc.message) from None

            form.clean_phone = clean_phone  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: OptOut, form: Any, change: bool) -> None:
        if change:
            return
        saved = services.phone_opt_out(phone=obj.phone, source=OptOut.Source.STAFF)
        obj.pk, obj.source, obj.created_at = saved.pk, saved.source, saved.created_at

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)


@admin.register(ConfirmedNumber)
class ConfirmedNumberAdmin(AlertsAdmin):
    reveal_kind = "confirmednumber"
    list_display = ["id", "phone_display", "language", "channel", "confirmed_at", "last_used_at"]
    list_filter = ["language", "channel", "confirmed_at"]
    phone_search_fields = ["=phone"]
    fields = ["phone", "language", "channel", "confirmed_at", "last_used_at"]
    actions = ["erase_numbers"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.delete_confirmednumber")

    @admin.action(
        description=gettext_lazy(
            "Delete everything about these numbers (the customer asked us by phone or in store)"
        ),
        permissions=["erase"],
    )
    def erase_numbers(
        self, request: HttpRequest, queryset: QuerySet[ConfirmedNumber]
    ) -> TemplateResponse | None:
        """What "My data" does for a customer, for one who asked staff: after a confirm page,
        each number's data is deleted but its keyed opt-out (`services.number_erase`, recorded
        with who did it)."""
        numbers = list(queryset)
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/notifications/confirmednumber/erase_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Delete everything about these numbers?"),
                    "opts": self.model._meta,
                    "numbers": [(number.pk, mask_phone(number.phone)) for number in numbers],
                },
            )
        for number in numbers:
            services.number_erase(phone=number.phone, staff=request.user)
        messages.success(
            request,
            ngettext(
                "Everything about %(count)d number is deleted; only its opt-out is kept.",
                "Everything about %(count)d numbers is deleted; only their opt-outs are kept.",
                len(numbers),
            )
            % {"count": len(numbers)},
        )
        return None


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


@admin.register(WhatsAppNumber)
class WhatsAppNumberAdmin(AlertsAdmin):
    reveal_kind = "whatsappnumber"
    list_display = ["id", "phone_display", "last_inbound_at", "not_on_whatsapp_at"]
    list_filter = ["not_on_whatsapp_at", "last_inbound_at"]
    phone_search_fields = ["=phone"]
    fields = ["phone", "last_inbound_at", "not_on_whatsapp_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)


# What the preview fills a template with: the longest names the texts carry look like these.
PREVIEW_VALUES = {
    "model": "Pegasus 41",
    "size": "42.5",
    "store": "דיזנגוף סנטר",
    "phone": "03-5551234",
    "until": "03/12 18:00",
    "code": "123456",
    "minutes": "10",
    "link": "https://sole.example/a/AbCdEf1234/",
}


@admin.register(WhatsAppTemplate)
class WhatsAppTemplateAdmin(admin.ModelAdmin):
    """The Content template each purpose and language goes by on WhatsApp (registered and
    approved at Twilio first); a purpose without an approved one goes by SMS."""

    list_display = ["purpose", "language", "content_sid", "approved", "updated_at"]
    list_filter = ["approved", "language", "purpose"]
    search_fields = ["content_sid", "text"]
    fields = [
        "purpose",
        "language",
        "content_sid",
        "approved",
        "text",
        "variables",
        "preview",
        "updated_at",
    ]
    readonly_fields = ["preview", "updated_at"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "purpose":
            return forms.ChoiceField(label=db_field.verbose_name, choices=Message.Purpose.choices)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, obj: WhatsAppTemplate) -> str:
        if obj.pk is None or not obj.text:
            return _("Save the template text to see it filled in.")
        text = template_fill(obj, PREVIEW_VALUES)
        return format_html(
            '<div dir="auto" style="white-space: pre-wrap">{}</div>'
            '<p>ContentVariables: <code dir="ltr">{}</code></p><p>{}</p>',
            text,
            template_variables(obj, PREVIEW_VALUES),
            _("%(count)d of %(limit)d characters")
            % {"count": len(text), "limit": TEMPLATE_MAX_CHARS},
        )


@admin.register(QuickAnswer)
class QuickAnswerAdmin(admin.ModelAdmin):
    """The ready answers of the store inbox's reply box; managers keep them."""

    list_display = ["title_he", "title_en", "text_he", "text_en", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["title_he", "title_en", "text_he", "text_en"]
    list_filter = ["active"]


@admin.register(StoreInbox)
class StoreInboxAdmin(admin.ModelAdmin):
    """Each store's answer target and the manager's mobile for overdue alerts."""

    list_display = ["store", "response_target_minutes", "alert_phone"]
    autocomplete_fields = ["store"]
    search_fields = ["store__name_he", "store__name_en"]


class ConversationMessageInline(admin.TabularInline):
    model = ConversationMessage
    fields = ("created_at", "direction", "channel", "body", "author", "automatic", "answered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(AlertsAdmin):
    """Conversations as they are (staff answer in the store inbox): read-only, numbers masked;
    the conversation's store's staff (and those allowed every number) may ask to see one."""

    reveal_kind = "conversation"
    list_display = ["phone_display", "store", "status", "waiting_since", "last_message_at"]
    list_filter = ["status", "store"]
    date_hierarchy = "last_message_at"
    phone_search_fields = ["phone"]
    fields = [
        "phone",
        "store",
        "status",
        "channel",
        "language",
        "hold",
        "transfer",
        "subject",
        "waiting_since",
        "last_message_at",
        "closed_at",
        "closed_by",
    ]
    inlines = [ConversationMessageInline]

    def reveal_stores(self, obj: Conversation) -> tuple[int, ...]:
        return (obj.store_id,) if obj.store_id else ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
