"""Every write of the messaging layer, one job a module; import them from here.

- `outbox`: texts written in the transaction of what they announce; the sweeps.
- `sending`: one text's send, its retries, failure for good and SMS fallback.
- `limits`: quiet hours and the daily budget.
- `confirmation`: one-time codes, the gate every request by number passes, confirmed numbers.
- `optouts`: numbers that asked for no more texts.
- `privacy`: a customer's data about her number, seen, downloaded or deleted.
- `consent`: the words a form shows beside a number, and the consent records kept of them.
- `webhooks`: the provider's delivery reports and customers' STOP/START/HELP.
- `whatsapp`: which channel a text goes by (the 24-hour window, templates, SMS fallback).
- `conversations`: customers' replies, each in its number's conversation with a store.
- `answers`: the store's answers, texts staff start, closing a conversation.
- `overdue`: each store's answer target, and the manager's alert past it.
- `errors`: the refusals, each an `AlertError`.

This layer knows nothing of what a text announces: it is given a recipient, a purpose, a
template and its values, and reports back through `notifications.events`. Services are
transactional and keyword-only. Sending is queued only after commit, and the periodic tasks
(`messages_dispatch_due`, `messages_requeue_stale`) pick up whatever a lost task or a broker
outage left behind.
"""

from .answers import (
    StaleConversation,
    conversation_answer,
    conversation_close,
    conversation_seen,
    conversation_start,
)
from .confirmation import (
    NumberGate,
    alerts_lookup_start,
    code_breaker_tripped_at,
    code_for,
    number_gate,
    number_language_change,
    verification_channel,
    verification_confirm,
    verification_start,
)
from .consent import (
    DRAW_WORDING,
    PROMOTIONAL_WORDING,
    SERVICE_WORDING,
    Consent,
    consent_record,
    consent_withdraw,
    promotional_change,
    promotional_consent,
)
from .conversations import Inbound, conversation_inbound
from .errors import (
    AlertAlreadyEnded,
    AlertError,
    BudgetExhausted,
    CodeRejected,
    CodesPaused,
    LimitsUnavailable,
    TooManyRequests,
)
from .limits import budget_exhausted, budget_status, quiet_hours_end
from .optouts import is_opted_out, opted_out_among, phone_opt_in, phone_opt_out
from .outbox import (
    Text,
    TextPreview,
    message_create,
    message_dispatch,
    message_retry,
    messages_create,
    messages_dispatch,
    messages_dispatch_due,
    messages_requeue_stale,
    text_preview,
)
from .overdue import conversations_overdue_alert, response_target_minutes
from .privacy import (
    RevealRefused,
    may_reveal,
    number_data,
    number_erase,
    phone_reveal,
)
from .sending import SendOutcome, message_preview, message_send, messages_send_batch
from .webhooks import HELP_WORDS, START_WORDS, STOP_WORDS, message_inbound, message_status_update
from .whatsapp import channel_change, whatsapp_inbound_record, whatsapp_not_on

__all__ = [
    "RevealRefused",
    "may_reveal",
    "phone_reveal",
    "number_language_change",
    "number_data",
    "number_erase",
    "DRAW_WORDING",
    "PROMOTIONAL_WORDING",
    "SERVICE_WORDING",
    "Consent",
    "consent_record",
    "consent_withdraw",
    "promotional_change",
    "promotional_consent",
    "opted_out_among",
    "HELP_WORDS",
    "START_WORDS",
    "STOP_WORDS",
    "AlertAlreadyEnded",
    "AlertError",
    "BudgetExhausted",
    "CodeRejected",
    "CodesPaused",
    "LimitsUnavailable",
    "NumberGate",
    "Inbound",
    "SendOutcome",
    "StaleConversation",
    "Text",
    "TextPreview",
    "TooManyRequests",
    "alerts_lookup_start",
    "channel_change",
    "code_breaker_tripped_at",
    "conversation_answer",
    "conversation_close",
    "conversation_inbound",
    "conversation_seen",
    "conversation_start",
    "conversations_overdue_alert",
    "code_for",
    "is_opted_out",
    "number_gate",
    "phone_opt_in",
    "phone_opt_out",
    "quiet_hours_end",
    "response_target_minutes",
    "budget_exhausted",
    "budget_status",
    "message_create",
    "messages_create",
    "message_dispatch",
    "messages_dispatch_due",
    "messages_dispatch",
    "message_inbound",
    "messages_requeue_stale",
    "text_preview",
    "message_preview",
    "message_retry",
    "message_send",
    "messages_send_batch",
    "message_status_update",
    "verification_confirm",
    "verification_channel",
    "verification_start",
    "whatsapp_inbound_record",
    "whatsapp_not_on",
]
