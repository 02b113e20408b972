"""The customers' pages and the staff's suggested transfers, one module a family; the URLs
import the views from here."""

from .alerts import confirm, done, find, signup
from .declines import transfer_decline
from .inbox_actions import conversation_act
from .launches import launch_enter, launch_result, launch_result_list
from .mine import manage, mine
from .mydata import my_data, my_data_delete, my_data_download, my_data_erase
from .pickup import pickup
from .requests import pair_request, request_done
from .staff import (
    transfer_suggestion_approve,
    transfer_suggestion_dismiss,
    transfer_suggestions,
    transfer_suggestions_refresh,
)

__all__ = [
    "confirm",
    "conversation_act",
    "done",
    "find",
    "launch_enter",
    "launch_result",
    "launch_result_list",
    "manage",
    "mine",
    "my_data",
    "my_data_delete",
    "my_data_download",
    "my_data_erase",
    "pair_request",
    "pickup",
    "request_done",
    "signup",
    "transfer_decline",
    "transfer_suggestion_approve",
    "transfer_suggestion_dismiss",
    "transfer_suggestions",
    "transfer_suggestions_refresh",
]
