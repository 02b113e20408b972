"""Staff pages: stock finder, transfer requests and queues, holds desk — through the browser's
requests, with each role's permissions enforced on the server."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from inventory import services
from inventory.geo import city_by_slug
from inventory.models import Hold, StockLevel, Transfer
from inventory.permissions import ROLE_SALESPEOPLE, ROLE_STORE_MANAGERS
from tests.factories import (
    ProductFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def store_in(slug: str, **kwargs):
    city = city_by_slug(slug)
    assert city is not None
    return StoreFactory(
        code=kwargs.pop("code", slug), name_en=kwargs.pop("name_en", city.name_en),
        name_he=kwargs.pop("name_he", city.name_he), city_en=city.name_en, city_he=city.name_he,
        latitude=Decimal(str(city.latitude)), longitude=Decimal(str(city.longitude)), **kwargs,
    )


def staff(role: str, home_store, username: str | None = None):
    return staff_user(role, home_store, **({"username": username} if username else {}))


def stock(store, variant, pairs: int) -> None:
    services.stock_receive(store=store, variant=variant, quantity=pairs)


def available(store, variant) -> int:
    level = StockLevel.objects.filter(store=store, variant=variant).first()
    return level.available if level else 0


@pytest.fixture
def shop():
    """Tel Aviv (the salesperson's store), Haifa, Jerusalem, the warehouse; one shoe, two sizes."""
    tel_aviv, haifa, jerusalem = store_in("tel-aviv"), store_in("haifa"), store_in("jerusalem")
    warehouse = store_in("rishon-lezion", code="warehouse", name_en="Central warehouse",
                         name_he="מחסן מרכזי", is_warehouse=True)
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size_42 = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    size_43 = VariantFactory(product=product, eu_size=Decimal("43"), sku="FD2722-002-43")
    stock(haifa, size_42, 2)
    stock(jerusalem, size_42, 1)
    stock(warehouse, size_43, 30)

    class Shop:
        pass

    s = Shop()
    s.tel_aviv, s.haifa, s.jerusalem, s.warehouse = tel_aviv, haifa, jerusalem, warehouse
    s.product, s.size_42, s.size_43 = product, size_42, size_43
    return s


@pytest.fixture
def salesperson(shop):
    return staff(ROLE_SALESPEOPLE, shop.tel_aviv, "dana")


@pytest.fixture
def haifa_manager(shop):
    return staff(ROLE_STORE_MANAGERS, shop.haifa, "haifa_boss")


@pytest.fixture
def tel_aviv_manager(shop):
    return staff(ROLE_STORE_MANAGERS, shop.tel_aviv, "tlv_boss")


def request_transfer(client, shop, follow=False, **fields):
    data = {"variant": shop.size_42.sku, "from_store": shop.haifa.pk,
            "to_store": shop.tel_aviv.pk, "quantity": 1, "customer_language": "he",
            "customer_name": "", "customer_phone": "", "note": ""}
    data.update(fields)
    return client.post(reverse("inventory:transfer_request"), data, follow=follow)


def customer_transfer(shop, user):
    return services.transfer_request(
        variant=shop.size_42, from_store=shop.haifa, to_store=shop.tel_aviv,
        customer_name="Noa", customer_phone="0502345678", user=user,
    )


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["finder", "transfers", "transfers_incoming",
                                  "transfers_history", "holds", "transfer_request"])
def test_staff_pages_anonymous_is_sent_to_login(client, name):
    url = reverse(f"inventory:{name}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=" in response["Location"]


def test_staff_pages_non_staff_is_sent_to_login(client, shop):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse("inventory:finder"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_pages_staff_without_a_role_is_refused(client, shop):
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/en/staff/")
    assert response.status_code == 403
    assert "stock finder" in response.content.decode()


def test_staff_pages_english_under_en_prefix(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/en/staff/", {"q": "pegasus"})
    assert response.status_code == 200
    assert "Stock finder" in response.content.decode()
    hebrew = client.get("/staff/", {"q": "pegasus"})
    assert 'dir="rtl"' in hebrew.content.decode()


# --- finder ---------------------------------------------------------------------------------


def store_order(response) -> list[str]:
    grid = response.context["result"].products[0]
    return [row.store.store.code for row in grid.rows]


def test_finder_by_name_lists_home_store_first_then_nearest(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": "pegasus"})
    assert response.status_code == 200
    with translation.override("he"):  # "81 ק״מ" once the catalog is compiled
        km = translation.gettext("%(km)s km") % {"km": 81}
    assert f'<span class="distance">{km}</span>' in response.content.decode()
    response = client.get("/en/staff/", {"q": "pegasus"})
    # Tel Aviv → warehouse (Rishon, 13 km) → Jerusalem (54 km) → Haifa (81 km)
    assert store_order(response) == ["tel-aviv", "warehouse", "jerusalem", "haifa"]
    assert response.context["destination"] == shop.tel_aviv
    html = response.content.decode()
    assert "Pegasus 41" in html
    assert '<span class="distance">81 km</span>' in html  # Haifa, from Tel Aviv


def test_finder_by_sku_and_barcode_marks_that_size(client, salesperson, shop):
    client.force_login(salesperson)
    for query in (shop.size_43.sku, shop.size_43.barcode):
        response = client.get("/en/staff/", {"q": query})
        result = response.context["result"]
        assert result.exact == shop.size_43
        assert f'id="size-{shop.size_43.pk}" class="is-match"' in response.content.decode()


def test_finder_from_a_customers_city_sends_to_the_nearest_store(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": "pegasus", "city": "nahariya"})
    assert store_order(response) == ["haifa", "tel-aviv", "warehouse", "jerusalem"]
    assert response.context["destination"] == shop.haifa
    html = response.content.decode()
    # Haifa is now the destination: its own pairs are not offered as a transfer...
    assert f"from_store={shop.haifa.pk}&amp;to_store" not in html
    # ...Jerusalem's pair is, to Haifa, with the city kept for the way back.
    assert (f"?variant={shop.size_42.pk}&amp;from_store={shop.jerusalem.pk}"
            f"&amp;to_store={shop.haifa.pk}&amp;city=nahariya") in html


def test_finder_chosen_destination_wins(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": "pegasus", "to": shop.jerusalem.pk})
    assert response.context["destination"] == shop.jerusalem


def test_finder_marks_the_warehouse_and_offers_its_pairs(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get("/en/staff/", {"q": "pegasus"})
    html = response.content.decode()
    assert 'data-store="warehouse"' in html
    assert "badge--warehouse" in html and "Warehouse" in html
    assert (f"?variant={shop.size_43.pk}&amp;from_store={shop.warehouse.pk}"
            f"&amp;to_store={shop.tel_aviv.pk}") in html
    # The warehouse is never a destination for a customer.
    assert f'<option value="{shop.warehouse.pk}"' not in html


def test_finder_shows_available_not_on_hand(client, salesperson, shop):
    services.stock_reserve(store=shop.haifa, variant=shop.size_42, quantity=1)
    client.force_login(salesperson)
    response = client.get(reverse("inventory:finder"), {"q": shop.size_42.sku})
    haifa = next(r for r in response.context["result"].products[0].rows
                 if r.store.store == shop.haifa)
    assert (haifa.cells[0].available, haifa.cells[0].reserved) == (1, 1)


def test_finder_nothing_found_says_so(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/en/staff/", {"q": "nonexistent-model"})
    assert "Nothing matches" in response.content.decode()


def _finder_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("inventory:finder"), {"q": "bound runner"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_stores(count: int, variants) -> None:
    for n in range(count):
        store = StoreFactory(latitude=Decimal("31") + Decimal(n) / 20)
        stock(store, variants[n % len(variants)], n + 1)


def test_finder_query_count_same_for_3_and_30_stores(client, db):
    user = staff(ROLE_SALESPEOPLE, StoreFactory())
    client.force_login(user)
    product = ProductFactory(name="Bound Runner")
    sizes = [VariantFactory(product=product, eu_size=Decimal(36 + n)) for n in range(2)]
    _add_stores(2, sizes)  # with the home store: 3
    few = _finder_queries(client)

    sizes += [VariantFactory(product=product, eu_size=Decimal(38 + n)) for n in range(10)]
    _add_stores(27, sizes)
    many = _finder_queries(client)

    assert few == many
    assert many <= 12


# --- transfer request -----------------------------------------------------------------------


def test_transfer_request_page_is_prefilled_from_the_finder(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.get(reverse("inventory:transfer_request"), {
        "variant": shop.size_42.pk, "from_store": shop.haifa.pk, "to_store": shop.tel_aviv.pk,
    })
    form = response.context["form"]
    assert form.initial["variant"] == shop.size_42.sku
    assert form.initial["from_store"] == shop.haifa.pk
    assert form.initial["to_store"] == shop.tel_aviv.pk
    assert response.context["source_stock"]["available"] == 2


def test_transfer_request_for_a_customer_reserves_and_shows_the_transfer(client, salesperson,
                                                                         shop):
    client.force_login(salesperson)
    response = request_transfer(client, shop, customer_name="Noa Levi",
                                customer_phone="050-234-5678", customer_language="en",
                                note="Call after 5", follow=True)
    transfer = Transfer.objects.get()
    assert response.redirect_chain[-1][0] == reverse("inventory:transfer_detail",
                                                     args=[transfer.pk])
    assert transfer.customer_phone == "+972502345678"
    assert transfer.requested_by == salesperson
    assert available(shop.haifa, shop.size_42) == 1
    html = response.content.decode()
    assert f"#{transfer.pk}" in html and "Noa Levi" in html
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


@pytest.mark.parametrize("fields, field, fragment", [
    ({"customer_name": "Noa", "customer_phone": "12345"}, "customer_phone", "not a valid"),
    ({"customer_name": "Noa", "customer_phone": "03-5551234"}, "customer_phone", "not a mobile"),
    ({"customer_name": "Noa"}, "customer_phone", "mobile number"),
    ({"to_store": "HAIFA"}, "to_store", "different"),
    ({"customer_phone": "0502345678", "quantity": 2}, "quantity", "one pair"),
    ({"variant": "NO-SUCH-SKU"}, "variant", "No size"),
])
def test_transfer_request_refusals_are_shown_on_the_form(client, salesperson, shop, fields, field,
                                                         fragment):
    if fields.get("to_store") == "HAIFA":
        fields["to_store"] = shop.haifa.pk
    client.force_login(salesperson)
    response = client.get("/en/")  # activate English for the messages below
    response = client.post("/en/staff/transfers/new/", {
        "variant": shop.size_42.sku, "from_store": shop.haifa.pk, "to_store": shop.tel_aviv.pk,
        "quantity": 1, "customer_language": "he", **fields,
    })
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert fragment in errors
    assert fragment in response.content.decode().replace("&#x27;", "'")
    assert not Transfer.objects.exists()
    assert available(shop.haifa, shop.size_42) == 2


def test_transfer_request_not_enough_stock_is_a_clear_error(client, salesperson, shop):
    client.force_login(salesperson)
    response = client.post("/en/staff/transfers/new/", {
        "variant": shop.size_42.sku, "from_store": shop.haifa.pk, "to_store": shop.tel_aviv.pk,
        "quantity": 3, "customer_language": "he",
    })
    assert response.status_code == 200
    assert "Not enough stock" in " ".join(response.context["form"].non_field_errors())
    assert "Not enough stock" in response.content.decode()
    assert not Transfer.objects.exists()


def test_transfer_request_refused_to_a_role_without_it(client, shop, haifa_manager):
    client.force_login(UserFactory(is_staff=True))
    response = request_transfer(client, shop)
    assert response.status_code == 403
    assert not Transfer.objects.exists()


# --- queues and actions ---------------------------------------------------------------------


def test_queue_to_dispatch_lists_requests_from_the_managers_store(client, salesperson,
                                                                  haifa_manager, shop):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(haifa_manager)
    response = client.get(reverse("inventory:transfers"))
    rows = response.context["rows"]
    assert [r.transfer for r in rows] == [transfer]
    assert rows[0].can_dispatch and rows[0].can_cancel and not rows[0].can_receive
    assert reverse("inventory:transfer_dispatch", args=[transfer.pk]) in response.content.decode()


def test_salesperson_sees_no_dispatch_button_and_cannot_dispatch(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(salesperson)
    detail = client.get(reverse("inventory:transfer_detail", args=[transfer.pk]))
    assert reverse("inventory:transfer_dispatch", args=[transfer.pk]) \
        not in detail.content.decode()
    response = client.post(reverse("inventory:transfer_dispatch", args=[transfer.pk]))
    assert response.status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED


def test_manager_of_another_store_cannot_dispatch(client, salesperson, tel_aviv_manager, shop):
    transfer = customer_transfer(shop, salesperson)  # from Haifa
    client.force_login(tel_aviv_manager)
    response = client.post(f"/en/staff/transfers/{transfer.pk}/dispatch/")
    assert response.status_code == 403
    assert "Only a manager of Haifa can dispatch" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED


def test_dispatch_then_receive_through_the_pages_holds_the_pair(client, salesperson,
                                                                haifa_manager, tel_aviv_manager,
                                                                shop):
    transfer = customer_transfer(shop, salesperson)
    expected = timezone.localdate() + timedelta(days=3)

    client.force_login(haifa_manager)
    response = client.post(reverse("inventory:transfer_dispatch", args=[transfer.pk]),
                           {"expected_date": expected.isoformat(),
                            "next": reverse("inventory:transfers")})
    assert response.status_code == 302 and response["Location"] == reverse("inventory:transfers")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.expected_date) == (Transfer.Status.DISPATCHED, expected)
    assert transfer.dispatched_by == haifa_manager

    # Haifa's manager may not receive it in Tel Aviv.
    response = client.post(reverse("inventory:transfer_receive", args=[transfer.pk]))
    assert response.status_code == 403

    client.force_login(tel_aviv_manager)
    incoming = client.get(reverse("inventory:transfers_incoming"))
    rows = incoming.context["rows"]
    assert [r.transfer for r in rows] == [transfer] and rows[0].can_receive
    assert expected.strftime("%-d/%-m") in incoming.content.decode()

    response = client.post(reverse("inventory:transfer_receive", args=[transfer.pk]), follow=True)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED and transfer.received_by == tel_aviv_manager
    assert Hold.objects.get(transfer=transfer).status == Hold.Status.ACTIVE
    html = response.content.decode()
    assert "tlv_boss" in html and "haifa_boss" in html and "dana" in html  # the timeline

    history = client.get(reverse("inventory:transfers_history"))
    assert [r.transfer for r in history.context["rows"]] == [transfer]


def test_dispatch_with_a_past_date_is_refused_with_a_message(client, salesperson, haifa_manager,
                                                             shop):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(haifa_manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(f"/en/staff/transfers/{transfer.pk}/dispatch/",
                           {"expected_date": yesterday.isoformat()}, follow=True)
    assert "cannot be in the past" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED


def test_receive_twice_is_a_clear_message_not_a_500(client, salesperson, haifa_manager,
                                                    tel_aviv_manager, shop):
    transfer = customer_transfer(shop, salesperson)
    services.transfer_dispatch(transfer=transfer, user=haifa_manager)
    services.transfer_receive(transfer=transfer, user=tel_aviv_manager)
    client.force_login(tel_aviv_manager)
    response = client.post(f"/en/staff/transfers/{transfer.pk}/receive/", follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_requester_can_cancel_and_the_pair_goes_back_on_sale(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    assert available(shop.haifa, shop.size_42) == 1
    client.force_login(salesperson)
    response = client.post(reverse("inventory:transfer_cancel", args=[transfer.pk]))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED and transfer.cancelled_by == salesperson
    assert available(shop.haifa, shop.size_42) == 2


def test_someone_elses_salesperson_cannot_cancel(client, salesperson, shop):
    transfer = customer_transfer(shop, salesperson)
    other = staff(ROLE_SALESPEOPLE, shop.jerusalem)
    client.force_login(other)
    assert client.post(reverse("inventory:transfer_cancel", args=[transfer.pk])).status_code == 403
    assert client.get(reverse("inventory:transfer_detail", args=[transfer.pk])).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED


def test_transfer_actions_need_post(client, salesperson, haifa_manager, shop):
    transfer = customer_transfer(shop, salesperson)
    client.force_login(haifa_manager)
    response = client.get(reverse("inventory:transfer_dispatch", args=[transfer.pk]))
    assert response.status_code == 405


# --- holds desk -----------------------------------------------------------------------------


def place_hold(store, variant, entry: int, name: str, hours_left: float | None):
    """A hold for waitlist entry number `entry`, its clock started `hours_left` before it runs
    out (None: not started)."""
    stock(store, variant, 1)
    hold = services.hold_place(store=store, variant=variant, waitlist_entry_id=entry,
                               customer_name=name, customer_phone="+972502345678")
    if hours_left is not None:
        at = timezone.now() - settings.HOLD_DURATION + timedelta(hours=hours_left)
        services.hold_start_clock(hold=hold, at=at)
    hold.refresh_from_db()
    return hold


def test_holds_desk_lists_active_holds_soonest_first_with_time_left(client, tel_aviv_manager,
                                                                     shop):
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
    assert by_name["Hurry"].time_left.startswith("1\xa0hour") \
        or by_name["Hurry"].time_left.startswith("2\xa0hours")
    assert not by_name["Relaxed"].urgent
    html = response.content.decode()
    assert "Lapsed" in html and "staff-card--urgent" in html and "staff-card--lapsed" in html
    assert "+972502345678" in html  # staff of this store see the whole number
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
    head_office.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_all_stores", "view_hold", "view_transfer", "view_stocklevel"]))
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
