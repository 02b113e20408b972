"""Who sees the buying report; the dashboard's own scope is the ratings' (reviews.permissions)."""

from typing import Any

from reviews.permissions import dashboard_scope


def can_see_buying_report(user: Any) -> bool:
    """The buying report is head office's: every store's demand together."""
    _stores, all_stores = dashboard_scope(user)
    return all_stores
