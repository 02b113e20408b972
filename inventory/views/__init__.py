"""Staff pages: stock finder, transfer requests and queues, holds desk.

Thin: each view parses input with a form, asks `permissions` whether this user may do it (on
the server, for every action — hidden buttons are only a courtesy), then calls a selector or a
service and turns a domain error into a message.
"""

from .finder import finder, finder_product, transfer_request
from .holds import hold_collect, hold_release, holds_desk
from .transfers import (
    transfer_approve,
    transfer_cancel,
    transfer_detail,
    transfer_dispatch,
    transfer_queue,
    transfer_receive,
)

__all__ = [
    "finder",
    "finder_product",
    "hold_collect",
    "hold_release",
    "holds_desk",
    "transfer_approve",
    "transfer_cancel",
    "transfer_detail",
    "transfer_dispatch",
    "transfer_queue",
    "transfer_receive",
    "transfer_request",
]
