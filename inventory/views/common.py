"""What every staff page shares: the refusal page, the staff layout's context and the store
picker. (Safe redirects: `core.http.safe_next`.)"""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .. import permissions
from ..forms import StorePickerForm
from ..models import Store


def refuse(request: HttpRequest, reason: str) -> HttpResponse:
    """A clear refusal page (403), in the staff layout, saying why."""
    context = staff_context(request, section="", reason=reason)
    return render(request, "inventory/forbidden.html", context, status=403)


def staff_context(request: HttpRequest, *, section: str, **extra: Any) -> dict[str, Any]:
    return {
        "staff_section": section,
        "home_store": permissions.user_home_store(request.user),
        **extra,
    }


def picked_store(request: HttpRequest) -> tuple[Store | None, StorePickerForm | None]:
    """The store whose queue or desk is shown: the home store, or — for those who may look at
    other stores — the one picked. Returns the store and the picker (None when not offered)."""
    home = permissions.user_home_store(request.user)
    if not permissions.can_view_any_store(request.user):
        return home, None
    picker = StorePickerForm(request.GET or None, initial={"store": home})
    picked = picker.cleaned_data.get("store") if picker.is_valid() else None
    return picked or home, picker


def reveal_url(kind: str, pk: int, back: str) -> str:
    """The page that shows a customer's full number on record `kind` #`pk` once the staff
    member says why (`notifications:phone_reveal`, which records it), then links `back`."""
    url = reverse("notifications:phone_reveal", kwargs={"kind": kind, "pk": pk})
    return f"{url}?{urlencode({'next': back})}"
