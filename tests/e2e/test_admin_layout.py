"""The admin on a 1366 px laptop, in Hebrew: a product's pictures inline fits the screen,
and addresses and codes read left to right."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from catalog.models import ProductImage
from demo.images import Palette, sneaker_png
from tests.e2e.helpers import PASSWORD, log_in
from tests.factories import BrandFactory, ProductFactory, VariantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_product_admin_fits_a_laptop_and_codes_read_left_to_right(live_server, browser):
    product = ProductFactory(
        name="Cloud 5", brand=BrandFactory(name="On", slug="on"), style_code="59.98773"
    )
    VariantFactory(product=product, sku="59.98773-36")
    name = default_storage.save(
        "products/a-rather-long-file-name-for-a-product-picture-cloud-5-black-white.png",
        ContentFile(
            sneaker_png(
                palette=Palette("#1d1d1f", "#ffffff", "#f4f4f4"),
                kind="running",
                brand="On",
                model="Cloud 5",
            )
        ),
    )
    ProductImage.objects.create(product=product, image=name, alt_en="Cloud 5, side view")
    get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)

    page = log_in(
        browser,
        live_server.url,
        "boss",
        "/admin/",
        viewport={"width": 1366, "height": 800},
        has_touch=False,
    )
    page.goto(f"{live_server.url}/admin/catalog/product/{product.pk}/change/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    width = page.evaluate("document.documentElement.scrollWidth")
    inline = page.locator("#images-group").bounding_box()
    assert inline is not None
    assert width <= 1366 and inline["width"] <= 1366
    assert page.eval_on_selector("#id_style_code", "e => getComputedStyle(e).direction") == "ltr"
    assert page.eval_on_selector("#id_colourway_en", "e => getComputedStyle(e).direction") == "ltr"
