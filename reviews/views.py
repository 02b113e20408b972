from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import Product
from core import ratelimit
from core.clientip import client_ip, client_key
from core.http import from_this_site, safe_next
from inventory.models import Hold
from notifications.links import read_token
from notifications.models import Conversation

from . import services
from .conversation_ratings import (
    CONVERSATION_TOKEN_PURPOSE,
    conversation_rating_open,
    conversation_rating_submit,
)
from .forms import RatingForm, SiteFeedbackForm
from .models import Rating


def _rating_page(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    check_open: Callable[[], None],
    submit: Callable[[int, str, str], object],
    language: str,
) -> HttpResponse:
    """The rating page of one interaction, whatever was rated: closed (410 once the link has
    expired), the form, or thanks. `check_open` raises `RatingError` when it may no longer be
    rated; `submit(score, comment, language)` records the rating."""
    try:
        check_open()
    except services.RatingError as error:
        status = 410 if isinstance(error, services.RatingLinkExpired) else 200
        return render(
            request,
            "reviews/rate_closed.html",
            {**context, "message": error.message},
            status=status,
        )
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        score = form.cleaned_data["score"]
        try:
            submit(score, form.cleaned_data["comment"], get_language() or language)
        except services.RatingError as error:
            return render(
                request, "reviews/rate_closed.html", {**context, "message": error.message}
            )
        return render(request, "reviews/rate_thanks.html", {**context, "score": score})
    return render(
        request, "reviews/rate.html", {**context, "form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The one-tap rating page a customer reaches from an SMS. No account needed."""
    hold_id = read_token(services.RATING_TOKEN_PURPOSE, token)
    hold = (
        Hold.objects.select_related("store", "variant__product__brand").filter(pk=hold_id).first()
        if hold_id
        else None
    )
    if hold is None:
        raise Http404
    return _rating_page(
        request,
        {"hold": hold, "interaction": services.rating_interaction(hold)},
        check_open=lambda: services.rating_link_open(hold),
        submit=lambda score, comment, language: services.rating_submit(
            hold=hold, score=score, comment=comment, language=language
        ),
        language=hold.language,
    )


@require_http_methods(["GET", "POST"])
def rate_conversation(request: HttpRequest, token: str) -> HttpResponse:
    """The one-tap rating of how the store answered, from the text sent when staff closed
    the conversation."""
    conversation_id = read_token(CONVERSATION_TOKEN_PURPOSE, token)
    conversation = (
        Conversation.objects.select_related("store").filter(pk=conversation_id).first()
        if conversation_id
        else None
    )
    if conversation is None:
        raise Http404
    return _rating_page(
        request,
        {"conversation": conversation, "interaction": Rating.Interaction.CONVERSATION},
        check_open=lambda: conversation_rating_open(conversation),
        submit=lambda score, comment, language: conversation_rating_submit(
            conversation=conversation, score=score, comment=comment, language=language
        ),
        language=conversation.language,
    )


@require_POST
@from_this_site  # the prompt is on pages kept whole for every visitor: no CSRF token there
def site_feedback(request: HttpRequest) -> HttpResponse:
    """The storefront's "did you find what you were looking for?" answer. Anonymous."""
    form = SiteFeedbackForm(request.POST)
    allowed = True
    if form.is_valid():
        try:
            # An answer costs nothing to take: without the cache, take it uncounted.
            ratelimit.hit("site_feedback_per_ip", client_key(client_ip(request)), fail_open=True)
        except ratelimit.RateLimited:
            allowed = False
        else:
            product_id = form.cleaned_data["product"]
            services.site_feedback_submit(
                product=Product.objects.filter(pk=product_id).first() if product_id else None,
                found=form.cleaned_data["found"],
                comment=form.cleaned_data["comment"],
                language=get_language() or "he",
            )
    message = _("Thank you!") if allowed else _("Thank you — we already have your answer.")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reviews/_site_feedback_thanks.html", {"message": message})
    messages.success(request, message)
    return HttpResponseRedirect(safe_next(request, "/"))
