"""Twilio's callbacks: delivery reports and texts from customers.

POST only, no CSRF (Twilio cannot send a token), and the `X-Twilio-Signature` is checked before
anything else; then the fields are checked like any other input (a bad one answers 400 and
changes nothing); each event is handled once, however often Twilio delivers it.
"""

import logging
import re

import phonenumbers
from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    QueryDict,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.phones import phone_or_none

from . import services
from .backends.twilio import signed_by_twilio
from .services.webhooks import WHATSAPP_PREFIX

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

# https://www.twilio.com/docs/messaging/api/message-resource (SIDs, statuses, body length)
MESSAGE_SID = re.compile(r"(SM|MM|SS)[0-9a-fA-F]{32}")
MESSAGE_STATUSES = frozenset(
    {
        "accepted",
        "scheduled",
        "canceled",
        "queued",
        "sending",
        "sent",
        "failed",
        "delivered",
        "undelivered",
        "receiving",
        "received",
        "read",
        "partially_delivered",
    }
)
BODY_MAX_CHARS = 1600
ERROR_CODE = re.compile(r"[0-9]{1,10}")
# Attachments: Twilio sends up to 10, each a link on its own servers.
MEDIA_MAX = 10
MEDIA_URL = re.compile(r"https://[A-Za-z0-9.-]+/[\x21-\x7e]{1,500}")
# Our own side of a text may be an alphanumeric sender ID rather than a number.
SENDER_ID = re.compile(r"[A-Za-z0-9 ]{1,11}")


def _customer_number(value: str) -> bool:
    """A number we may text: the customer's side of an event."""
    return phone_or_none(value.removeprefix(WHATSAPP_PREFIX)) is not None


def _our_number(value: str) -> bool:
    """Our sending number (any valid number) or sender ID: our side of an event."""
    value = value.removeprefix(WHATSAPP_PREFIX)
    if SENDER_ID.fullmatch(value):
        return True
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


def fields_refused(post: QueryDict, *, inbound: bool) -> str | None:
    """What is wrong with a callback's fields, or None when they can be used.

    The customer's number (`From` of an inbound text, `To` of a delivery report) must be one we
    may text; a text we would reply to otherwise goes nowhere, or somewhere we never meant."""
    for key, values in post.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return "NUL byte in a field"
    sid = post.get("MessageSid") or post.get("SmsSid") or ""
    if not MESSAGE_SID.fullmatch(sid):
        return "MessageSid is not a message SID"
    customer, ours = ("From", "To") if inbound else ("To", "From")
    if inbound and "From" not in post:
        return "From is missing"
    if customer in post and not _customer_number(post.get(customer, "")):
        return f"{customer} is not a mobile number we can text"
    if ours in post and not _our_number(post.get(ours, "")):
        return f"{ours} is not a phone number or sender ID"
    if len(post.get("Body", "")) > BODY_MAX_CHARS:
        return f"Body is longer than {BODY_MAX_CHARS} characters"
    if not inbound:
        if post.get("MessageStatus", "").lower() not in MESSAGE_STATUSES:
            return "MessageStatus is not a Twilio message status"
        error_code = post.get("ErrorCode", "")
        if error_code and not ERROR_CODE.fullmatch(error_code):
            return "ErrorCode is not a number"
    return None


def media_links(post: QueryDict) -> list[str]:
    """The links of an inbound message's attachments (`MediaUrl0`…): https addresses only,
    at most `MEDIA_MAX`. They are shown to staff as links; nothing is downloaded."""
    try:
        count = min(int(post.get("NumMedia", "0") or 0), MEDIA_MAX)
    except ValueError:
        return []
    links = [post.get(f"MediaUrl{n}", "") for n in range(count)]
    return [link for link in links if MEDIA_URL.fullmatch(link)]


def _refused(what: str, problem: str) -> HttpResponse:
    logger.warning("%s refused: %s", what, problem)
    return HttpResponseBadRequest(f"Refused: {problem}.", content_type="text/plain")


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
    if problem := fields_refused(request.POST, inbound=False):
        return _refused("SMS status callback", problem)
    services.message_status_update(
        provider_id=request.POST.get("MessageSid") or request.POST.get("SmsSid", ""),
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
    if problem := fields_refused(request.POST, inbound=True):
        return _refused("Inbound SMS", problem)
    services.message_inbound(
        provider_id=request.POST.get("MessageSid") or request.POST.get("SmsSid", ""),
        sender=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
        media=media_links(request.POST),
    )
    # Replies go through the outbox (budget, opt-outs, logs), never as TwiML.
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
