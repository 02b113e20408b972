"""The catalog in the admin: products with their sizes and pictures, found by any code."""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from catalog.models import Brand, Category, Product, ProductImage, ProductLine, Variant
from catalog.search import find
from demo.images import Palette, sneaker_png
from tests.factories import (
    BrandFactory,
    ProductFactory,
    ProductLineFactory,
    VariantFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

CATALOG_MODELS = [Brand, Category, ProductLine, Product, Variant]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def product():
    nike = BrandFactory(name="Nike", slug="nike")
    product = ProductFactory(
        name="Pegasus 41",
        brand=nike,
        line=ProductLineFactory(brand=nike, name="Pegasus", spellings="פגסוס"),
        style_code="FD2722-002",
    )
    VariantFactory(product=product, sku="FD2722-002-42", barcode="1966040000017")
    VariantFactory(product=product, sku="FD2722-002-43")
    name = default_storage.save(
        "products/pegasus-test.png",
        ContentFile(
            sneaker_png(
                palette=Palette("#1d1d1f", "#ffffff", "#f4f4f4"),
                kind="running",
                brand="Nike",
                model="Pegasus 41",
            )
        ),
    )
    ProductImage.objects.create(product=product, image=name, alt_en="Pegasus 41")
    return product


@pytest.mark.parametrize("model", CATALOG_MODELS, ids=lambda m: m._meta.model_name)
def test_catalog_admin_pages_load_for_a_superuser(admin_client, product, model):
    obj = model.objects.first()

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200


def test_catalog_admin_registers_every_catalog_model():
    registered = {m for m in admin.site._registry if m._meta.app_label == "catalog"}
    # Pictures are edited inline on their product.
    assert registered == {*CATALOG_MODELS}


def test_product_admin_lists_price_sizes_and_a_thumbnail(admin_client, product):
    response = admin_client.get(admin_url(Product, "changelist"))

    html = response.content.decode()
    assert "₪599.90" in html
    assert f'src="{product.images.get().image.url}"' in html
    assert response.context["cl"].result_list[0].size_count == 2


def test_product_admin_edits_sizes_and_pictures_inline(admin_client, product):
    response = admin_client.get(admin_url(Product, "change", product.pk))

    html = response.content.decode()
    assert 'name="variants-0-sku"' in html
    assert 'name="variants-0-barcode"' in html
    assert 'name="images-0-image"' in html
    assert f'src="{product.images.get().image.url}"' in html  # the preview


@pytest.mark.parametrize("query", ["FD2722-002-42", "1966040000017", "FD2722", "pegasus", "nike"])
def test_product_admin_search_finds_by_sku_barcode_style_name_and_brand(
    admin_client, product, query
):
    ProductFactory(name="Gel-Kayano 31", brand=BrandFactory(name="ASICS", slug="asics"))

    response = admin_client.get(admin_url(Product, "changelist"), {"q": query})

    assert list(response.context["cl"].result_list) == [product]


def test_variant_admin_search_finds_a_size_by_barcode(admin_client, product):
    response = admin_client.get(admin_url(Variant, "changelist"), {"q": "1966040000017"})

    assert [v.sku for v in response.context["cl"].result_list] == ["FD2722-002-42"]


def test_product_admin_filters_by_brand_category_gender_and_active(admin_client, product):
    other = ProductFactory(is_active=False, gender=Product.Gender.WOMEN)
    url = admin_url(Product, "changelist")

    by_brand = admin_client.get(url, {"brand__id__exact": product.brand_id})
    by_category = admin_client.get(url, {"category__id__exact": other.category_id})
    inactive = admin_client.get(url, {"is_active__exact": "0"})
    women = admin_client.get(url, {"gender__exact": "women"})

    assert list(by_brand.context["cl"].result_list) == [product]
    assert list(by_category.context["cl"].result_list) == [other]
    assert list(inactive.context["cl"].result_list) == [other]
    assert list(women.context["cl"].result_list) == [other]


def test_admin_header_names_the_importer_in_both_languages(admin_client):
    with translation.override("en"):
        english = admin_client.get(reverse("admin:index")).content.decode()
    hebrew = admin_client.get(reverse("admin:index")).content.decode()

    assert "Stock management – Sole Israel" in english
    assert "ניהול מלאי – סול ישראל" in hebrew


def test_catalog_editor_adds_a_spelling_to_a_model_line_and_search_finds_it(
    client, product, django_capture_on_commit_callbacks
):
    client.force_login(staff_user("Catalog editors"))
    line = product.line
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url(ProductLine, "change", line.pk),
            {"brand": line.brand_id, "name": "Pegasus", "spellings": "פגסוס\nפגאסוס"},
        )
    assert response.status_code == 302

    found = find(Product.objects.all(), "פגאסוס").products
    assert list(found) == [product]


def test_salesperson_sees_model_lines_but_may_not_change_them(client, product):
    client.force_login(staff_user("Salespeople"))
    line = product.line
    assert client.get(admin_url(ProductLine, "change", line.pk)).status_code == 200
    response = client.post(
        admin_url(ProductLine, "change", line.pk),
        {"brand": line.brand_id, "name": "Pegasus", "spellings": "x"},
    )
    assert response.status_code == 403
