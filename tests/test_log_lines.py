"""The log lines an operator collects: one JSON object per line (LOG_FORMAT=json) or one line
of text, each with the request id, and no full number anywhere in them — the message, the
`extra=` fields or a traceback."""

import io
import json
import logging
import logging.config
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

PHONE_LOCAL, PHONE = "050-234-5678", "+972502345678"


@pytest.fixture(params=["json", "text"])
def collected(request) -> Iterator[tuple[str, io.StringIO]]:
    """The root logger writing through LOGGING's own formatter and filters into a buffer."""
    buffer = io.StringIO()
    config: dict = settings.LOGGING
    handler = logging.StreamHandler(buffer)
    formatter = config["formatters"][request.param]
    options = {k: v for k, v in formatter.items() if k != "()"}
    factory = logging.config.DictConfigurator(config).resolve(formatter["()"])
    handler.setFormatter(factory(options.pop("format"), **options))
    for name in config["handlers"]["console"]["filters"]:
        filter_ = config["filters"][name]
        handler.addFilter(logging.config.DictConfigurator(config).resolve(filter_["()"])())
    # Django's loggers do not propagate to the root (LOGGING): listen to both.
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield request.param, buffer
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@pytest.mark.django_db
def test_log_lines_carry_the_request_id_and_no_full_number(collected):
    kind, buffer = collected
    request_id = "trace-one-request"

    response = Client(headers={"x-request-id": request_id}).get(f"/no-such-page/{PHONE_LOCAL}/")
    logger = logging.getLogger("tests.lines")
    logger.warning("texting %s", PHONE, extra={"phone": PHONE, "local": PHONE_LOCAL})
    try:
        raise ValueError(f"no such customer {PHONE}")
    except ValueError:
        logger.exception("lookup failed")

    assert response["X-Request-ID"] == request_id
    lines = buffer.getvalue().splitlines()
    assert lines
    logged = buffer.getvalue()
    assert PHONE not in logged and PHONE_LOCAL not in logged
    assert "+97250•••••78" in logged
    if kind == "json":
        records = [json.loads(line) for line in lines if line.startswith("{")]
        assert {"time", "level", "logger", "message", "request_id"} <= set(records[0])
        assert any(r["request_id"] == request_id for r in records)
        assert any("exc_info" in r for r in records)
    else:
        assert any(f"[{request_id}]" in line for line in lines)


def test_a_request_id_from_outside_is_kept_only_when_plain():
    from core.requestid import from_header

    assert from_header("abc-DEF_123.xyz") == "abc-DEF_123.xyz"
    assert from_header("x" * 100) != "x" * 100
    assert from_header(f"id-{PHONE}") != f"id-{PHONE}"
    assert from_header("bad\nline-injection") != "bad\nline-injection"
