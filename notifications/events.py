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
