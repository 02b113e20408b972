"""The store inbox (/staff/inbox/): conversations waiting for an answer first, each with its
messages and a reply box. The open pages ask for new messages every `INBOX_POLL_SECONDS`
(htmx), so nobody reloads. Role rules are the holds desk's: staff read and answer their own
store's conversations; head office reads every store's."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Variant
from core.phones import mask_phone
from inventory import permissions
from inventory.models import Hold, Transfer
from inventory.selectors import pickup_slots
from inventory.views.common import picked_store, refuse, reveal_url, staff_context

from . import services
from .inbox_selectors import conversations_visible, inbox_rows, inbox_sees_all
from .models import Conversation, QuickAnswer
from .response_time import open_seconds_between
from .segments import sms_cost


@dataclass
class InboxRow:
    conversation: Conversation
    waiting_for: str  # humanised; "" once answered
    overdue: bool
    about: str


def staff_language() -> str:
    return "en" if (get_language() or "he").startswith("en") else "he"


def about(conversation: Conversation) -> str:
    """What the customer waits for: the held pair, the requested pair, or the alert."""
    pair = conversation.hold or conversation.transfer
    if pair is not None:
        variant = pair.variant
        return f"{variant.product.name} · {variant.size_label}"
    return conversation.subject


def _rows(user: Any, store: Any, now: datetime) -> list[InboxRow]:
    rows = []
    for conversation in inbox_rows(user, store):
        since = conversation.waiting_since
        target = services.response_target_minutes(conversation.store) * 60
        rows.append(
            InboxRow(
                conversation=conversation,
                waiting_for=timesince(since, now, depth=1) if since else "",
                overdue=since is not None
                and open_seconds_between(conversation.store, since, now) > target,
                about=about(conversation),
            )
        )
    return rows


def may_answer(user: Any, conversation: Conversation) -> bool:
    """Staff who hand over the store's holds answer its customers; a conversation with no
    store is head office's."""
    if conversation.store_id is None:
        return inbox_sees_all(user)
    return permissions.can_manage_holds(user, conversation.store_id)


def _inbox_store(request: HttpRequest) -> tuple[Any, Any, HttpResponse | None]:
    store, picker = picked_store(request)
    if not inbox_sees_all(request.user) and (
        store is None or not permissions.can_view_holds(request.user, store)
    ):
        return None, None, refuse(request, _("Your account may not read a store's inbox."))
    return store, picker, None


@staff_member_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    store, picker, refused = _inbox_store(request)
    if refused is not None:
        return refused
    context = staff_context(
        request,
        section="inbox",
        store=store,
        picker=picker,
        rows=_rows(request.user, store, timezone.now()),
        poll_seconds=settings.INBOX_POLL_SECONDS,
    )
    template = (
        "notifications/_inbox_list.html"
        if getattr(request, "htmx", False)
        else "notifications/inbox.html"
    )
    return render(request, template, context)


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    return get_object_or_404(
        conversations_visible(request.user).select_related(
            "store", "hold__variant__product", "transfer__variant__product"
        ),
        pk=pk,
    )


def _messages_context(conversation: Conversation) -> dict[str, Any]:
    rows = list(conversation.messages.select_related("author", "outbox"))
    return {
        "conversation": conversation,
        "thread": rows,
        "last_seen_id": rows[-1].pk if rows else 0,
    }


def _actions(conversation: Conversation) -> dict[str, Any]:
    """What staff may do for the customer from here (the forms post to demand's view): the
    held pair's one more day, pick-up times and release; bringing a size of the pair asked
    about to this store."""
    hold = conversation.hold
    held = (
        hold is not None
        and hold.status == Hold.Status.ACTIVE
        and hold.customer_phone == conversation.phone
    )
    pair = hold or conversation.transfer
    return {
        "held": hold if held else None,
        "can_extend": held and hold is not None and hold.extended_at is None,
        "slot_days": (
            pickup_slots(store=hold.store, until=hold.expires_at)
            if held and hold is not None and hold.expires_at
            else []
        ),
        "sizes": (
            list(Variant.objects.filter(product_id=pair.variant.product_id).order_by("eu_size"))
            if pair is not None and conversation.store_id is not None
            else []
        ),
    }


def _stores(conversation: Conversation) -> tuple[int, ...]:
    return (conversation.store_id,) if conversation.store_id else ()


def _page(
    request: HttpRequest, conversation: Conversation, *, status: int = 200, **extra: Any
) -> HttpResponse:
    language = conversation.language
    context = staff_context(
        request,
        section="inbox",
        **_messages_context(conversation),
        about=about(conversation),
        # Masked for everyone; the store's staff (and those allowed every number) may ask to
        # see it in full on the reveal page, which records who asked and why.
        phone=mask_phone(conversation.phone),
        reveal_url=(
            reveal_url("conversation", conversation.pk, request.get_full_path())
            if permissions.can_reveal_phone(request.user, _stores(conversation))
            else ""
        ),
        can_answer=may_answer(request.user, conversation),
        # A number that asked for no more texts (or had its data deleted) gets no answer.
        opted_out=services.is_opted_out(conversation.phone),
        **_actions(conversation),
        quick_answers=[
            (q.title_for(staff_language()), q.text_for(language))
            for q in QuickAnswer.objects.filter(active=True)
        ],
        poll_seconds=settings.INBOX_POLL_SECONDS,
        **extra,
    )
    return render(request, "notifications/conversation.html", context, status=status)


@staff_member_required
@require_GET
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    # Whoever has it open has read what it shows, the polled new messages too.
    services.conversation_seen(conversation=conversation)
    if getattr(request, "htmx", False):
        return render(
            request, "notifications/_conversation_thread.html", _messages_context(conversation)
        )
    return _page(request, conversation)


@staff_member_required
@require_POST
def conversation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    if not may_answer(request.user, conversation):
        return refuse(request, _("Your account may not answer this store's customers."))
    body = request.POST.get("body", "")
    try:
        last_seen = int(request.POST.get("last_seen_id", ""))
    except ValueError:
        last_seen = -1
    try:
        services.conversation_answer(
            conversation_id=conversation.pk, author=request.user, body=body, last_seen_id=last_seen
        )
    except services.StaleConversation as exc:
        # The draft stays in the box: nothing typed is lost.
        return _page(
            request,
            conversation,
            status=409,
            error=exc.message,
            draft=body,
            newer_ids=[m.pk for m in exc.newer],
        )
    except services.AlertError as exc:
        return _page(request, conversation, status=400, error=exc.message, draft=body)
    messages.success(request, _("Answer sent."))
    return redirect("inbox:conversation", pk=conversation.pk)


@staff_member_required
@require_POST
def conversation_close(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    if not may_answer(request.user, conversation):
        return refuse(request, _("Your account may not answer this store's customers."))
    try:
        services.conversation_close(conversation_id=conversation.pk, user=request.user)
    except services.AlertError as exc:
        return _page(request, conversation, status=400, error=exc.message)
    messages.success(request, _("Conversation closed."))
    return redirect("inbox:inbox")


@staff_member_required
@require_GET
def segments(request: HttpRequest) -> HttpResponse:
    """What the answer being typed costs by SMS (the reply box asks as it is typed)."""
    body = request.GET.get("body", "")[:2000]
    return render(
        request, "notifications/_segments.html", {"cost": sms_cost(body), "chars": len(body)}
    )


@staff_member_required
def hold_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff write to the customer of a hold; the conversation opens (or goes on) at once."""
    hold = get_object_or_404(Hold.objects.select_related("store", "variant__product"), pk=pk)
    if not permissions.can_manage_holds(request.user, hold.store_id):
        return refuse(request, _("Your account may not answer this store's customers."))
    return _start(request, hold=hold, store=hold.store, variant=hold.variant)


@staff_member_required
def transfer_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff of the destination write to the customer a pair is brought for."""
    transfer = get_object_or_404(
        Transfer.objects.select_related("to_store", "variant__product"), pk=pk
    )
    if not permissions.can_manage_holds(request.user, transfer.to_store_id):
        return refuse(request, _("Your account may not answer this store's customers."))
    return _start(request, transfer=transfer, store=transfer.to_store, variant=transfer.variant)


def _start(request: HttpRequest, *, store: Any, variant: Any, **about: Any) -> HttpResponse:
    pair = about.get("hold") or about.get("transfer")
    phone = getattr(pair, "customer_phone", "")
    error, body = "", ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            sent = services.conversation_start(author=request.user, body=body, **about)
        except services.AlertError as exc:
            error = exc.message
        else:
            messages.success(request, _("Message written; it goes out on the customer's channel."))
            return redirect("inbox:conversation", pk=sent.conversation_id)
    context = staff_context(
        request,
        section="inbox",
        store=store,
        variant=variant,
        error=error,
        draft=body,
        phone=mask_phone(phone),
    )
    return render(request, "notifications/hold_message.html", context, status=400 if error else 200)
