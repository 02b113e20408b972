"""The staff menu's count of conversations waiting for an answer, read only where shown."""

from functools import partial
from typing import Any

from django.http import HttpRequest

from .inbox_selectors import inbox_waiting_count


def inbox_waiting(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_staff", False):
        return {"inbox_waiting": None}
    # A callable: the template calls it, so pages that show no menu run no query.
    return {"inbox_waiting": partial(inbox_waiting_count, user)}
