"""The registry every app tells what it holds about a number, and the keyed hash of a number."""

from django.utils import translation

from core import privacy
from core.phones import phone_key


def test_phone_key_is_stable_keyed_and_gives_no_number_back(settings):
    settings.PHONE_KEY_SECRET = "one secret"
    key = phone_key("+972502345678")
    assert key == phone_key("+972502345678") != phone_key("+972502345679")
    assert "2345678" not in key and len(key) == 64
    settings.PHONE_KEY_SECRET = "another secret"
    assert phone_key("+972502345678") != key


def test_sources_erase_top_layer_first_and_show_bottom_layer_first():
    names = [type(source).__name__ for source in privacy.sources()]
    assert names == ["RatingsData", "RequestsData", "StockData", "MessagingData"]


def test_every_app_that_keeps_numbers_registers_what_staff_may_reveal():
    for kind in ("hold", "transfer", "entry", "launchentry", "message", "optout", "consentrecord"):
        assert kind in privacy._REVEALABLE, kind


def test_section_shows_labels_and_coded_values_in_words():
    section = privacy.Section(
        "alerts", "Alerts", [{"status": "active"}], choices={"status": {"active": "Waiting"}}
    )
    with translation.override("en"):
        assert str(section.label("created_at")) == "Created" and section.label("odd") == "odd"
    assert section.shown("status", "active") == "Waiting"
    assert section.shown("status", "unknown") == "unknown"
