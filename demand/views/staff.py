"""Staff pages of the alerts: the suggested transfers beside the transfer queue, with their
approve, dismiss and "look again now" buttons. Role checks as on the transfer pages."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.http import safe_next
from core.phones import mask_phone
from inventory import permissions
from inventory.leadtime import transfer_arrival_date
from inventory.services import StockError
from inventory.views.common import picked_store, refuse, staff_context

from .. import selectors, services
from ..models import TransferSuggestion


@dataclass
class SuggestionRow:
    suggestion: TransferSuggestion
    customers: list[dict[str, Any]]
    expected_date: date
    can_decide: bool


def can_decide_suggestion(user: Any, suggestion: TransferSuggestion) -> bool:
    """Approve or dismiss: a manager of either store (or a superuser) who may request
    transfers."""
    return permissions.can_request_transfer(user) and (
        permissions.can_manage_store(user, suggestion.from_store_id)
        or permissions.can_manage_store(user, suggestion.to_store_id)
    )


def _may_see(user: Any) -> bool:
    return bool(user.has_perm("inventory.view_transfer"))


@staff_member_required
@require_GET
def transfer_suggestions(request: HttpRequest) -> HttpResponse:
    if not _may_see(request.user):
        return refuse(request, _("Your account may not see transfers."))
    store, picker = picked_store(request)
    rows: list[SuggestionRow] = []
    if store is not None:
        for suggestion in selectors.transfer_suggestions_for(store=store):
            customers = [
                {"phone": mask_phone(entry.phone), "since": entry.created_at}
                # (prefetched by the selector: the customers still waiting)
                for entry in getattr(suggestion, "waiting_entries", [])
            ]
            if not customers:
                continue
            rows.append(
                SuggestionRow(
                    suggestion=suggestion,
                    customers=customers,
                    expected_date=transfer_arrival_date(suggestion.from_store, suggestion.to_store),
                    can_decide=can_decide_suggestion(request.user, suggestion),
                )
            )
    return render(
        request,
        "demand/transfer_suggestions.html",
        staff_context(
            request,
            section="transfers",
            tab="suggested",
            store=store,
            picker=picker,
            rows=rows,
            can_refresh=permissions.stores_managed_by(request.user).exists(),
            store_query=urlencode({"store": store.pk}) if store and picker is not None else "",
        ),
    )


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    suggestion = get_object_or_404(TransferSuggestion, pk=pk)
    if not can_decide_suggestion(request.user, suggestion):
        return refuse(
            request,
            _("Only a manager of %(source)s or %(destination)s can decide on this suggestion.")
            % {"source": suggestion.from_store, "destination": suggestion.to_store},
        )
    try:
        if action == "approve":
            transfers = services.transfer_suggestion_approve(
                suggestion=suggestion, user=request.user
            )
            messages.success(
                request,
                ngettext(
                    "Approved: transfer #%(ids)s is requested; %(source)s dispatches it.",
                    "Approved: transfers #%(ids)s are requested; %(source)s dispatches them.",
                    len(transfers),
                )
                % {
                    "ids": ", #".join(str(t.pk) for t in transfers),
                    "source": suggestion.from_store,
                },
            )
        else:
            services.transfer_suggestion_dismiss(suggestion=suggestion, user=request.user)
            messages.success(request, _("Dismissed: it will not be suggested again for a while."))
    except services.SuggestionUnavailable as exc:
        messages.error(request, exc.message)
    except StockError as exc:  # the source's pairs went while it was being approved
        messages.error(request, exc.message)
    return redirect(safe_next(request, reverse("suggestions:list")))


@staff_member_required
@require_POST
def transfer_suggestion_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "approve")


@staff_member_required
@require_POST
def transfer_suggestion_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "dismiss")


@staff_member_required
@require_POST
def transfer_suggestions_refresh(request: HttpRequest) -> HttpResponse:
    if not (_may_see(request.user) and permissions.stores_managed_by(request.user).exists()):
        return refuse(request, _("Only store managers can look for transfers to suggest."))
    proposed = services.transfer_suggestions_refresh()
    messages.success(
        request,
        ngettext("%(count)d transfer suggested.", "%(count)d transfers suggested.", len(proposed))
        % {"count": len(proposed)},
    )
    return redirect(safe_next(request, reverse("suggestions:list")))
