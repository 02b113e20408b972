"""Every write of the alerts, one job a module; import them from here.

- `signup`: sign-ups, confirmation codes, cancelling an alert.
- `requests`: customers' own requests for a pair ("hold a pair for me", "bring it to my
  store"), and the text of a declined one.
- `allocation`: pairs that became available go to the people waiting; how their holds end.
- `outbox`: texts written in the transaction of what they announce, sent by tasks; the sweeps,
  the daily budget and quiet hours.
- `optouts`: numbers that asked for no more texts.
- `webhooks`: the provider's delivery reports and customers' STOP/START/HELP.
- `pickup`: the customer's "no longer wanted" from the hold text's page; pick-up reminders.
- `retention`: deleting what finished long ago.
- `suggestions`: transfers proposed from stores with spare pairs to customers waiting elsewhere.
- `whatsapp`: which channel a text goes by (the 24-hour window, templates, SMS fallback).
- `errors`: the refusals, each an `AlertError`.

Services are transactional and keyword-only. Sending is queued only after commit, and the
periodic tasks (`sms_dispatch_due`, `sms_requeue_stale`, `waitlist_allocate_pending`) pick up
whatever a lost task or a broker outage left behind.
"""

from .allocation import (
    sms_for_customer_hold,
    transfer_hold_release,
    waitlist_allocate,
    waitlist_allocate_pending,
    waitlist_hold_ended,
    waitlist_queue_allocation,
)
from .errors import (
    AlertAlreadyEnded,
    AlertError,
    BudgetExhausted,
    CodeRejected,
    CodesPaused,
    TooManyRequests,
)
from .optouts import is_opted_out, phone_opt_in, phone_opt_out
from .outbox import (
    SendOutcome,
    quiet_hours_end,
    sms_budget_exhausted,
    sms_budget_status,
    sms_create,
    sms_dispatch,
    sms_dispatch_due,
    sms_dispatch_many,
    sms_requeue_stale,
    sms_retry,
    sms_send,
    sms_send_batch,
)
from .pickup import pickup_release, pickup_reminders_due
from .requests import (
    NoLongerAvailable,
    PairLimitReached,
    RequestStart,
    bring_to_store,
    pair_hold_for_customer,
    pair_request_start,
    pairs_for_number,
    sms_for_declined_transfer,
    waitlist_join_declined,
)
from .retention import notifications_purge
from .signup import (
    NumberGate,
    SignupResult,
    alerts_lookup_start,
    code_breaker_tripped_at,
    code_for,
    number_gate,
    verification_confirm,
    verification_start,
    waitlist_cancel,
    waitlist_entry_confirmed,
    waitlist_signup,
)
from .suggestions import (
    SuggestionUnavailable,
    transfer_suggestion_approve,
    transfer_suggestion_dismiss,
    transfer_suggestions_refresh,
    waitlist_transfer_arrived,
    waitlist_transfer_cancelled,
)
from .webhooks import HELP_WORDS, START_WORDS, STOP_WORDS, sms_inbound, sms_status_update
from .whatsapp import channel_change, whatsapp_inbound_record, whatsapp_not_on

__all__ = [
    "channel_change",
    "whatsapp_inbound_record",
    "whatsapp_not_on",
    "transfer_suggestion_approve",
    "transfer_suggestion_dismiss",
    "transfer_suggestions_refresh",
    "waitlist_transfer_arrived",
    "waitlist_transfer_cancelled",
    "HELP_WORDS",
    "START_WORDS",
    "STOP_WORDS",
    "AlertAlreadyEnded",
    "AlertError",
    "BudgetExhausted",
    "CodeRejected",
    "CodesPaused",
    "alerts_lookup_start",
    "code_breaker_tripped_at",
    "code_for",
    "number_gate",
    "NoLongerAvailable",
    "NumberGate",
    "PairLimitReached",
    "RequestStart",
    "pair_request_start",
    "bring_to_store",
    "pair_hold_for_customer",
    "pairs_for_number",
    "sms_for_declined_transfer",
    "waitlist_join_declined",
    "SendOutcome",
    "SignupResult",
    "SuggestionUnavailable",
    "TooManyRequests",
    "is_opted_out",
    "notifications_purge",
    "phone_opt_in",
    "phone_opt_out",
    "pickup_release",
    "pickup_reminders_due",
    "quiet_hours_end",
    "sms_budget_exhausted",
    "sms_budget_status",
    "sms_create",
    "sms_dispatch",
    "sms_dispatch_due",
    "sms_dispatch_many",
    "sms_for_customer_hold",
    "sms_inbound",
    "sms_requeue_stale",
    "sms_retry",
    "sms_send",
    "sms_send_batch",
    "sms_status_update",
    "transfer_hold_release",
    "verification_confirm",
    "verification_start",
    "waitlist_allocate",
    "waitlist_allocate_pending",
    "waitlist_cancel",
    "waitlist_entry_confirmed",
    "waitlist_hold_ended",
    "waitlist_queue_allocation",
    "waitlist_signup",
]
