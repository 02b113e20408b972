"""factory_boy factories shared by every test."""

import importlib
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Brand, Category, Product, ProductLine, Variant
from catalog.validators import ean13_check_digit
from inventory.models import Store


def ean13(n: int) -> str:
    body = f"729{n:09d}"
    return body + str(ean13_check_digit(body))


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_he = factory.Sequence(lambda n: f"קטגוריה {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine
        django_get_or_create = ("brand", "name")

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"Line {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    brand = factory.SubFactory(BrandFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Runner {n}")
    slug = factory.Sequence(lambda n: f"runner-{n}")
    style_code = factory.Sequence(lambda n: f"ST{n:05d}-001")
    colourway_he = "שחור/לבן"
    colourway_en = "Black/White"
    description_he = "נעל ריצה קלה"
    description_en = "A light running shoe"
    specs_he = 'משקל: 250 גרם\nדרופ: 10 מ"מ'
    specs_en = "Weight: 250 g\nDrop: 10 mm"
    price = Decimal("599.90")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    eu_size = factory.Sequence(lambda n: Decimal(36 + n % 12))
    us_label = "9"
    uk_label = "8"
    sku = factory.Sequence(lambda n: f"SKU-{n:07d}")
    barcode = factory.Sequence(lambda n: ean13(n))


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    code = factory.Sequence(lambda n: f"store-{n}")
    name_he = factory.Sequence(lambda n: f"סניף {n}")
    name_en = factory.Sequence(lambda n: f"Branch {n}")
    city_he = "תל אביב"
    city_en = "Tel Aviv"
    address_he = "דיזנגוף 50"
    address_en = "50 Dizengoff St"
    latitude = Decimal("32.0853")
    longitude = Decimal("34.7818")
    phone = "03-5551234"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class ReviewSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewSource"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Review site {n}")
    site = factory.Sequence(lambda n: f"https://reviews{n}.example.com/")
    country = "US"
    language = "en"
    kind = "magazine"


class ReviewLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewLink"

    product = factory.SubFactory(ProductFactory)
    source = factory.SubFactory(ReviewSourceFactory)
    url = factory.Sequence(lambda n: f"https://reviews.example.com/shoe-{n}/")
    title = factory.Sequence(lambda n: f"Review number {n}")
    language = "en"
    kind = "article"


class InboundShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.InboundShipment"

    reference = factory.Sequence(lambda n: f"PO-{n:05d}")
    supplier = "Sole Supply Ltd"
    store = factory.SubFactory(StoreFactory)
    expected_date = factory.LazyFunction(lambda: date.today() + timedelta(days=7))


class InboundShipmentLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.InboundShipmentLine"

    shipment = factory.SubFactory(InboundShipmentFactory)
    variant = factory.SubFactory(VariantFactory)
    quantity = 6


class TransferFactory(factory.django.DjangoModelFactory):
    """A transfer row as history (it moved no stock). Live transfers go through the services."""

    class Meta:
        model = "inventory.Transfer"

    variant = factory.SubFactory(VariantFactory)
    from_store = factory.SubFactory(StoreFactory)
    to_store = factory.SubFactory(StoreFactory)
    status = "received"


class HoldFactory(factory.django.DjangoModelFactory):
    """A hold row as history (dashboards, ratings). Live holds go through hold_place.

    For a waitlist entry (numbered 1, 2, ...) unless given a `transfer`."""

    class Meta:
        model = "inventory.Hold"

    store = factory.SubFactory(StoreFactory)
    variant = factory.SubFactory(VariantFactory)
    transfer = None
    purpose = factory.LazyAttribute(
        lambda hold: "waitlist" if hold.transfer is None else "transfer"
    )
    customer_phone = "+972501234567"
    language = "he"
    status = "collected"
    ended_at = factory.LazyFunction(timezone.now)


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.StaffProfile"

    user = factory.SubFactory(UserFactory, is_staff=True)
    home_store = factory.SubFactory(StoreFactory)


# The migrations that define the roles, in order: a transactional test empties every table,
# so a missing group is rebuilt by running them again.
ROLE_MIGRATIONS = [
    ("inventory.migrations.0003_staff_roles", "create_roles"),
    ("inventory.migrations.0004_salespeople_hand_over_holds", "grant"),
    ("inventory.migrations.0010_salespeople_dispatch_and_receive_transfers", "grant"),
    ("reviews.migrations.0003_review_roles", "grant"),
    ("catalog.migrations.0005_model_line_permissions", "grant"),
    ("notifications.migrations.0013_quick_answers_for_managers", "grant"),
    ("demand.migrations.0004_head_office_runs_launches", "grant"),
]


def role_group(name: str):
    """The role group the migrations create ("Salespeople", "Store managers", "Catalog editors",
    "Head office")."""
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.db import connection

    if not Group.objects.filter(name=name).exists():
        editor = SimpleNamespace(connection=connection)
        # The migrations toggle `models_module` on the app configs they are given.
        saved = {config.label: config.models_module for config in apps.get_app_configs()}
        try:
            for module, function in ROLE_MIGRATIONS:
                getattr(importlib.import_module(module), function)(apps, editor)
        finally:
            for config in apps.get_app_configs():
                config.models_module = saved[config.label]
    return Group.objects.get(name=name)


def staff_user(role: str, store: Store | None = None, **kwargs):
    """An active staff account in a role group, with `store` (a new one if not given) as its
    home store."""
    user = UserFactory.create(**{"is_staff": True, **kwargs})
    user.groups.add(role_group(role))
    StaffProfileFactory(user=user, home_store=store or StoreFactory())
    return user


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    """An active (confirmed) waitlist entry; numbers run +972502000000, +972502000001..."""

    class Meta:
        model = "demand.WaitlistEntry"

    phone = factory.Sequence(lambda n: f"+97250{2000000 + n:07d}")
    variant = factory.SubFactory(VariantFactory)
    store = factory.SubFactory(StoreFactory)
    language = "he"
    status = "active"
    activated_at = factory.LazyFunction(timezone.now)


class ConfirmedNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.ConfirmedNumber"
        django_get_or_create = ("phone",)

    phone = factory.Sequence(lambda n: f"+97252{2000000 + n:07d}")
    language = "he"
    confirmed_at = factory.LazyFunction(timezone.now)
    last_used_at = factory.LazyFunction(timezone.now)


def put_stock(store: Store, variant: Variant, *, on_hand: int, reserved: int = 0) -> None:
    """Stock a level the way the shop floor does: receive pairs, then set some aside, all
    through inventory.services (nothing else writes the counters)."""
    from inventory.services import stock_receive, stock_reserve

    if on_hand:
        stock_receive(store=store, variant=variant, quantity=on_hand, reference="test stock")
    if reserved:
        stock_reserve(store=store, variant=variant, quantity=reserved)
