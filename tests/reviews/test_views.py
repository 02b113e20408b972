from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from inventory.models import Hold
from notifications.links import make_token
from reviews.models import Rating, SiteFeedback
from reviews.services import RATING_TOKEN_PURPOSE
from tests.factories import HoldFactory, ProductFactory

pytestmark = pytest.mark.django_db


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args)


def rate_url(hold, language="en"):
    return url("reviews:rate", make_token(RATING_TOKEN_PURPOSE, hold.pk), language=language)


def test_rate_page_shows_the_visit_and_five_buttons(client):
    hold = HoldFactory(status=Hold.Status.COLLECTED)
    response = client.get(rate_url(hold))
    assert response.status_code == 200
    html = response.content.decode()
    assert hold.variant.product.name in html
    assert html.count('name="score"') == 5


def test_rate_page_in_hebrew_by_default(client):
    hold = HoldFactory(status=Hold.Status.COLLECTED)
    response = client.get(rate_url(hold, language="he"))
    assert 'dir="rtl"' in response.content.decode()
    assert "איך היה?" in response.content.decode()


def test_rate_page_lapsed_hold_in_hebrew_asks_about_the_alert(client):
    hold = HoldFactory(status=Hold.Status.EXPIRED)
    html = client.get(rate_url(hold, language="he")).content.decode()
    assert "איך הייתה ההתראה?" in html
    assert "איך היה?" not in html


def test_rate_low_score_promises_a_call_back(client):
    hold = HoldFactory(status=Hold.Status.EXPIRED)
    response = client.post(rate_url(hold), {"score": "1", "comment": "Nobody answered"})
    assert b"will call you back" in response.content
    assert Rating.objects.get().needs_callback


def test_rate_expired_link_is_refused_with_410(client):
    hold = HoldFactory(status=Hold.Status.COLLECTED, ended_at=timezone.now() - timedelta(days=15))
    response = client.post(rate_url(hold), {"score": "5"})
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not Rating.objects.exists()


def test_rate_forged_token_is_404(client):
    hold = HoldFactory(status=Hold.Status.COLLECTED)
    assert client.get(f"/en/r/{hold.pk}-aaaaaaaaaaaa/").status_code == 404
    assert client.get("/en/r/nonsense/").status_code == 404


def test_rate_without_a_score_asks_again(client):
    hold = HoldFactory(status=Hold.Status.COLLECTED)
    response = client.post(rate_url(hold), {"score": "9"})
    assert response.status_code == 400
    assert b"Tap a score from 1 to 5" in response.content
    assert not Rating.objects.exists()


def test_site_feedback_records_an_anonymous_answer(client):
    cache.clear()
    product = ProductFactory()
    response = client.post(
        url("reviews:site_feedback"),
        {
            "found": "no",
            "comment": "no size 47",
            "product": product.pk,
            "next": url("storefront:product", product.slug),
        },
    )
    assert response.status_code == 302
    feedback = SiteFeedback.objects.get()
    assert (feedback.found, feedback.comment, feedback.product) == (False, "no size 47", product)


def test_site_feedback_answers_htmx_with_a_thank_you_fragment(client):
    cache.clear()
    response = client.post(url("reviews:site_feedback"), {"found": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"Thank you" in response.content and b"<html" not in response.content


def test_site_feedback_is_rate_limited_per_address(client):
    cache.clear()
    for _ in range(12):
        client.post(url("reviews:site_feedback"), {"found": "yes"})
    assert SiteFeedback.objects.count() == 10


def test_site_feedback_while_the_cache_is_down_is_still_taken(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    response = client.post(url("reviews:site_feedback"), {"found": "yes"})
    assert response.status_code == 302
    assert SiteFeedback.objects.count() == 1


def test_site_feedback_never_redirects_off_site(client):
    cache.clear()
    response = client.post(
        url("reviews:site_feedback"), {"found": "yes", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_product_page_offers_the_feedback_prompt(client):
    product = ProductFactory()
    html = client.get(url("storefront:product", product.slug)).content.decode()
    assert "Did you find what you were looking for?" in html
