"""Staff views of the messaging layer: the SMS log, opt-outs, confirmed numbers, consent
records, privacy requests, WhatsApp, the store inbox.

Numbers are masked on every list and page; staff allowed to see one in full follow its "show"
link and say why (recorded). Texts with a code in them are never shown. Rows change only
through services (actions); the SMS log is read-only.
"""

from . import inbox, messages, privacy
from .base import REVEAL_PERMISSION, AlertsAdmin, can_see_numbers

__all__ = ["REVEAL_PERMISSION", "AlertsAdmin", "can_see_numbers", "inbox", "messages", "privacy"]
