"""The messaging layer's own page: the demo's phone."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors, services


def dev_inbox(request: HttpRequest) -> HttpResponse:
    """The demo's phone: recent texts, only while DEBUG is on."""
    if not settings.DEBUG:
        raise Http404
    return render(
        request,
        "notifications/dev_inbox.html",
        {
            # A hold text waiting out quiet hours shows as it will read, link and all, so the
            # demo's customer can reach the held pair at night.
            "rows": [
                (sms, selectors.queued_text_time(sms), services.message_preview(sms))
                for sms in selectors.recent_messages()
            ],
        },
    )
