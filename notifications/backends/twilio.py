"""Texts through Twilio's Messages API, with the real `twilio` client.

`TWILIO_API_BASE_URL` replaces https://api.twilio.com, so staging and tests can point the
client at a Twilio-compatible server. The client's own logger writes request bodies (numbers,
texts) at INFO; settings.LOGGING keeps it at WARNING.
"""

import json
import threading
import urllib.request
from functools import lru_cache

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from .base import BaseSmsBackend, SmsPermanentError, SmsTransientError

# https://www.twilio.com/docs/api/errors — numbers that will never take this text.
PERMANENT_CODES = {
    21211,  # invalid 'To' number
    21214,  # 'To' number cannot be reached
    21408,  # permission to send to this region not enabled
    21610,  # the recipient replied STOP (unsubscribed)
    21612,  # cannot route to this number
    21614,  # 'To' is not a mobile number
    21617,  # body too long
    30004,  # message blocked
    30005,  # unknown destination handset
    30006,  # landline or unreachable carrier
}
# WhatsApp: the number has no WhatsApp account or cannot get WhatsApp messages. The text goes
# again, once, by SMS, and the number is remembered as not on WhatsApp.
NOT_ON_WHATSAPP_CODES = {
    63003,  # channel could not find the 'To' address (not on WhatsApp)
    63024,  # invalid message recipient
    63032,  # cannot send to this user because of a WhatsApp limitation
}
# WhatsApp refused the template itself (not found, wrong language or parameters, paused,
# disabled): a configuration error. The text goes by SMS; staff must fix the template.
WHATSAPP_TEMPLATE_CODES = {63027, 63028, 63030, 63040, 63041, 63042}
# A free-form message outside the 24-hour window (or a template sent as a plain Body): a defect
# in how we chose what to send, never worth retrying.
OUTSIDE_WINDOW_CODE = 63016


def signed_by_twilio(url: str, params: dict[str, str], signature: str, *, token: str) -> bool:
    """Whether `signature` (the `X-Twilio-Signature` header) is Twilio's for this request."""
    return bool(RequestValidator(token).validate(url, params, signature))


@lru_cache(maxsize=1)
def _status_path() -> str:
    return reverse("sms_webhooks:status")


class TwilioBackend(BaseSmsBackend):
    reaches_phones = True

    def __init__(self) -> None:
        if not settings.TWILIO_ACCOUNT_SID or not settings.TWILIO_AUTH_TOKEN:
            raise ImproperlyConfigured(
                "The Twilio SMS backend needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."
            )
        if not settings.TWILIO_MESSAGING_SERVICE_SID and not settings.TWILIO_FROM_NUMBER:
            raise ImproperlyConfigured(
                "The Twilio SMS backend needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER."
            )
        self._local = threading.local()

    @property
    def client(self) -> Client:
        # One client (and connection pool) per thread: requests sessions are not thread-safe.
        client: Client | None = getattr(self._local, "client", None)
        if client is None:
            http_client = TwilioHttpClient(timeout=settings.TWILIO_HTTP_TIMEOUT)
            if http_client.session is not None and not urllib.request.getproxies():
                # Without proxies to honour, skip requests' scan of the whole environment on
                # every call (a millisecond of CPU a text).
                http_client.session.trust_env = False
            client = Client(
                settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client
            )
            client.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")
            self._local.client = client
        return client

    def status_callback_url(self) -> str:
        return settings.TWILIO_STATUS_CALLBACK_URL or (settings.SITE_URL + _status_path())

    def send(
        self,
        *,
        to: str,
        body: str,
        channel: str = "sms",
        content_sid: str = "",
        content_variables: dict[str, str] | None = None,
    ) -> str:
        fields: dict[str, str]
        if channel == "whatsapp":
            to = f"whatsapp:{to}"
            fields = (
                {"from_": settings.TWILIO_WHATSAPP_FROM}
                if settings.TWILIO_WHATSAPP_FROM
                else {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            )
            if content_sid:
                fields["content_sid"] = content_sid
                fields["content_variables"] = json.dumps(
                    content_variables or {}, ensure_ascii=False
                )
            else:
                fields["body"] = body
        else:
            fields = (
                {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
                if settings.TWILIO_MESSAGING_SERVICE_SID
                else {"from_": settings.TWILIO_FROM_NUMBER}
            )
            fields["body"] = body
        try:
            message = self.client.messages.create(
                to=to,
                status_callback=self.status_callback_url(),
                **fields,
            )
        except TwilioRestException as exc:
            code = str(exc.code or "")
            # Never the exception's text: it can quote the number.
            summary = f"HTTP {exc.status}" + (f", Twilio error {code}" if code else "")
            # A refused text (400, or a known code) never goes through; 429, 5xx — and 401/403,
            # which are our configuration, not the customer's number — are worth retrying.
            if (
                exc.code in PERMANENT_CODES
                or exc.code in NOT_ON_WHATSAPP_CODES
                or exc.code in WHATSAPP_TEMPLATE_CODES
                or exc.code == OUTSIDE_WINDOW_CODE
                or exc.status == 400
            ):
                raise SmsPermanentError(summary, code=code, status=exc.status) from None
            raise SmsTransientError(summary, code=code, status=exc.status) from None
        except (requests.RequestException, TwilioException) as exc:
            raise SmsTransientError(f"network: {type(exc).__name__}") from None
        return str(message.sid)
