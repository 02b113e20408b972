import pytest

from notifications.links import make_token, read_token


def test_make_token_round_trips_for_its_purpose():
    token = make_token("rating", 42)
    assert read_token("rating", token) == 42
    assert len(token) <= 16


@pytest.mark.parametrize(
    "token",
    ["43-" + "a" * 12, "42", "x-abcdefabcdef", "42-short", "", "-" * 14],
)
def test_read_token_refuses_forged_or_malformed(token):
    assert read_token("rating", token) is None


def test_read_token_refuses_a_token_made_for_another_purpose():
    assert read_token("alerts", make_token("rating", 42)) is None
