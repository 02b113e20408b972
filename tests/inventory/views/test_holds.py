"""The holds desk: active holds soonest first, collecting and releasing, per store."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from inventory import services
from inventory.models import Hold, StockLevel
from tests.factories import UserFactory
from tests.inventory.views.helpers import available, customer_transfer, stock

pytestmark = pytest.mark.django_db


# --- holds desk -----------------------------------------------------------------------------


def place_hold(store, variant, entry: int, name: str, hours_left: float | None):
    """A hold for waitlist entry number `entry`, its clock started `hours_left` before it runs
    out (None: not started)."""
    stock(store, variant, 1)
    hold = services.hold_place(
        store=store,
        variant=variant,
        customer_name=name,
        customer_phone="+972502345678",
    )
    if hours_left is not None:
        at = timezone.now() - settings.HOLD_DURATION + timedelta(hours=hours_left)
        services.hold_start_clock(hold=hold, at=at)
    hold.refresh_from_db()
    return hold


def test_holds_desk_lists_active_holds_soonest_first_with_time_left(client, tel_aviv_manager, shop):
    relaxed = place_hold(shop.tel_aviv, shop.size_42, 1, "Relaxed", hours_left=20)
    urgent = place_hold(shop.tel_aviv, shop.size_43, 2, "Hurry", hours_left=2)
    lapsed = place_hold(shop.tel_aviv, shop.size_42, 3, "Too late", hours_left=-1)
    waiting = place_hold(shop.tel_aviv, shop.size_43, 4, "Not told", hours_left=None)
    place_hold(shop.haifa, shop.size_42, 5, "Elsewhere", hours_left=5)

    client.force_login(tel_aviv_manager)
    response = client.get("/en/staff/holds/")
    rows = response.context["rows"]
    assert [r.hold for r in rows] == [lapsed, urgent, relaxed, waiting]
    by_name = {r.hold.customer_name: r for r in rows}
    assert by_name["Too late"].lapsed and not by_name["Too late"].urgent
    assert by_name["Hurry"].urgent and not by_name["Hurry"].lapsed
    assert by_name["Hurry"].time_left.startswith("1\xa0hour") or by_name[
        "Hurry"
    ].time_left.startswith("2\xa0hours")
    assert not by_name["Relaxed"].urgent
    html = response.content.decode()
    assert "Lapsed" in html and "staff-card--urgent" in html and "staff-card--lapsed" in html
    # Masked even for staff of this store, who may ask to see it (with a reason).
    assert "+972502345678" not in html and "+97250•••••78" in html
    assert f"/staff/numbers/hold/{by_name['Hurry'].hold.pk}/" in by_name["Hurry"].reveal_url
    assert "Elsewhere" not in html


def test_holds_desk_collect_and_release(client, tel_aviv_manager, shop):
    collect = place_hold(shop.tel_aviv, shop.size_42, 1, "Noa", hours_left=10)
    release = place_hold(shop.tel_aviv, shop.size_43, 2, "Dan", hours_left=10)
    client.force_login(tel_aviv_manager)

    response = client.post(reverse("inventory:hold_collect", args=[collect.pk]), follow=True)
    assert response.status_code == 200
    collect.refresh_from_db()
    assert collect.status == Hold.Status.COLLECTED and collect.ended_by == tel_aviv_manager
    assert StockLevel.objects.get(store=shop.tel_aviv, variant=shop.size_42).on_hand == 0

    client.post(reverse("inventory:hold_release", args=[release.pk]))
    release.refresh_from_db()
    assert release.status == Hold.Status.RELEASED
    assert available(shop.tel_aviv, shop.size_43) == 1


def test_holds_desk_collect_of_a_lapsed_hold_is_refused_clearly(client, tel_aviv_manager, shop):
    hold = place_hold(shop.tel_aviv, shop.size_42, 1, "Noa", hours_left=-2)
    client.force_login(tel_aviv_manager)
    response = client.post(f"/en/staff/holds/{hold.pk}/collected/", follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    hold.refresh_from_db()
    assert hold.status == Hold.Status.EXPIRED


def test_holds_desk_actions_refused_at_another_store(client, haifa_manager, shop):
    hold = place_hold(shop.tel_aviv, shop.size_42, 1, "Noa", hours_left=10)
    client.force_login(haifa_manager)
    for name in ("hold_collect", "hold_release"):
        response = client.post(reverse(f"inventory:{name}", args=[hold.pk]))
        assert response.status_code == 403
    hold.refresh_from_db()
    assert hold.status == Hold.Status.ACTIVE


def test_holds_desk_actions_need_post(client, tel_aviv_manager, shop):
    hold = place_hold(shop.tel_aviv, shop.size_42, 1, "Noa", hours_left=10)
    client.force_login(tel_aviv_manager)
    assert client.get(reverse("inventory:hold_collect", args=[hold.pk])).status_code == 405


def test_holds_desk_salespeople_hand_over_at_their_store_only(client, salesperson, shop):
    place_hold(shop.tel_aviv, shop.size_42, 1, "Noa", hours_left=10)
    place_hold(shop.haifa, shop.size_42, 2, "Elsewhere", hours_left=10)
    client.force_login(salesperson)
    # A salesperson cannot look at another store's desk by changing the address.
    response = client.get(reverse("inventory:holds"), {"store": shop.haifa.pk})
    assert response.context["store"] == shop.tel_aviv
    assert [r.hold.customer_name for r in response.context["rows"]] == ["Noa"]
    assert response.context["picker"] is None and response.context["can_act"]
    assert "/collected/" in response.content.decode()


def test_holds_desk_head_office_picks_a_store_and_sees_numbers_masked(client, shop):
    from django.contrib.auth.models import Permission

    place_hold(shop.haifa, shop.size_42, 1, "Noa", hours_left=10)
    head_office = UserFactory(is_staff=True)
    head_office.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_all_stores", "view_hold", "view_transfer", "view_stocklevel"]
        )
    )
    client.force_login(head_office)

    response = client.get(reverse("inventory:holds"), {"store": shop.haifa.pk})
    assert response.context["store"] == shop.haifa
    html = response.content.decode()
    assert "Noa" in html and "+972502345678" not in html and "+97250•••••78" in html
    assert "/collected/" not in html  # looking is not acting

    customer_transfer(shop, UserFactory(is_staff=True))
    queue = client.get(reverse("inventory:transfers"), {"store": shop.haifa.pk})
    assert queue.context["store"] == shop.haifa and len(queue.context["rows"]) == 1
    assert not queue.context["rows"][0].can_dispatch


def test_holds_desk_hold_ending_now_says_just_now_not_zero(client, tel_aviv_manager, shop):
    place_hold(shop.tel_aviv, shop.size_42, 1, "Noa", hours_left=-0.001)
    client.force_login(tel_aviv_manager)
    hebrew = client.get("/staff/holds/").content.decode()
    assert "פגה עכשיו" in hebrew
    assert "0 דקות" not in hebrew


def test_holds_desk_until_reads_with_the_word_day_in_hebrew(client, tel_aviv_manager, shop):
    place_hold(shop.tel_aviv, shop.size_42, 1, "Noa", hours_left=10)
    client.force_login(tel_aviv_manager)
    hebrew = client.get("/staff/holds/").content.decode()
    assert "שמור עד יום " in hebrew
    assert "ב־ראשון" not in hebrew and "בראשון" not in hebrew


def test_holds_desk_shows_when_the_customer_read_the_text(client, tel_aviv_manager, shop):
    hold = place_hold(shop.tel_aviv, shop.size_42, 1, "Reader", hours_left=20)
    unread = place_hold(shop.tel_aviv, shop.size_43, 2, "Not yet", hours_left=20)
    read = datetime(2026, 12, 2, 10, 2, tzinfo=ZoneInfo("Asia/Jerusalem"))
    assert services.hold_text_read(hold_id=hold.pk, at=read)
    assert not services.hold_text_read(hold_id=hold.pk, at=timezone.now())  # first read counts
    client.force_login(tel_aviv_manager)
    html = client.get("/en/staff/holds/").content.decode()
    cards = {card.split('"', 1)[0]: card for card in html.split('id="hold-')[1:]}
    assert "read at 10:02" in cards[str(hold.pk)].split("</li>")[0]
    assert "read at" not in cards[str(unread.pk)].split("</li>")[0]
