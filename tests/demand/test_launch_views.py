"""Launch draw pages: head office creates one and reads its demand; a customer enters from the
product page with a code, sees the entry in "My requests", and reads the published result."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from demand import services
from demand.models import Launch, LaunchEntry
from inventory.models import StockLevel
from inventory.permissions import ROLE_SALESPEOPLE
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def code_in(outbox):
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


@pytest.fixture
def head_office(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_launches"))
    client.force_login(user)
    return user


@pytest.fixture
def launch(shop):
    now = timezone.now()
    return services.launch_create(
        product=shop.product,
        times=services.LaunchTimes(
            now - timedelta(minutes=5), now + timedelta(hours=1), now + timedelta(hours=2)
        ),
        pairs={(shop.haifa.pk, shop.size_42.pk): 2},
    )


def test_staff_page_creates_a_launch_reserving_its_pairs(client, shop, head_office):
    now = timezone.localtime()
    form = {
        "style_code": "fd2722-002",
        "opens_at": (now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M"),
        "draw_at": (now + timedelta(hours=6)).strftime("%Y-%m-%d %H:%M"),
        "pickup_hours": "48",
    }
    grid = client.post(reverse("launches:list"), form).content.decode()
    assert f"pairs-{shop.haifa.pk}-{shop.size_42.pk}" in grid  # the shop with pairs
    assert f"pairs-{shop.warehouse.pk}-" not in grid  # never the warehouse
    response = client.post(
        reverse("launches:list"),
        {**form, "create": "1", f"pairs-{shop.haifa.pk}-{shop.size_42.pk}": "2"},
    )
    launch = Launch.objects.get()
    assert response.status_code == 302
    assert StockLevel.objects.get(store=shop.haifa, variant=shop.size_42).reserved == 2
    detail = client.get(reverse("launches:detail", args=[launch.pk])).content.decode()
    assert "ביקוש: 0 הרשמות ל־2 זוגות" in detail


def test_staff_page_refuses_more_pairs_than_available_with_a_message(client, shop, head_office):
    now = timezone.localtime()
    response = client.post(
        reverse("launches:list"),
        {
            "style_code": "FD2722-002",
            "opens_at": (now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "closes_at": (now + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M"),
            "draw_at": (now + timedelta(hours=6)).strftime("%Y-%m-%d %H:%M"),
            "pickup_hours": "48",
            "create": "1",
            f"pairs-{shop.haifa.pk}-{shop.size_42.pk}": "5",
        },
    )
    assert response.status_code == 400
    assert not Launch.objects.exists()


def test_staff_page_refuses_a_user_without_the_permission(client, shop):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("launches:list")).status_code == 403


def test_staff_moves_pairs_before_the_draw(client, shop, launch, head_office):
    response = client.post(
        reverse("launches:move", args=[launch.pk]),
        {
            "variant": shop.size_42.pk,
            "from_store": shop.haifa.pk,
            "to_store": shop.jerusalem.pk,
            "quantity": 1,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert launch.allocations.get(store=shop.jerusalem).pairs == 1


def test_product_page_links_to_the_draw_which_explains_it(client, shop, launch):
    product_page = client.get(shop.product.get_absolute_url()).content.decode()
    assert reverse("demand:launch", args=[launch.pk]) in product_page
    page = client.get(reverse("demand:launch", args=[launch.pk])).content.decode()
    assert 'name="phone"' in page and launch.commitment not in page
    result = client.get(reverse("demand:launch_result", args=[launch.pk])).content.decode()
    assert launch.commitment in result and launch.seed not in result


def test_enter_with_a_code_then_see_it_in_my_requests(client, shop, launch, outbox):
    response = client.post(
        reverse("demand:launch", args=[launch.pk]),
        {
            "variant": shop.size_42.pk,
            "store": shop.haifa.pk,
            "phone": "050-234-5678",
            "language": "he",
            "result_text": "on",
        },
    )
    assert response.status_code == 302 and response.url == reverse("demand:confirm")
    assert not LaunchEntry.objects.exists()  # nothing before the code
    done = client.post(reverse("demand:confirm"), {"code": code_in(outbox)}, follow=True)
    entry = LaunchEntry.objects.get()
    assert (entry.phone, entry.store, entry.result_text) == ("+972502345678", shop.haifa, True)
    assert entry.public_id in done.content.decode()
    mine = client.get(reverse("demand:mine")).content.decode()
    assert entry.public_id in mine


def test_enter_a_size_the_store_does_not_draw_is_refused_clearly(client, shop, launch):
    response = client.post(
        reverse("demand:launch", args=[launch.pk]),
        {
            "variant": shop.size_42.pk,
            "store": shop.jerusalem.pk,
            "phone": "050-234-5678",
            "language": "he",
        },
    )
    assert response.status_code in (200, 400)
    assert not LaunchEntry.objects.exists()


def test_result_page_after_the_draw_publishes_the_seed_and_the_order(client, shop, launch):
    from tests.factories import ConfirmedNumberFactory

    for i in range(3):
        services.launch_enter(
            launch=launch,
            store=shop.haifa,
            variant=shop.size_42,
            phone=str(ConfirmedNumberFactory().phone),
            client_ip=f"10.0.0.{i + 1}",
            result_text=False,
        )
    now = timezone.now()
    Launch.objects.filter(pk=launch.pk).update(
        closes_at=now - timedelta(seconds=2), draw_at=now - timedelta(seconds=1)
    )
    services.launch_draw(launch=launch.pk)
    group = launch.allocations.get()
    url = reverse("demand:launch_result", args=[launch.pk])
    page = client.get(f"{url}?group={group.pk}").content.decode()
    assert launch.seed in page
    codes = list(
        LaunchEntry.objects.filter(launch=launch)
        .order_by("rank")
        .values_list("public_id", flat=True)
    )
    positions = [page.index(code) for code in codes]
    assert positions == sorted(positions)
    # The whole published list recomputes from the seed alone, and shows no whole number.
    listing = client.get(reverse("demand:launch_result_list", args=[launch.pk]))
    lines = b"".join(listing.streaming_content).decode().splitlines()
    seed = lines[0].split()[-1]
    published = [line.split(",")[3] for line in lines[3:]]
    assert published == services.drawn_order(seed, published) == codes
    assert all("•" in line.split(",")[4] for line in lines[3:])


def test_staff_takes_a_lookalike_entry_out_and_draws_at_the_time(client, shop, launch, head_office):
    from tests.factories import ConfirmedNumberFactory

    entries = [
        services.launch_enter(
            launch=launch,
            store=shop.haifa,
            variant=shop.size_42,
            phone=str(ConfirmedNumberFactory().phone),
            client_ip="10.0.0.7",  # one connection: they look alike
            result_text=False,
        )
        for _ in range(2)
    ]
    page = client.get(reverse("launches:detail", args=[launch.pk])).content.decode()
    assert entries[0].public_id in page and entries[1].public_id in page
    client.post(reverse("launches:disqualify", args=[launch.pk, entries[0].pk]))
    assert LaunchEntry.objects.get(pk=entries[0].pk).status == LaunchEntry.Status.DISQUALIFIED
    early = client.post(reverse("launches:draw", args=[launch.pk]), follow=True)
    assert "עוד לא הגיע מועד ההגרלה" in early.content.decode()
    now = timezone.now()
    Launch.objects.filter(pk=launch.pk).update(
        closes_at=now - timedelta(seconds=2), draw_at=now - timedelta(seconds=1)
    )
    client.post(reverse("launches:draw", args=[launch.pk]))
    assert LaunchEntry.objects.get(pk=entries[1].pk).status == LaunchEntry.Status.WON


def test_admin_lists_launches_and_entries_and_cancels_a_launch(client, shop, launch):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:demand_launch_changelist")).status_code == 200
    assert client.get(reverse("admin:demand_launch_change", args=[launch.pk])).status_code == 200
    assert client.get(reverse("admin:demand_launchentry_changelist")).status_code == 200
    client.post(
        reverse("admin:demand_launch_changelist"),
        {"action": "cancel_launches", "_selected_action": [launch.pk]},
    )
    assert Launch.objects.get(pk=launch.pk).status == Launch.Status.CANCELLED
    assert StockLevel.objects.get(store=shop.haifa, variant=shop.size_42).reserved == 0


def test_launch_list_is_reached_by_head_office_and_not_by_a_salesperson(client, shop):
    client.force_login(staff_user("Head office", shop.tel_aviv))
    assert client.get(reverse("launches:list")).status_code == 200
    client.force_login(staff_user(ROLE_SALESPEOPLE, shop.tel_aviv))
    assert client.get(reverse("launches:list")).status_code == 403


def test_launch_entry_numbers_are_masked_for_staff_and_revealed_only_with_a_reason(
    client, shop, launch
):
    from notifications.models import PhoneReveal

    phone = "+972502345678"
    entry, _twin = (
        LaunchEntry.objects.create(
            launch=launch,
            public_id=f"code{i}",
            phone=number,
            store=shop.haifa,
            variant=shop.size_42,
            client_key="10.0.0.1",
        )
        for i, number in enumerate([phone, "+972523456789"])
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    reveal = reverse("notifications:phone_reveal", kwargs={"kind": "launchentry", "pk": entry.pk})
    detail = client.get(reverse("launches:detail", args=[launch.pk])).content.decode()
    admin = client.get(reverse("admin:demand_launchentry_changelist")).content.decode()
    for page in (detail, admin):  # the lookalike entries, and the admin's list
        assert phone not in page and "+97250•••••78" in page and reveal in page
    shown = client.post(reveal, {"reason": "to call about her pair"}).content.decode()
    assert f'href="tel:{phone}"' in shown
    assert PhoneReveal.objects.get().subject == f"demand.launchentry #{entry.pk}"
