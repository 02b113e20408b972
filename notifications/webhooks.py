"""Twilio's callbacks: delivery reports and texts from customers.

POST only, no CSRF (Twilio cannot send a token), and the `X-Twilio-Signature` is checked before
anything else; each event is handled once, however often Twilio delivers it.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .backends.twilio import signed_by_twilio

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def signature_valid(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    token = settings.TWILIO_AUTH_TOKEN
    if not signature or not token:
        return False
    params = request.POST.dict()
    # Behind a proxy the URL Twilio signed is the public one.
    urls = {request.build_absolute_uri(), settings.SITE_URL + request.get_full_path()}
    return any(signed_by_twilio(url, params, signature, token=token) for url in urls)


@csrf_exempt
@require_POST
def status_callback(request: HttpRequest) -> HttpResponse:
    if not signature_valid(request):
        logger.warning("SMS status callback with a bad signature refused")
        return HttpResponseForbidden()
    services.message_status_update(
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    if not signature_valid(request):
        logger.warning("Inbound SMS with a bad signature refused")
        return HttpResponseForbidden()
    services.message_inbound(
        provider_id=request.POST.get("MessageSid", ""),
        sender=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
    )
    # Replies go through the outbox (budget, opt-outs, logs), never as TwiML.
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
