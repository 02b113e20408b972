"""Refusals and missing pages in the site's layout and language; the favicon address."""

import pytest
from django.urls import reverse

from inventory.permissions import ROLE_STORE_MANAGERS
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_admin_403_store_manager_gets_a_hebrew_page_in_the_site_layout(client):
    manager = staff_user(ROLE_STORE_MANAGERS)
    client.force_login(manager)
    response = client.get("/admin/catalog/brand/add/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "הדף הזה לא פתוח לחשבון שלך" in page
    assert 'class="site-header"' in page and 'dir="rtl"' in page


def test_admin_403_in_english_under_en(client):
    client.force_login(staff_user(ROLE_STORE_MANAGERS))
    response = client.get("/en/admin/catalog/brand/add/")
    assert response.status_code == 403
    assert "This page is not open to your account" in response.content.decode()


def test_favicon_ico_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_admin_pages_load_the_left_to_right_field_styles(client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-12345678")
    client.force_login(admin)
    page = client.get(reverse("admin:catalog_product_add")).content.decode()
    assert "css/admin.css" in page


def test_variant_str_names_colourway_and_sku():
    from decimal import Decimal

    from tests.factories import ProductFactory, VariantFactory

    black = ProductFactory(
        name="Cloud 5", colourway_en="Black", colourway_he="שחור", style_code="59.98773"
    )
    white = ProductFactory(
        name="Cloud 5", colourway_en="White", colourway_he="לבן", style_code="59.98774"
    )
    a = VariantFactory(product=black, eu_size=Decimal("36"), sku="59.98773-36")
    b = VariantFactory(product=white, eu_size=Decimal("36"), sku="59.98774-36")
    assert str(a) != str(b)
    assert "59.98773-36" in str(a) and "EU 36" in str(a)
