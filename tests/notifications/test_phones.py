import pytest
from django.utils import translation

from core.phones import InvalidPhone, phone_normalize


@pytest.mark.parametrize(
    "raw", ["050-234-5678", "0502345678", "+972 50 234 5678", "+972-50-2345678", " 050 2345678 "]
)
def test_phone_normalize_israeli_mobile_to_e164(raw):
    assert phone_normalize(raw) == "+972502345678"


def test_phone_normalize_landline_is_refused_with_a_clear_message():
    with pytest.raises(InvalidPhone) as info:
        phone_normalize("03-5551234")
    assert info.value.reason == "landline"
    assert "נייד" in info.value.message


@pytest.mark.parametrize("raw", ["hello", "050-12", "+972 1234"])
def test_phone_normalize_invalid_number_is_refused(raw):
    with pytest.raises(InvalidPhone) as info:
        phone_normalize(raw)
    assert info.value.reason == "invalid"


def test_phone_normalize_foreign_mobile_is_refused_unless_allowed(settings):
    with pytest.raises(InvalidPhone) as info:
        phone_normalize("+44 7400 123456")
    assert info.value.reason == "country"
    settings.ALLOWED_SMS_COUNTRIES = ["IL", "GB"]
    assert phone_normalize("+44 7400 123456") == "+447400123456"


def test_phone_normalize_message_is_in_the_page_language():
    with translation.override("en"), pytest.raises(InvalidPhone) as english:
        phone_normalize("+44 7400 123456")
    assert "Israeli" in english.value.message
