import logging

import pytest

from core.logging import redact

KEY = "0a1b2c3d4e.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd"


@pytest.mark.parametrize(
    "line, secret",
    [
        (f"Unexpected auth - 'Token {KEY}'", KEY),
        ("Unexpected auth - 'Basic dXNlcjpwYXNz'", "dXNlcjpwYXNz"),
        ("headers={'Authorization': 'Bearer abc.def'}", "abc.def"),
        (f"till key {KEY} used", KEY),
        ("open https://shop.example/a/42-k3j7x2qzamfa now", "42-k3j7x2qzamfa"),
        ("verification code 123456 sent", "123456"),
        ("text to +972501234567 queued", "+972501234567"),
        ("text to 050-123-4567 queued", "050-123-4567"),
    ],
)
def test_redact_masks_secrets(line, secret):
    assert secret not in redact(line)


def test_redact_leaves_ordinary_lines_alone():
    line = "Allocated 3 pair(s) at store 12, variant 40711"
    assert redact(line) == line


def test_every_log_record_is_redacted(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("ninja.security").error("Unexpected auth - '%s'", f"Token {KEY}")
        logging.getLogger("anything").info("texted %s", "+972501234567")
    assert KEY not in caplog.text
    assert "+972501234567" not in caplog.text
