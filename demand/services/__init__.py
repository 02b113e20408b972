"""Every write of what customers asked for, one job a module; import them from here.

- `waitlist`: waiting for a size at a store — sign-up, activation once the number is
  confirmed, cancelling.
- `requests`: customers' own requests for a pair ("hold a pair for me", "bring it to my
  store"), carrying them out once the number is confirmed, calling them off from the number's
  "My requests" page, and the text of a declined one.
- `flow`: what a browser's session carries through the alert and request pages, typed.
- `allocation`: pairs that became available go to the people waiting; how their holds end.
- `pickup`: the customer's "no longer wanted" from the hold text's page; pick-up reminders.
- `suggestions`: transfers proposed from stores with spare pairs to customers waiting elsewhere.
- `handlers`: what the messaging layer reports back (an opt-out, a text that never arrived).
- `retention`: deleting what finished long ago.
- `launches`: launch draws before the draw — creating one (its pairs reserved), moving its
  pairs, entering; `draw`: the provably fair draw, and the next in line when a pair frees.
- `launch_privacy`: a launch entrant's number forgotten (deleted, or kept out of a drawn entry
  that must stay in the published order).
- `mydata`: the customer's corrections to her number's settings ("My data").

Who gets which pair is decided here; `notifications` is asked to tell them. Services are
transactional and keyword-only; the periodic `waitlist_allocate_pending` reaches any pair whose
allocation task was lost.
"""

from .allocation import (
    message_for_customer_hold,
    transfer_hold_release,
    waitlist_allocate,
    waitlist_allocate_pending,
    waitlist_hold_ended,
    waitlist_queue_allocation,
)
from .draw import (
    DrawResult,
    drawn_order,
    launch_allocate,
    launch_draw,
    launch_draws_due,
    launch_hold_ended,
    launch_wants_pairs,
    order_key,
)
from .flow import (
    KINDS,
    CodeFlow,
    PairWanted,
    RequestOutcome,
    RequestsDone,
    SignupDone,
    code_flow,
    is_kind,
)
from .handlers import message_failed, number_opted_out
from .launch_privacy import (
    launch_entries_finished,
    launch_entries_forget,
    launch_entries_withdraw_open,
)
from .launches import (
    EntryCapReached,
    LaunchError,
    LaunchTimes,
    commitment_of,
    launch_cancel,
    launch_create,
    launch_enter,
    launch_entry_disqualify,
    launch_entry_withdraw,
    launch_move_pairs,
    launch_set_pairs,
)
from .mydata import number_preferences_change
from .pickup import pickup_release, pickup_reminders_due
from .requests import (
    NoLongerAvailable,
    NotThisNumbers,
    PairLimitReached,
    RequestStart,
    bring_request_cancel,
    bring_to_store,
    declined_text_preview,
    message_for_declined_transfer,
    pair_hold_for_customer,
    pair_request_start,
    pairs_for_number,
    request_hold_release,
    requests_fulfil,
    waitlist_join_declined,
)
from .retention import retention_purge
from .suggestions import (
    SuggestionUnavailable,
    transfer_suggestion_approve,
    transfer_suggestion_dismiss,
    transfer_suggestions_refresh,
    waitlist_transfer_arrived,
    waitlist_transfer_cancelled,
)
from .waitlist import (
    SignupResult,
    waitlist_cancel,
    waitlist_confirm,
    waitlist_entry_confirmed,
    waitlist_signup,
)

__all__ = [
    "DrawResult",
    "EntryCapReached",
    "LaunchError",
    "LaunchTimes",
    "commitment_of",
    "drawn_order",
    "launch_allocate",
    "launch_entries_finished",
    "launch_entries_forget",
    "launch_entries_withdraw_open",
    "launch_cancel",
    "launch_create",
    "launch_draw",
    "launch_draws_due",
    "launch_enter",
    "launch_entry_disqualify",
    "launch_entry_withdraw",
    "launch_hold_ended",
    "launch_move_pairs",
    "launch_set_pairs",
    "launch_wants_pairs",
    "order_key",
    "KINDS",
    "CodeFlow",
    "NoLongerAvailable",
    "NotThisNumbers",
    "PairLimitReached",
    "PairWanted",
    "RequestOutcome",
    "RequestStart",
    "RequestsDone",
    "SignupDone",
    "SignupResult",
    "SuggestionUnavailable",
    "bring_request_cancel",
    "bring_to_store",
    "code_flow",
    "is_kind",
    "message_failed",
    "number_opted_out",
    "pair_hold_for_customer",
    "pair_request_start",
    "pairs_for_number",
    "pickup_release",
    "pickup_reminders_due",
    "request_hold_release",
    "requests_fulfil",
    "number_preferences_change",
    "retention_purge",
    "message_for_customer_hold",
    "declined_text_preview",
    "message_for_declined_transfer",
    "transfer_hold_release",
    "transfer_suggestion_approve",
    "transfer_suggestion_dismiss",
    "transfer_suggestions_refresh",
    "waitlist_allocate",
    "waitlist_allocate_pending",
    "waitlist_cancel",
    "waitlist_confirm",
    "waitlist_entry_confirmed",
    "waitlist_hold_ended",
    "waitlist_join_declined",
    "waitlist_queue_allocation",
    "waitlist_signup",
    "waitlist_transfer_arrived",
    "waitlist_transfer_cancelled",
]
