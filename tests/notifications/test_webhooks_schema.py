"""Schemathesis against Twilio's webhooks, every request signed as Twilio signs it: whatever a
provider (or someone who holds the token) posts, the webhook never answers 5xx, answers what
this contract says, and a refused post writes nothing.

The contract below is the fields Twilio posts (its "Messaging webhooks" reference): each field
is either a plausible value (so the accepting paths run too) or any string at all. A fixed seed
and a bounded number of examples keep it repeatable and quick.
"""

import json
from collections.abc import Mapping
from typing import Any

import pytest
import schemathesis
from django.http import QueryDict
from hypothesis import HealthCheck, seed, settings
from schemathesis import checks
from twilio.request_validator import RequestValidator

from config.wsgi import application
from core.phones import phone_or_none
from notifications.models import ConfirmedNumber, Message, OptOut, WhatsAppNumber
from tests.schema_calls import _keep_the_test_connection  # noqa: F401 (autouse)
from tests.test_hostile_input import PAYLOADS

TOKEN = "schema-test-auth-token"
SITE = "https://shop.example.com"
EXAMPLES = 80
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
]


SIDS = ["SM" + "0" * 31 + "1", "SM" + "ab" * 16, "MM" + "9" * 32]
CUSTOMERS = ["+972502345678", "+972541112233", "whatsapp:+972502345678"]
OURS = ["+972501234567", "whatsapp:+972501234567"]
REFUSED = {"description": "A field Twilio never sends like this", "content": {"text/plain": {}}}
FORBIDDEN = {"description": "Not signed by Twilio"}


def _form(plausible: dict[str, list[str]], required: list[str]) -> dict[str, Any]:
    """A body that is what Twilio sends (each field one of a few real-looking values, so the
    accepting paths run), or the same fields each real-looking or hostile (NUL bytes, 10,000
    characters, markup, "abc" for a number), or holding any string at all."""
    return {
        "application/x-www-form-urlencoded": {
            "schema": {
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {
                            name: {"type": "string", "enum": values}
                            for name, values in plausible.items()
                        },
                        "required": required,
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {
                            name: {"type": "string", "enum": values + PAYLOADS}
                            for name, values in plausible.items()
                        },
                        "required": required,
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {name: {"type": "string"} for name in plausible},
                        "required": required,
                    },
                ]
            }
        }
    }


RAW_SCHEMA: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Twilio's messaging webhooks, as this site takes them", "version": "1"},
    "paths": {
        "/sms/status/": {
            "post": {
                "operationId": "message_status",
                "requestBody": {
                    "required": True,
                    "content": _form(
                        {
                            "MessageSid": SIDS,
                            "MessageStatus": ["queued", "sent", "delivered", "undelivered"]
                            + ["failed", "read"],
                            "ErrorCode": ["", "30003", "30005", "63016"],
                            "From": OURS,
                            "To": CUSTOMERS,
                            "AccountSid": ["AC" + "c" * 32],
                        },
                        required=["MessageSid", "MessageStatus"],
                    ),
                },
                "responses": {"204": {"description": "Taken"}, "400": REFUSED, "403": FORBIDDEN},
            }
        },
        "/sms/inbound/": {
            "post": {
                "operationId": "message_inbound",
                "requestBody": {
                    "required": True,
                    "content": _form(
                        {
                            "MessageSid": SIDS,
                            "From": CUSTOMERS,
                            "To": OURS,
                            "Body": ["STOP", "stop", "HELP", "START", "הסר", "תודה, אגיע מחר"],
                            "NumMedia": ["0", "1"],
                            "ProfileName": ["Dana", "דנה"],
                            "WaId": ["972502345678"],
                        },
                        required=["MessageSid", "From", "Body"],
                    ),
                },
                "responses": {
                    "200": {"description": "Taken", "content": {"text/xml": {}}},
                    "400": REFUSED,
                    "403": FORBIDDEN,
                },
            }
        },
    },
}

schema = schemathesis.openapi.from_dict(RAW_SCHEMA)
schema.app = application
MODELS = (Message, OptOut, ConfirmedNumber, WhatsAppNumber)


@pytest.fixture
def twilio_settings(db, settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SITE_URL = SITE
    settings.SMS_BACKEND = "notifications.backends.locmem.LocMemBackend"


def _is_form(case) -> bool:
    """Whether the case posts a form as Twilio does (the negative cases also try other kinds of
    body, which are refused whatever their signature)."""
    content_type = (case.headers or {}).get("Content-Type") or case.media_type or ""
    return content_type.startswith("application/x-www-form-urlencoded")


def _as_posted(case) -> dict[str, str]:
    """The form Django will read, which is what Twilio signs. A field of another type than a
    string (the negative cases) is sent as its JSON text, so what is signed is what is sent."""
    body = case.body
    if not _is_form(case):
        return {}
    if isinstance(body, Mapping):
        case.body = {
            str(name): value if isinstance(value, str) else json.dumps(value)
            for name, value in body.items()
        }
        return dict(case.body)
    if body is None or type(body).__name__ == "NotSet":
        return {}
    # A string goes as it is; any other body (a list, a number) as its JSON text.
    text = body if isinstance(body, str | bytes) else json.dumps(body)
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return QueryDict(raw).dict()


def _rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@seed(20261206)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_webhooks_signed_by_twilio_never_fail_and_refusals_write_nothing(case, twilio_settings):
    params = _as_posted(case)
    url = f"{SITE}{case.formatted_path}"
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    before = _rows()

    response = case.call_and_validate(headers={"X-Twilio-Signature": signature}, checks=CHECKS)

    # A form signed as Twilio signs is never taken for a forgery (else this would fuzz nothing).
    if _is_form(case):
        assert response.status_code != 403
    if response.status_code >= 400:
        assert _rows() == before
    # Whatever was taken, no text is ever queued to something that is not a mobile number.
    recipients = Message.objects.values_list("recipient", flat=True)
    assert all(phone_or_none(number) == number for number in recipients), list(recipients)
