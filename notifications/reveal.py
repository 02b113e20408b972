"""Seeing a customer's full number: staff ask on the record's own page, say why, and the
reveal is recorded before the number is shown. The number is shown on this page only (never in
an address, a list or a log)."""

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import privacy
from core.http import safe_next
from core.phones import mask_phone

from . import services


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full number?"),
        min_length=3,
        max_length=200,
        help_text=_("For example: to call the customer about her held pair."),
    )


@never_cache
@staff_member_required
@require_http_methods(["GET", "POST"])
def phone_reveal(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    found = privacy.revealable(kind, pk)
    if found is None:
        raise Http404
    if not services.may_reveal(request.user, found):
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    phone = ""
    if request.method == "POST" and form.is_valid():
        try:
            phone = services.phone_reveal(
                user=request.user, kind=kind, pk=pk, reason=form.cleaned_data["reason"]
            )
        except services.RevealRefused as exc:
            form.add_error("reason", exc.message)
    return render(
        request,
        "notifications/phone_reveal.html",
        {
            "title": _("Customer's number"),
            "form": form,
            "masked": mask_phone(found.phone),
            "subject": found.subject,
            "phone": phone,
            "back": safe_next(request, ""),
        },
    )
