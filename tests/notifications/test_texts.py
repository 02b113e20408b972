from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from inventory.models import Hold
from notifications.segments import sms_segments
from notifications.texts import hold_context, manage_link, render_sms
from tests.factories import ProductFactory, StoreFactory, VariantFactory
from tests.notifications.bidi import first_strong_direction, latin_outside_isolates

UNTIL = datetime(2026, 11, 24, 14, 30, tzinfo=ZoneInfo("Asia/Jerusalem"))


def test_sms_segments_counts_gsm_and_ucs2_limits():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2
    assert sms_segments("a" * 307) == 3
    assert sms_segments("{" * 80) == 1  # two septets each
    assert sms_segments("{" * 81) == 2
    assert sms_segments("ש" * 70) == 1
    assert sms_segments("ש" * 71) == 2
    assert sms_segments("ש" * 134) == 2
    assert sms_segments("ש" * 135) == 3


@pytest.fixture
def long_hold(db, settings):
    settings.SITE_URL = "https://sole.co.il"
    product = ProductFactory(name="Air Zoom Pegasus 41 Shield")
    variant = VariantFactory(product=product, eu_size=Decimal("42.5"))
    store = StoreFactory(
        name_he="קניון עזריאלי תל אביב", name_en="Azrieli Center Mall", phone="03-5551234"
    )
    return Hold(store=store, variant=variant, purpose="waitlist", language="he")


@pytest.mark.parametrize("language", ["he", "en"])
@pytest.mark.parametrize("name", ["hold_ready", "transfer_arrived"])
def test_render_sms_hold_text_fits_two_segments_and_names_everything(long_hold, language, name):
    long_hold.language = language
    link = manage_link(987654, language)
    text = render_sms(name, language, {**hold_context(long_hold, UNTIL), "link": link})
    assert sms_segments(text) <= 2
    assert link in text
    assert "42.5" in text
    assert "24/11 14:30" in text
    assert "03-5551234" in text
    assert "Air Zoom Pega" in text  # shortened to fit, if need be, but recognisable


def test_render_sms_absurdly_long_names_are_shortened_to_two_segments(long_hold):
    long_hold.variant.product.name = "Air Zoom Pegasus 41 Premium Shield Trail GORE-TEX " * 3
    long_hold.store.name_he = "קניון עזריאלי מרכז תל אביב-יפו " * 3
    text = render_sms(
        "hold_ready", "he", {**hold_context(long_hold, UNTIL), "link": manage_link(987654, "he")}
    )
    assert sms_segments(text) == 2
    assert "03-5551234" in text and "/a/987654-" in text


def test_render_sms_short_names_are_left_whole(db, settings):
    settings.SITE_URL = "https://sole.co.il"
    hold = Hold(
        store=StoreFactory(name_he="דיזנגוף", phone="03-5551234"),
        variant=VariantFactory(product=ProductFactory(name="Pegasus 41"), eu_size=Decimal(42)),
        purpose="waitlist",
        language="he",
    )
    text = render_sms(
        "hold_ready", "he", {**hold_context(hold, UNTIL), "link": manage_link(1, "he")}
    )
    assert text.startswith("שמור לך \u2068Pegasus 41\u2069 מידה 42 בדיזנגוף עד 24/11 14:30.")
    assert sms_segments(text) <= 2


@pytest.mark.parametrize("language", ["he", "en"])
def test_render_sms_code_text_is_one_or_two_segments(settings, language):
    settings.SITE_URL = "https://sole.co.il"
    text = render_sms(
        "verification",
        language,
        {"code": "123456", "minutes": 10, "link": manage_link(123456, language)},
    )
    assert "123456" in text
    assert sms_segments(text) <= 2


def test_manage_link_is_short_and_carries_no_number(settings):
    settings.SITE_URL = "https://x.co.il"
    link = manage_link(42, "he")
    assert link.startswith("https://x.co.il/a/42-")
    assert manage_link(42, "en").startswith("https://x.co.il/en/a/42-")
    assert len(link) < 40
    settings.SMS_LINK_BASE_URL = "https://s.co"
    assert manage_link(42, "he").startswith("https://s.co/a/42-")


def test_render_sms_hebrew_hold_text_starts_right_to_left_with_the_model_kept_in_order(long_hold):
    text = render_sms(
        "hold_ready", "he", {**hold_context(long_hold, UNTIL), "link": manage_link(987654, "he")}
    )
    assert first_strong_direction(text) == "rtl"
    assert text.startswith("שמור לך \u2068Air Zoom Pega")
    assert latin_outside_isolates(text) == []
