"""The SMS log, opt-outs, confirmed numbers and WhatsApp (numbers, approved templates)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import act_on_each
from core.phones import InvalidPhone, mask_phone, phone_normalize

from .. import services
from ..models import (
    ConfirmedNumber,
    Message,
    OptOut,
    WhatsAppNumber,
    WhatsAppTemplate,
)
from ..services.whatsapp import TEMPLATE_MAX_CHARS, template_fill, template_variables
from .base import AlertsAdmin


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
