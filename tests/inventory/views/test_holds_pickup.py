"""The holds desk with pick-up plans: the counter's timeline, the time each customer chose."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.models import Hold
from tests.inventory.views.test_holds import place_hold

pytestmark = pytest.mark.django_db


def plan(hold: Hold, in_hours: float) -> None:
    # As `hold_plan_pickup` records it (its slot rules are tested with the service).
    Hold.objects.filter(pk=hold.pk).update(pickup_at=timezone.now() + timedelta(hours=in_hours))


def test_holds_desk_lists_each_hold_at_its_next_moment_and_shows_the_planned_time(
    client, tel_aviv_manager, shop
):
    coming_soon = place_hold(shop.tel_aviv, shop.size_42, 1, "Coming soon", hours_left=20)
    plan(coming_soon, 1)
    lapsing = place_hold(shop.tel_aviv, shop.size_43, 2, "Lapsing", hours_left=3)
    coming_later = place_hold(shop.tel_aviv, shop.size_42, 3, "Coming later", hours_left=22)
    plan(coming_later, 5)
    relaxed = place_hold(shop.tel_aviv, shop.size_43, 4, "Relaxed", hours_left=21)
    not_told = place_hold(shop.tel_aviv, shop.size_42, 5, "Not told", hours_left=None)

    client.force_login(tel_aviv_manager)
    response = client.get("/en/staff/holds/")
    assert [r.hold for r in response.context["rows"]] == [
        coming_soon,
        lapsing,
        coming_later,
        relaxed,
        not_told,
    ]
    html = response.content.decode()
    when = timezone.localtime(Hold.objects.get(pk=coming_soon.pk).pickup_at)
    assert f"Coming {when:%a} {when.day}/{when.month} {when:%H:%M}" in html
    assert html.count("badge--ok") == 2


def test_holds_desk_in_hebrew_says_when_the_customer_is_coming(client, tel_aviv_manager, shop):
    hold = place_hold(shop.tel_aviv, shop.size_42, 1, "Noa", hours_left=20)
    plan(hold, 2)
    Hold.objects.filter(pk=hold.pk).update(extended_at=timezone.now())
    client.force_login(tel_aviv_manager)
    html = client.get("/staff/holds/").content.decode()
    assert "מגיע/ה" in html and "הוארכה ביום" in html
