"""What the messaging layer announces to the apps above it, which it never imports.

Both are sent inside the transaction of the change (plainly): a listener's writes belong to the
same commit, and a listener that fails rolls the change back rather than leave the two apart.
"""

from django.dispatch import Signal

# A number asked for no more texts (STOP, an unsubscribe at the provider, or staff).
# Arguments: phone (E.164), source (OptOut.Source value).
number_opted_out = Signal()

# A text can never be delivered (a permanent error, or no attempts left), after any SMS fallback.
# Arguments: message (the outbox row, failed). Whatever it announced is the listener's to settle.
message_failed = Signal()

# A customer wrote and no hold, transfer or text of theirs says which store they deal with: the
# layers above may know (a waitlist alert). Sent with phone (E.164); a receiver returns a
# `notifications.routing.Subject` (the store and a label of what the customer waits for) or None.
conversation_subject_wanted = Signal()

# Staff closed a conversation (after commit). Arguments: conversation. Listeners may invite the
# customer to rate how they were answered.
conversation_closed = Signal()
