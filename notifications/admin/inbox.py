"""The store inbox: quick answers, each store's answer target, conversations (read-only)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ..models import (
    Conversation,
    ConversationMessage,
    QuickAnswer,
    StoreInbox,
)
from .base import AlertsAdmin


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
