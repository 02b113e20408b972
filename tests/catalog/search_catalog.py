"""A small catalogue shaped like the shop's, for the search tests: some names with the
spellings an editor entered, others with none (found by how they sound)."""

from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from catalog.models import Product
from tests.factories import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ProductLineFactory,
    StoreFactory,
    VariantFactory,
    put_stock,
)
from tests.storefront.helpers import days

MEN, WOMEN, UNISEX, KIDS = (
    Product.Gender.MEN,
    Product.Gender.WOMEN,
    Product.Gender.UNISEX,
    Product.Gender.KIDS,
)


def build() -> dict:
    nike = BrandFactory(name="Nike", slug="nike", spellings="נייקי, נייק")
    adidas = BrandFactory(name="adidas", slug="adidas")  # no spellings: found by sound
    saucony = BrandFactory(name="Saucony", slug="saucony")
    hoka = BrandFactory(name="HOKA", slug="hoka")
    new_balance = BrandFactory(name="New Balance", slug="new-balance")
    on = BrandFactory(name="On", slug="on")
    running = CategoryFactory(slug="running", name_he="ריצה", name_en="Running", position=1)
    trail = CategoryFactory(slug="trail", name_he="ריצת שטח", name_en="Trail running", position=2)
    lifestyle = CategoryFactory(slug="lifestyle", name_he="לייפסטייל", name_en="Lifestyle")
    kids = CategoryFactory(slug="kids", name_he="ילדים", name_en="Kids", position=6)
    pegasus = ProductLineFactory(brand=nike, name="Pegasus", spellings="פגסוס, פגאסוס")
    clifton = ProductLineFactory(brand=hoka, name="Clifton")  # no spellings
    asics = BrandFactory(name="ASICS", slug="asics")
    kayano = ProductLineFactory(brand=asics, name="Gel-Kayano", spellings="קאיאנו")

    def product(brand, name, category, gender, *, line=None, age=10, colour=("Black", "שחור")):
        return ProductFactory(
            brand=brand,
            line=line,
            name=name,
            slug=slugify(f"{brand.slug} {name}"),
            category=category,
            gender=gender,
            colourway_en=colour[0],
            colourway_he=colour[1],
            release_date=days(-age),
        )

    made = {
        "pegasus": product(nike, "Pegasus 41", running, MEN, line=pegasus, age=30),
        "pegasus_trail": product(nike, "Pegasus Trail 5", trail, MEN, line=pegasus, age=5),
        "vomero": product(nike, "Vomero 18", running, WOMEN, age=1, colour=("Sail", "שמנת")),
        "revolution": product(nike, "Revolution 7 (GS)", kids, KIDS, age=3),
        "samba": product(adidas, "Samba OG", lifestyle, UNISEX, colour=("White", "לבן")),
        "ultraboost": product(adidas, "Ultraboost 5", running, WOMEN),
        "ride": product(saucony, "Ride 17", running, WOMEN),
        "clifton": product(hoka, "Clifton 9", running, MEN, line=clifton),
        "clifton_youth": product(hoka, "Clifton 9 Youth", kids, KIDS, line=clifton),
        "nb9060": product(new_balance, "9060", lifestyle, UNISEX),
        "cloudmonster": product(on, "Cloudmonster 2", running, MEN),
        "kayano": product(asics, "Gel-Kayano 31", running, MEN, line=kayano),
    }
    store: Any = StoreFactory(code="tlv", name_en="Dizengoff")
    made["samba"].style_code = "B75806"
    made["samba"].save()
    for key, size in (("pegasus", "42"), ("pegasus_trail", "43"), ("samba", "40.5")):
        variant: Any = VariantFactory(product=made[key], eu_size=Decimal(size))
        put_stock(store, variant, on_hand=2)
    VariantFactory(product=made["pegasus"], eu_size=Decimal("44"))  # made, none in stock
    return {**made, "store": store, "running": running, "kids": kids, "nike": nike, "on": on}
