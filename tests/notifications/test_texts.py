import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from inventory.models import Hold
from notifications.segments import sms_cost, sms_segments
from notifications.texts import fit_sms, hold_context, manage_link, render_sms
from tests.factories import ProductFactory, StoreFactory, VariantFactory
from tests.notifications.bidi import (
    first_strong_direction,
    isolates_balance,
    latin_outside_isolates,
)

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
    assert (sms_cost("a" * 161).encoding, sms_cost("a" * 161).per_segment) == ("GSM-7", 153)
    assert (sms_cost("ש").encoding, sms_cost("ש").per_segment) == ("UCS-2", 70)


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
def test_render_sms_hold_text_names_the_pair_and_store_whole(long_hold, language, name):
    long_hold.language = language
    link = manage_link(987654, language)
    values = hold_context(long_hold, UNTIL)
    fitted = fit_sms(name, language, {**values, "link": link})
    text = fitted.body
    assert link in text
    assert "42.5" in text
    assert "24/11 14:30" in text
    # Whole, never "Air Zoom Pega…": the store's phone gives way first.
    assert "Air Zoom Pegasus 41 Shield" in text and values["store"] in text
    if sms_segments(text) > 2:
        # Hebrew's 67 characters a segment cannot hold these names in two: one more
        # segment, once the phone (on the link's page too) is out.
        assert language == "he" and fitted.dropped == ("phone",) and sms_segments(text) == 3
    else:
        assert "03-5551234" in text


def test_render_sms_absurdly_long_names_stay_whole_at_the_cost_of_a_segment(long_hold, caplog):
    long_hold.variant.product.name = "Air Zoom Pegasus 41 Premium Shield Trail GORE-TEX " * 3
    long_hold.store.name_he = "קניון עזריאלי מרכז תל אביב-יפו " * 3
    values = hold_context(long_hold, UNTIL)
    fitted = fit_sms("hold_ready", "he", {**values, "link": manage_link(987654, "he")})
    assert values["model"] in fitted.body and values["store"] in fitted.body
    assert "/a/987654-" in fitted.body
    assert fitted.dropped == ("phone",) and "03-5551234" not in fitted.body
    assert sms_segments(fitted.body) > 2
    assert f"costs {sms_segments(fitted.body)} segments" in caplog.text


LONG_MODEL = "Novablast 4 Platinum Wide TR"
LONG_STORE = "Sole Dizengoff Center Tel Aviv"
HEBREW_REASON = "אין זוג תואם במלאי של הסניף, מצטערים מאוד על אי הנוחות שנגרמה"


def declined(reason: str, language: str = "en", **names: str) -> dict[str, object]:
    return {
        "model": names.get("model", LONG_MODEL),
        "size": "40.5",
        "store": names.get("store", LONG_STORE),
        "reason": reason,
        "link": manage_link(987654, language),
    }


def test_fit_sms_english_decline_with_a_hebrew_reason_keeps_the_names_and_gives_up_the_reason(
    settings,
):
    settings.SITE_URL = "https://sole.co.il"
    fitted = fit_sms("transfer_declined", "en", declined(HEBREW_REASON))
    text = fitted.body
    assert text.startswith(f"Sorry, we cannot bring {LONG_MODEL} size 40.5 to {LONG_STORE}")
    assert sms_segments(text) <= 2
    assert "reason" in fitted.shortened + fitted.dropped
    assert isolates_balance(text)
    # What is left of the reason is its start, isolated inside the English text.
    if "reason" in fitted.shortened:
        assert "\u2068אין זוג" in text and text.count("\u2069") == 1


def test_fit_sms_english_decline_shortens_a_long_reason_by_words_and_stays_gsm7(settings):
    settings.SITE_URL = "https://sole.co.il"
    model = "Gel-Kayano 31 Platinum Edition Extra Wide GORE-TEX"
    store = "Sole Azrieli Sarona Market Tower Ground Floor East Wing"
    reason = "The last pair in this size was sold at the till this morning, and the next "
    reason += "delivery to the warehouse is not due before next week"
    fitted = fit_sms("transfer_declined", "en", declined(reason, model=model, store=store))
    assert fitted.shortened == ("reason",) and fitted.dropped == ()
    assert f"{model} size 40.5 to {store}: The last pair" in fitted.body
    # Cut after a whole word, marked with "..." ("…" would make the text UCS-2).
    assert re.search(r": The last pair[a-z ,]*\w\.\.\.\. Join the waitlist", fitted.body)
    assert sms_cost(fitted.body).encoding == "GSM-7" and sms_segments(fitted.body) <= 2


def test_fit_sms_decline_gives_up_the_reason_then_the_apology_never_the_names(settings):
    settings.SITE_URL = "https://sole.co.il"
    model = "Gel-Kayano 31 Platinum Edition Extra Wide GORE-TEX"
    store = "Sole Azrieli Sarona Market Tower Ground Floor East Wing"
    fitted = fit_sms(
        "transfer_declined", "he", declined(HEBREW_REASON, "he", model=model, store=store)
    )
    assert fitted.dropped == ("reason", "polite")
    assert fitted.body.startswith(f"לא נוכל להביא \u2068{model}\u2069 מידה 40.5 ל{store}.")
    assert isolates_balance(fitted.body)


def test_fit_sms_short_decline_keeps_everything(settings):
    settings.SITE_URL = "https://sole.co.il"
    fitted = fit_sms(
        "transfer_declined", "he", declined("הזוג פגום", "he", model="Pegasus 41", store="דיזנגוף")
    )
    assert (fitted.shortened, fitted.dropped) == ((), ())
    assert fitted.body.startswith("מצטערים, לא נוכל להביא")
    assert "לדיזנגוף: \u2068הזוג פגום\u2069." in fitted.body


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
