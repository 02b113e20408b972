"""Every text template, rendered with the longest names in the demo, reads right on a phone:
Hebrew texts start right-to-left with their Latin runs isolated, English texts isolate any
Hebrew run, every isolate is closed, the names are whole, and all fit two segments once what
may give way has (Hebrew's 67 characters a segment may need a third for the names alone)."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from demo.data.products import MODELS
from demo.data.stores import STORES
from notifications.links import make_token
from notifications.segments import sms_segments
from notifications.texts import OPTIONAL_PARTS, fit_sms, link_for, manage_link, render_sms
from reviews.services import RATING_TOKEN_PURPOSE
from tests.notifications.bidi import (
    first_strong_direction,
    isolates_balance,
    latin_outside_isolates,
    rtl_outside_isolates,
)

ROOT = Path(django_settings.BASE_DIR)
TEMPLATES = sorted(
    {
        path.name.split(".")[0]
        for folder in ("notifications", "reviews")
        for path in (ROOT / folder / "templates/notifications/sms").glob("*.txt")
    }
)
LONGEST_MODEL = max((model.name for model in MODELS), key=len)
# Holds and visits are at branches, never at the warehouse.
LONGEST_STORE = {
    language: max(
        (getattr(store, f"name_{language}") for store in STORES if not store.is_warehouse), key=len
    )
    for language in ("he", "en")
}
LONGEST_PHONE = max((store.phone for store in STORES), key=len)
BIG_ID = 987654


def context(name: str, language: str) -> dict[str, object]:
    with translation.override(language):
        rating_path = reverse(
            "reviews:rate", kwargs={"token": make_token(RATING_TOKEN_PURPOSE, BIG_ID)}
        )
    if name.startswith("rating_invite"):  # as reviews.services.rating_invite gives it
        return {
            "store": LONGEST_STORE[language],
            "rating_link": link_for(rating_path),
            "lapsed": name.endswith("lapsed"),
            "conversation": name.endswith("conversation"),
        }
    if name == "auto_reply":  # as notifications.services.conversations gives it: no link
        return {"store": LONGEST_STORE[language], "opens": "24/11 10:00", "held": True}
    return {
        "model": LONGEST_MODEL,
        "size": "40.5",
        "store": LONGEST_STORE[language],
        "until": "24/11 14:30",
        "phone": LONGEST_PHONE,
        "code": "123456",
        "minutes": 10,
        "link": manage_link(BIG_ID, language),
        # What a code is for: verification:hold, :bring, :requests, else an alert.
        "asked": name.partition(":")[2] or "alert",
        "reason": "That pair is on display" if language == "en" else "הזוג מוצג בחלון הראווה",
    }


def assert_within_budget(name: str, language: str, values: dict[str, object]) -> str:
    """The text fits two segments, or gave up every optional part and costs three at most
    (in Hebrew only)."""
    fitted = fit_sms(name, language, values)
    segments = sms_segments(fitted.body)
    if segments > 2:
        optional = {
            part.key
            for part in OPTIONAL_PARTS.get(name, ())
            if part.sentence or values.get(part.key)
        }
        assert language == "he" and segments == 3, fitted.body
        assert set(fitted.dropped) == optional, fitted
    return fitted.body


CASES = [
    (name, variant)
    for name in TEMPLATES
    for variant in {
        "rating_invite": [name, f"{name}:lapsed", f"{name}:conversation"],
        "verification": [name, f"{name}:hold", f"{name}:bring", f"{name}:requests"],
    }.get(name, [name])
]


def test_text_templates_are_found():
    assert {"hold_ready", "transfer_arrived", "verification", "rating_invite"} <= set(TEMPLATES)


@pytest.mark.parametrize(("name", "case"), CASES)
def test_render_sms_hebrew_text_starts_right_to_left_and_isolates_latin_runs(
    db, settings, name, case
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    text = assert_within_budget(name, "he", context(case, "he"))
    assert first_strong_direction(text) == "rtl", text
    assert latin_outside_isolates(text) == [], text


@pytest.mark.parametrize("language", ["he", "en"])
@pytest.mark.parametrize(("name", "case"), CASES)
def test_render_sms_text_with_the_longest_demo_names_fits_and_names_them_whole(
    db, settings, name, case, language
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    text = assert_within_budget(name, language, context(case, language))
    # A phone's link finder takes everything up to the next space (Android's even takes
    # invisible marks): the link it finds must be the link itself.
    values = context(case, language)
    links = {values[key] for key in ("link", "rating_link") if key in values}
    assert set(re.findall(r"https?://\S+", text)) == links, text
    # Names are never cut to fit.
    source = _source(name, language)
    if "{{ model" in source:
        assert LONGEST_MODEL in text, text
    if "{{ store" in source:
        assert LONGEST_STORE[language] in text, text


@pytest.mark.parametrize("language", ["he", "en"])
@pytest.mark.parametrize(("name", "case"), CASES)
def test_render_sms_text_closes_every_isolate_it_opens(db, settings, name, case, language):
    settings.SITE_URL = "http://127.0.0.1:8000"
    text = render_sms(name, language, context(case, language) | {"reason": "Out of stock"})
    assert isolates_balance(text), ascii(text)


@pytest.mark.parametrize(("name", "case"), CASES)
def test_render_sms_english_text_isolates_every_hebrew_run(db, settings, name, case):
    """A store with no English name (its Hebrew one stands in), a reason staff wrote in
    Hebrew: inside an English text each is its own isolate, closed, and the text still reads
    left to right."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    values = context(case, "en") | {"store": "סול דיזנגוף", "reason": "הזוג פגום"}
    text = render_sms(name, "en", values)
    assert isolates_balance(text), ascii(text)
    assert rtl_outside_isolates(text) == [], ascii(text)
    if "{{ store" in _source(name, "en") or "{{ reason" in _source(name, "en"):
        assert first_strong_direction(text) == "ltr", ascii(text)


def _source(name: str, language: str) -> str:
    folder = "reviews" if name == "rating_invite" else "notifications"
    return (ROOT / folder / f"templates/notifications/sms/{name}.{language}.txt").read_text()
