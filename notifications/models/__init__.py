"""The messaging layer's data, a module a concern: numbers (codes, confirmed numbers, channels,
WhatsApp, opt-outs), the outbox of texts, privacy (consents, data requests, reveals) and
conversations with customers (the store inbox).

Numbers are stored in E.164 (`+972501234567`). Nothing here is ever written to a log or a URL.
"""

from .conversations import Conversation, ConversationMessage, QuickAnswer, StoreInbox
from .numbers import (
    LANGUAGE_CHOICES,
    Channel,
    ConfirmedNumber,
    OptOut,
    PhoneVerification,
    WhatsAppNumber,
    WhatsAppTemplate,
    default_channel,
)
from .outbox import Message, ProcessedWebhook
from .privacy import ConsentRecord, PhoneReveal, PrivacyRequest

__all__ = [
    "LANGUAGE_CHOICES",
    "Channel",
    "ConfirmedNumber",
    "ConsentRecord",
    "Conversation",
    "ConversationMessage",
    "Message",
    "OptOut",
    "PhoneReveal",
    "PhoneVerification",
    "PrivacyRequest",
    "ProcessedWebhook",
    "QuickAnswer",
    "StoreInbox",
    "WhatsAppNumber",
    "WhatsAppTemplate",
    "default_channel",
]
