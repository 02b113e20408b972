"""The privacy notice and the accessibility statement: both languages, linked from every
page's footer and from every form that takes a mobile number."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from inventory.permissions import ROLE_SALESPEOPLE
from tests.inventory.views.conftest import shop  # noqa: F401
from tests.inventory.views.helpers import staff

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b.*?</form>", re.S)
NUMBER_FIELD = re.compile(r'<input[^>]*type="tel"')


def path(name, language="he", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def number_forms(html):
    return [form for form in FORM.findall(html) if NUMBER_FIELD.search(form)]


@pytest.mark.parametrize("language", ["he", "en"])
def test_notice_pages_answer_in_both_languages(client, language):
    privacy = client.get(path("storefront:privacy", language)).content.decode()
    statement = client.get(path("storefront:accessibility", language)).content.decode()
    if language == "he":
        assert "מדיניות פרטיות" in privacy and "90 ימים" in privacy
        assert "הצהרת נגישות" in statement and "5568" in statement
    else:
        assert "Privacy notice" in privacy and "90 days" in privacy
        assert "Accessibility statement" in statement and "5568" in statement
    # The customer's way to her data is on the notice.
    assert path("demand:find", language) in privacy


def test_every_page_footer_links_both_notices(client):
    home = client.get(path("storefront:home")).content.decode()
    footer = home[home.index("<footer") :]
    assert path("storefront:privacy") in footer and path("storefront:accessibility") in footer


def expired_link():
    from datetime import timedelta

    from django.utils import timezone

    from notifications.models import Message
    from notifications.texts import manage_path

    text = Message.objects.create(
        recipient="+972502345678", body="x", purpose="other", idempotency_key="old"
    )
    Message.objects.filter(pk=text.pk).update(created_at=timezone.now() - timedelta(days=400))
    return manage_path(text.pk, "he")


def open_launch(shop):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from demand import services

    now = timezone.now()
    return services.launch_create(
        product=shop.product,
        times=services.LaunchTimes(
            now - timedelta(minutes=5), now + timedelta(hours=1), now + timedelta(hours=2)
        ),
        pairs={(shop.jerusalem.pk, shop.size_42.pk): 1},
    )


def test_every_form_that_takes_a_number_links_the_privacy_notice(client, shop):  # noqa: F811
    launch = open_launch(shop)
    query = f"?variant={shop.size_42.pk}&store={shop.haifa.pk}"
    bring = f"?variant={shop.size_43.pk}&store={shop.tel_aviv.pk}"
    pages = [
        path("demand:signup") + query,
        path("demand:pair_hold") + query,
        path("demand:pair_bring") + bring,
        path("demand:find"),
        expired_link(),  # offers the find form
        path("demand:signup", "en") + query,
        path("demand:launch", pk=launch.pk),  # the launch draw's entry form
    ]
    seen = 0
    for url in pages:
        html = client.get(url).content.decode()
        forms = number_forms(html)
        assert forms, url
        for form in forms:
            notice = path("storefront:privacy", "en" if url.startswith("/en/") else "he")
            assert notice in form, url
            seen += 1
    client.force_login(staff(ROLE_SALESPEOPLE, shop.tel_aviv, "dana"))
    staff_form = client.get(path("inventory:transfer_request")).content.decode()
    forms = [f for f in FORM.findall(staff_form) if "customer_phone" in f]
    assert forms and all(path("storefront:privacy") in form for form in forms)
    assert seen >= 7
