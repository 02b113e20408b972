"""Stores, staff and stock the staff page tests set up, and the customer transfer several of
them start from."""

from decimal import Decimal

from inventory import services
from inventory.geo import city_by_slug
from inventory.models import StockLevel
from tests.factories import StoreFactory, staff_user


def store_in(slug: str, **kwargs):
    city = city_by_slug(slug)
    assert city is not None
    return StoreFactory(
        code=kwargs.pop("code", slug),
        name_en=kwargs.pop("name_en", city.name_en),
        name_he=kwargs.pop("name_he", city.name_he),
        city_en=city.name_en,
        city_he=city.name_he,
        latitude=Decimal(str(city.latitude)),
        longitude=Decimal(str(city.longitude)),
        **kwargs,
    )


def staff(role: str, home_store, username: str | None = None):
    return staff_user(role, home_store, **({"username": username} if username else {}))


def stock(store, variant, pairs: int) -> None:
    services.stock_receive(store=store, variant=variant, quantity=pairs)


def available(store, variant) -> int:
    level = StockLevel.objects.filter(store=store, variant=variant).first()
    return level.available if level else 0


def customer_transfer(shop, user):
    return services.transfer_request(
        variant=shop.size_42,
        from_store=shop.haifa,
        to_store=shop.tel_aviv,
        customer_name="Noa",
        customer_phone="0502345678",
        user=user,
    )
