"""What the messaging layer holds about a number, for the customer's "My data" (see
`core.privacy`): the confirmed number, its consent records, the texts sent to it, its codes,
what WhatsApp told us, its conversations with the stores and its opt-out. Erasing keeps one
thing: the opt-out, as a keyed hash of the number, so it is never texted again."""

from collections.abc import Callable, Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.phones import phone_key
from core.privacy import Revealable, Section, when

from .models import (
    LANGUAGE_CHOICES,
    Channel,
    ConfirmedNumber,
    ConsentRecord,
    Conversation,
    ConversationMessage,
    Message,
    OptOut,
    PhoneVerification,
    WhatsAppNumber,
)

LANGUAGES = dict(LANGUAGE_CHOICES)
CHANNELS = dict(Channel.choices)
CONVERSATION_LABELS = {
    "conversation": _("Conversation"),
    "direction": _("direction"),
    "attachments": _("attachments"),
    "answered_at": _("Answered"),
}


class MessagingData:
    # The lowest layer that keeps numbers: erased last, after what points at its rows.
    order = 10

    def records_for(self, phone: str) -> Sequence[Section]:
        return [
            Section(
                "number",
                _("Your number's settings"),
                [
                    {
                        "language": number.language,
                        "channel": number.channel,
                        "confirmed_at": when(number.confirmed_at),
                        "last_used_at": when(number.last_used_at),
                    }
                    for number in ConfirmedNumber.objects.filter(phone=phone)
                ],
                choices={"language": LANGUAGES, "channel": CHANNELS},
            ),
            Section(
                "consents",
                _("What you agreed to"),
                [
                    {
                        "purpose": record.purpose,
                        "channel": record.channel,
                        "language": record.language,
                        "page": record.page,
                        "wording": record.wording,
                        "given_at": when(record.given_at),
                        "withdrawn_at": when(record.withdrawn_at),
                    }
                    for record in ConsentRecord.objects.filter(phone=phone).order_by("given_at")
                ],
                choices={
                    "purpose": dict(ConsentRecord.Purpose.choices),
                    "channel": CHANNELS,
                    "language": LANGUAGES,
                },
            ),
            Section(
                "texts",
                _("Texts we sent you"),
                [
                    {
                        "created_at": when(message.created_at),
                        "sent_at": when(message.sent_at),
                        "delivered_at": when(message.delivered_at),
                        "channel": message.channel,
                        "purpose": message.purpose,
                        "status": message.status,
                        # A code is useless once used, and never shown again.
                        "text": str(_("(a confirmation code)"))
                        if message.purpose == Message.Purpose.VERIFICATION
                        else message.body,
                    }
                    for message in Message.objects.filter(recipient=phone).order_by(
                        "created_at", "id"
                    )
                ],
                choices={
                    "channel": CHANNELS,
                    "purpose": dict(Message.Purpose.choices),
                    "status": dict(Message.Status.choices),
                },
            ),
            Section(
                "codes",
                _("Confirmation codes asked for"),
                [
                    {"created_at": when(code.created_at), "confirmed_at": when(code.confirmed_at)}
                    for code in PhoneVerification.objects.filter(phone=phone).order_by("created_at")
                ],
            ),
            Section(
                "whatsapp",
                _("WhatsApp"),
                [
                    {
                        "last_message_from_you": when(number.last_inbound_at),
                        "not_on_whatsapp_since": when(number.not_on_whatsapp_at),
                    }
                    for number in WhatsAppNumber.objects.filter(phone=phone)
                ],
            ),
            *self._conversations(phone),
            Section(
                "opt_out",
                _("No more texts"),
                [
                    {"source": opt_out.source, "since": when(opt_out.created_at)}
                    for opt_out in OptOut.objects.filter(phone_key=phone_key(phone))
                ],
                choices={"source": dict(OptOut.Source.choices)},
            ),
        ]

    def _conversations(self, phone: str) -> list[Section]:
        """The number's conversations with the stores, and every message in them (both ways),
        numbered in the order they were opened."""
        conversations = list(
            Conversation.objects.filter(phone=phone)
            .select_related("store")
            .order_by("created_at", "id")
        )
        number = {conversation.pk: str(n) for n, conversation in enumerate(conversations, 1)}
        stores = {conversation.pk: str(conversation.store or "") for conversation in conversations}
        messages = ConversationMessage.objects.filter(conversation__phone=phone).order_by(
            "created_at", "id"
        )
        return [
            Section(
                "conversations",
                _("Your conversations with the stores"),
                [
                    {
                        "conversation": number[conversation.pk],
                        "store": stores[conversation.pk],
                        "channel": conversation.channel,
                        "status": conversation.status,
                        "created_at": when(conversation.created_at),
                        "last_used_at": when(conversation.last_message_at),
                        "ended_at": when(conversation.closed_at),
                    }
                    for conversation in conversations
                ],
                labels=CONVERSATION_LABELS,
                choices={"channel": CHANNELS, "status": dict(Conversation.Status.choices)},
            ),
            Section(
                "conversation_messages",
                _("Messages in those conversations"),
                [
                    {
                        "conversation": number[message.conversation_id],
                        "direction": message.direction,
                        "channel": message.channel,
                        "store": stores[message.conversation_id],
                        "text": message.body,
                        "attachments": " ".join(message.media),
                        "sent_at": when(message.created_at),
                        "answered_at": when(message.answered_at),
                    }
                    for message in messages
                ],
                labels=CONVERSATION_LABELS,
                choices={
                    "direction": dict(ConversationMessage.Direction.choices),
                    "channel": CHANNELS,
                },
            ),
        ]

    def erase(self, phone: str) -> dict[str, int]:
        # Their messages go with them; a rating of one (reviews) is erased before.
        talked = Conversation.objects.filter(phone=phone).delete()[1]
        counts = {
            "conversations": talked.get(Conversation._meta.label, 0),
            "conversation_messages": talked.get(ConversationMessage._meta.label, 0),
            "texts": Message.objects.filter(recipient=phone).delete()[0],
            "codes": PhoneVerification.objects.filter(phone=phone).delete()[0],
            "numbers": ConfirmedNumber.objects.filter(phone=phone).delete()[0],
            "whatsapp": WhatsAppNumber.objects.filter(phone=phone).delete()[0],
            "consents": ConsentRecord.objects.filter(phone=phone).delete()[0],
        }
        # Kept, without the number: a keyed hash stops every text to it for good.
        opt_out, created = OptOut.objects.get_or_create(
            phone_key=phone_key(phone), defaults={"source": OptOut.Source.ERASED}
        )
        if not created and opt_out.phone:
            OptOut.objects.filter(pk=opt_out.pk).update(phone="")
        return counts


def numbers_of(
    model: type[models.Model], field: str, label: str
) -> Callable[[int], Revealable | None]:
    """The number on one row of a messaging model: only those allowed to see every number."""

    def find(pk: int) -> Revealable | None:
        phone = model._default_manager.filter(pk=pk).values_list(field, flat=True).first()
        return Revealable(str(phone), f"{label} #{pk}") if phone else None

    return find


def conversation_number(pk: int) -> Revealable | None:
    """A conversation's number: its store's staff call the customer back."""
    conversation = Conversation.objects.filter(pk=pk).only("phone", "store_id").first()
    if conversation is None:
        return None
    stores = (conversation.store_id,) if conversation.store_id else ()
    return Revealable(conversation.phone, f"notifications.conversation #{pk}", stores)


# What staff may ask to see in full, by the names the reveal page's address uses.
REVEALABLE = {
    "message": numbers_of(Message, "recipient", "notifications.message"),
    "optout": numbers_of(OptOut, "phone", "notifications.optout"),
    "confirmednumber": numbers_of(ConfirmedNumber, "phone", "notifications.confirmednumber"),
    "conversation": conversation_number,
    "consentrecord": numbers_of(ConsentRecord, "phone", "notifications.consentrecord"),
    "whatsappnumber": numbers_of(WhatsAppNumber, "phone", "notifications.whatsappnumber"),
}
