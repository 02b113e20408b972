"""The WhatsApp templates we register with Twilio: one per purpose and language, within
WhatsApp's 1,024 characters with the longest demo names, Hebrew ones right-to-left."""

import pytest
from django.urls import reverse

from notifications.models import Message, WhatsAppTemplate
from notifications.services.whatsapp import TEMPLATE_MAX_CHARS, template_fill
from notifications.texts import render_sms
from notifications.whatsapp_templates import SUGGESTED, whatsapp_templates_load
from tests.factories import UserFactory
from tests.notifications.bidi import first_strong_direction
from tests.notifications.test_text_directions import CASES, context

# Every purpose a customer is texted about unprompted (replies answer the customer's own
# message, inside the window, as does the closed-hours reply; "other" and the old notice are
# never written by the site).
BUSINESS_INITIATED = set(Message.Purpose) - {
    Message.Purpose.REPLY,
    Message.Purpose.AUTO_REPLY,
    # To a store manager's own phone, by SMS.
    Message.Purpose.STAFF_ALERT,
    Message.Purpose.OTHER,
    Message.Purpose.SIGNUP_NOTICE,
}


def test_every_business_initiated_purpose_has_a_template_in_both_languages():
    have = {(t.purpose, t.language) for t in SUGGESTED}
    assert {(p, lang) for p in BUSINESS_INITIATED for lang in ("he", "en")} <= have


@pytest.mark.parametrize("suggested", SUGGESTED, ids=lambda t: f"{t.purpose}.{t.language}")
def test_template_with_the_longest_demo_names_fits_and_carries_the_link(db, settings, suggested):
    settings.SITE_URL = "http://127.0.0.1:8000"
    name = "rating_invite" if suggested.purpose == "rating_invite" else "hold_ready"
    values = context(name, suggested.language)
    template = WhatsAppTemplate(
        purpose=suggested.purpose,
        language=suggested.language,
        text=suggested.text,
        variables=suggested.variables,
    )
    template.clean()  # every placeholder mapped
    text = template_fill(template, values)
    assert "{{" not in text
    assert len(text) <= TEMPLATE_MAX_CHARS
    if suggested.purpose in (Message.Purpose.ANSWER, Message.Purpose.STAFF_TEXT):
        return  # the store's own words: no link of ours
    link = values.get("rating_link") or values["link"]
    assert str(link) in text
    if suggested.language == "he":
        assert first_strong_direction(text) == "rtl", text


@pytest.mark.parametrize("language", ["he", "en"])
@pytest.mark.parametrize(("name", "case"), CASES)
def test_free_form_whatsapp_text_is_within_the_limit(db, settings, name, case, language):
    """Inside the 24-hour window the SMS text itself goes, which must fit WhatsApp too."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert len(render_sms(name, language, context(case, language))) <= TEMPLATE_MAX_CHARS


def test_whatsapp_templates_load_leaves_staff_edits_alone(db):
    whatsapp_templates_load()
    WhatsAppTemplate.objects.filter(purpose="hold_ready", language="he").update(
        content_sid="HX" + "9" * 32, approved=True
    )
    whatsapp_templates_load()
    row = WhatsAppTemplate.objects.get(purpose="hold_ready", language="he")
    assert row.approved and row.content_sid == "HX" + "9" * 32
    assert WhatsAppTemplate.objects.count() == len(SUGGESTED)


def test_admin_previews_a_template_filled_in(db, client):
    whatsapp_templates_load()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    row = WhatsAppTemplate.objects.get(purpose="hold_ready", language="he")
    page = client.get(reverse("admin:notifications_whatsapptemplate_change", args=[row.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Pegasus 41" in html and "דיזנגוף סנטר" in html and "ContentVariables" in html
    assert f"of {TEMPLATE_MAX_CHARS}" in html or f"מתוך {TEMPLATE_MAX_CHARS}" in html


def test_admin_refuses_an_unmapped_placeholder_with_a_message(db, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:notifications_whatsapptemplate_add"),
        {
            "purpose": "hold_ready",
            "language": "he",
            "content_sid": "HX" + "1" * 32,
            "approved": "on",
            "text": "{{1}} {{2}}",
            "variables": '{"1": "model"}',
        },
    )
    assert response.status_code == 200
    assert "{{2}}" in response.content.decode()
    assert not WhatsAppTemplate.objects.exists()


def test_code_template_fits_every_reason_a_code_is_asked_for():
    """One approved template carries the code for an alert, a pair to hold or bring, and a
    look at one's requests: it must not name any one of them ("your alerts code")."""
    for template in SUGGESTED:
        if template.purpose == Message.Purpose.VERIFICATION:
            text = template.text.lower()
            assert "alert" not in text and "התראה" not in text and "להתראות" not in text
