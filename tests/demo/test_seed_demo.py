"""`seed_demo` loads a believable store, and running it again changes nothing.

Seeding takes a few seconds, so the module seeds once (in a transaction rolled back at the
end) and each test reads that data inside its own savepoint.
"""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone, translation

from catalog.models import Brand, Product, ProductImage, Variant
from catalog.validators import validate_ean13
from inventory.models import (
    InboundShipment,
    StaffProfile,
    StockLevel,
    StockMovement,
    Store,
)
from inventory.selectors import stores_other_hours


def table_counts() -> dict[str, object]:
    return {
        "stores": Store.objects.count(),
        "brands": Brand.objects.count(),
        "products": Product.objects.count(),
        "variants": Variant.objects.count(),
        "images": ProductImage.objects.count(),
        "levels": StockLevel.objects.count(),
        "movements": StockMovement.objects.count(),
        "pairs": StockLevel.objects.aggregate(pairs=Sum("on_hand"))["pairs"],
        "shipments": InboundShipment.objects.count(),
        "shipment_lines": InboundShipment.objects.aggregate(n=Count("lines"))["n"],
        "users": get_user_model().objects.count(),
        "profiles": StaffProfile.objects.count(),
    }


class Seeded:
    output: str


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        result = Seeded()
        result.output = out.getvalue()
        yield result
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("seeded")


@pytest.mark.django_db
def test_seed_demo_second_run_changes_nothing():
    before = table_counts()
    levels = dict(StockLevel.objects.values_list("pk", "on_hand"))

    out = io.StringIO()
    call_command("seed_demo", quiet=True, stdout=out)

    assert table_counts() == before
    assert dict(StockLevel.objects.values_list("pk", "on_hand")) == levels
    assert out.getvalue() == ""  # --quiet


@pytest.mark.django_db
def test_seed_demo_opens_stores_across_israel_and_one_warehouse():
    shops = Store.objects.for_customers()
    assert shops.count() >= 10
    assert Store.objects.filter(is_warehouse=True).count() == 1
    cities = set(shops.values_list("city_en", flat=True))
    assert {"Tel Aviv-Yafo", "Jerusalem", "Haifa", "Be'er Sheva", "Eilat"} <= cities
    for store in Store.objects.all():
        # Inside Israel, from Eilat to the Galilee.
        assert Decimal("29.4") < store.latitude < Decimal("33.4")
        assert Decimal("34.2") < store.longitude < Decimal("35.9")
        assert store.phone[:3] in {"02-", "03-", "04-", "08-", "09-"}
        assert store.name_he and store.address_he and store.opening_hours_he
        assert store.name_en and store.address_en and "Sun–Thu" in store.opening_hours_en
    # The stores page has dates with other hours to show, whatever the day of the seed.
    with translation.override("en"):
        cards = {c.store.code: c.days for c in stores_other_hours(shops, timezone.localdate())}
    assert any(day.label == "Stock count in the morning" for day in cards["tlv"])
    assert any(day.label == "Closed for renovation" and not day.is_open for day in cards["hfa"])


@pytest.mark.django_db
def test_seed_demo_fills_a_catalog_with_sizes_barcodes_and_texts():
    assert Brand.objects.count() >= 6
    products = Product.objects.all()
    assert products.count() >= 40
    assert set(products.values_list("category__slug", flat=True)) >= {
        "running",
        "basketball",
        "lifestyle",
        "trail",
        "training",
        "kids",
    }
    for product in products:
        assert Decimal("349") <= product.price <= Decimal("999")
        assert product.description_he and product.description_en and product.release_date
        assert product.colourway_he and product.colourway_en
        assert len(product.specs_he.splitlines()) >= 4
        assert all(": " in line for line in product.specs_en.splitlines())
    adult_sizes = {
        int(eu)
        for eu in Variant.objects.exclude(product__gender="kids").values_list("eu_size", flat=True)
    }
    assert set(range(36, 48)) <= adult_sizes
    for variant in Variant.objects.all():
        validate_ean13(variant.barcode)
        assert variant.us_label and variant.uk_label


@pytest.mark.django_db
def test_seed_demo_draws_a_picture_for_every_product():
    products = Product.objects.annotate(n=Count("images"))
    assert not products.filter(n=0).exists()
    image = ProductImage.objects.select_related("product").first()
    assert image.alt_he and image.alt_en
    with default_storage.open(image.image.name) as picture:
        assert picture.read(8) == b"\x89PNG\r\n\x1a\n"
    assert all(
        default_storage.exists(name)
        for name in ProductImage.objects.values_list("image", flat=True)
    )


@pytest.mark.django_db
def test_seed_demo_stock_is_uneven_across_stores():
    shops = list(Store.objects.for_customers().values_list("pk", flat=True))
    available = defaultdict(dict)
    for level in StockLevel.objects.filter(store__in=shops):
        available[level.variant_id][level.store_id] = level.available
    # Some sizes are on the shelf in one branch and missing in another...
    patchy = [
        v
        for v, by_store in available.items()
        if any(q > 0 for q in by_store.values())
        and sum(q > 0 for q in by_store.values()) < len(shops)
    ]
    assert len(patchy) > 100
    # Some gaps are fresh: the last pair sold, the level kept at zero.
    assert StockLevel.objects.filter(store__in=shops, on_hand=0).count() > 50
    # ...a few are out everywhere, warehouse included...
    stocked = set(StockLevel.objects.filter(on_hand__gt=0).values_list("variant_id", flat=True))
    out_everywhere = Variant.objects.exclude(pk__in=stocked)
    assert 3 <= out_everywhere.count() <= 20
    # ...and the warehouse holds deeper stock than a branch.
    warehouse = StockLevel.objects.filter(store__is_warehouse=True).aggregate(s=Sum("on_hand"))
    biggest_shop = max(
        StockLevel.objects.filter(store=s).aggregate(s=Sum("on_hand"))["s"] for s in shops
    )
    assert warehouse["s"] > 2 * biggest_shop
    # Popular sizes are stocked more deeply than the edges of the range.
    middle = StockLevel.objects.filter(store__in=shops, variant__eu_size__in=[41, 42, 43])
    edges = StockLevel.objects.filter(store__in=shops, variant__eu_size__in=[36, 47])
    assert (
        middle.aggregate(s=Sum("on_hand"))["s"] / middle.count()
        > edges.aggregate(s=Sum("on_hand"))["s"] / edges.count()
    )


@pytest.mark.django_db
def test_seed_demo_ledger_adds_up_to_every_level():
    ledger = {
        (row["store_id"], row["variant_id"]): row["total"]
        for row in StockMovement.objects.values("store_id", "variant_id").annotate(
            total=Sum("delta")
        )
    }
    levels = StockLevel.objects.all()
    assert levels.exists()
    for level in levels:
        assert ledger.get((level.store_id, level.variant_id), 0) == level.on_hand
    assert StockMovement.objects.filter(reference="seed", reason="receipt").exists()
    assert StockMovement.objects.filter(reason="sale").exists()


@pytest.mark.django_db
def test_seed_demo_expects_shipments_for_sizes_that_are_out():
    shipments = InboundShipment.objects.filter(status__in=InboundShipment.OPEN_STATUSES)
    assert shipments.filter(store__is_warehouse=True).exists()
    assert shipments.filter(store__is_warehouse=False).exists()
    for shipment in shipments:
        assert shipment.expected_date > shipment.created_at.date()
        lines = list(shipment.lines.all())
        assert lines
        on_shelf = dict(
            StockLevel.objects.filter(store=shipment.store).values_list("variant_id", "on_hand")
        )
        assert all(on_shelf.get(line.variant_id, 0) == 0 for line in lines)


@pytest.mark.django_db
def test_seed_demo_creates_staff_logins_that_work(client, seeded):
    assert "admin" in seeded.output and "sneakers-demo" in seeded.output
    assert "sales-tlv" in seeded.output
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert client.login(username="admin", password="sneakers-demo")
    shops = Store.objects.for_customers()
    for store in shops:
        sales = get_user_model().objects.get(username=f"sales-{store.code}")
        assert sales.staff_profile.home_store == store
        assert sales.groups.filter(name="Salespeople").exists()
        manager = get_user_model().objects.get(username=f"manager-{store.code}")
        assert manager.groups.filter(name="Store managers").exists()
    assert client.login(username="sales-tlv", password="sneakers-demo")
    editor = get_user_model().objects.get(username="catalog-editor")
    assert editor.groups.filter(name="Catalog editors").exists()


def test_seed_demo_logins_only_prints_the_logins():
    out = io.StringIO()
    call_command("seed_demo", logins_only=True, stdout=out)
    assert "admin" in out.getvalue() and "manager-tlv" in out.getvalue()


def test_seed_demo_never_offers_the_public_password_under_production_settings(settings):
    settings.SETTINGS_MODULE = "config.settings.production"
    out = io.StringIO()
    call_command("seed_demo", logins_only=True, stdout=out)
    assert "sneakers-demo" not in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_invents_no_customers_when_texts_reach_real_phones(settings):
    from demand.models import WaitlistEntry

    WaitlistEntry.objects.all().delete()
    settings.SMS_BACKEND = "notifications.backends.twilio.TwilioBackend"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert WaitlistEntry.objects.count() == 0
    assert "No demo customers" in out.getvalue()


def test_seed_demo_sent_texts_carry_their_real_words():
    from notifications.models import Message

    held = Message.objects.filter(idempotency_key__startswith="demo-hold:")
    assert held.exists()
    assert not held.filter(body__in=["", "…"]).exists()
    text = held.filter(language="he").first()
    assert text is not None and text.hold is not None
    assert text.hold.variant.product.name in text.body and "http" in text.body  # its link


@pytest.mark.django_db
def test_seed_demo_shows_pick_up_planning_at_a_branch():
    from inventory.models import Hold, StoreHours

    tlv = Store.objects.get(code="tlv")
    assert tlv.pickup_reminder
    assert StoreHours.objects.filter(store=tlv).count() == 7  # malls open on Saturday night
    assert not StoreHours.objects.filter(
        store__code="wh", weekday=StoreHours.Weekday.SATURDAY
    ).exists()
    held = Hold.objects.filter(store=tlv, status=Hold.Status.ACTIVE)
    assert held.count() >= 5
    assert held.filter(extended_at__isnull=False).count() == 1
    # The times chosen are inside the branch's hours (none may be left late at night).
    for hold in held.filter(pickup_at__isnull=False):
        local = timezone.localtime(hold.pickup_at)
        hours = StoreHours.objects.get(store=tlv, weekday=StoreHours.weekday_of(local.date()))
        assert hours.opens <= local.time() < hours.closes


def test_seed_demo_history_ends_before_now():
    """Nothing the demo made up happened after the moment it ran: the holds desk and the
    dashboard never show a hold that ended, a text that went or a rating given tomorrow."""
    from demand.models import WaitlistEntry
    from inventory.models import Hold
    from notifications.models import Message
    from reviews.models import Rating, ReviewLink

    now = timezone.now()
    assert not Hold.objects.filter(ended_at__gt=now).exists()
    assert not Hold.objects.filter(created_at__gt=now).exists()
    assert not WaitlistEntry.objects.filter(ended_at__gt=now).exists()
    assert not WaitlistEntry.objects.filter(created_at__gt=now).exists()
    assert not Message.objects.filter(sent_at__gt=now).exists()
    assert not Message.objects.filter(delivered_at__gt=now).exists()
    assert not Rating.objects.filter(created_at__gt=now).exists()
    assert not ReviewLink.objects.filter(published_on__gt=timezone.localdate()).exists()


@pytest.mark.django_db
def test_seed_demo_puts_one_answered_and_one_waiting_reply_in_the_dizengoff_inbox():
    from notifications.models import Conversation

    statuses = sorted(Conversation.objects.values_list("status", flat=True))
    assert statuses == ["answered", "waiting"]
    answered = Conversation.objects.get(status="answered").messages.get(direction="in")
    assert answered.response_seconds is not None
