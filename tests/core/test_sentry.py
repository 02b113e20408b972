"""What leaves for Sentry carries no customer's number, and names the request it came from."""

import sentry_sdk
from sentry_sdk.transport import Transport

from core import requestid
from core.sentry import before_send, sentry_init

PHONE_LOCAL, PHONE = "050-234-5678", "+972502345678"


def test_before_send_masks_numbers_at_every_depth_and_tags_the_request():
    event = {
        "message": f"could not text {PHONE}",
        "exception": {"values": [{"type": "ValueError", "value": f"bad {PHONE_LOCAL}"}]},
        "frames": [{"vars": {"phone": PHONE, "numbers": [PHONE, PHONE_LOCAL], "count": 3}}],
        "request": {"data": {"phone": PHONE_LOCAL}, "query_string": f"phone={PHONE}"},
        "breadcrumbs": {"values": [{"message": f"SELECT … WHERE phone = '{PHONE}'"}]},
    }

    with requestid.bound("trace-sentry-event"):
        sent = before_send(event, {})

    text = repr(sent)
    assert PHONE not in text and PHONE_LOCAL not in text
    assert sent["frames"][0]["vars"]["count"] == 3
    assert sent["frames"][0]["vars"]["phone"] == "+97250•••••78"
    assert sent["tags"]["request_id"] == "trace-sentry-event"


class _Kept(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def test_an_error_reported_through_the_sdk_reaches_the_collector_without_the_number():
    sentry_init(dsn="https://key@sentry.example/1", environment="test", traces_sample_rate=0)
    transport = _Kept()
    sentry_sdk.get_client().transport = transport
    try:
        try:
            raise RuntimeError(f"no such customer {PHONE}")
        except RuntimeError as exc:
            sentry_sdk.capture_exception(exc)
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: off again for the other tests

    payload = b"".join(
        item.payload.get_bytes() for envelope in transport.envelopes for item in envelope.items
    ).decode()
    assert "no such customer" in payload
    assert PHONE not in payload
