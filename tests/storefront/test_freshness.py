"""Cached pages are never stale: each write that moves a number a customer sees shows on the very
next request. These tests commit for real (transaction=True), so the versions move as they do in
production, after commit, in the shared cache the settings name (Redis in CI).
"""

import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inventory import services
from inventory.models import Hold
from inventory.tills import till_token_create
from reviews.models import SiteFeedback
from storefront.pages import page as kept_page
from tests.factories import (
    ProductFactory,
    ReviewLinkFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    put_stock,
)
from tests.storefront.helpers import en, text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop():
    product = ProductFactory(name="Pegasus 41", slug="pegasus-41", price=Decimal("599.90"))
    variant = VariantFactory(product=product, eu_size=Decimal("42"))
    tlv = StoreFactory(name_en="Dizengoff", code="tlv")
    jlm = StoreFactory(name_en="Malha", code="jlm")
    put_stock(tlv, variant, on_hand=3)
    return product, variant, tlv, jlm


def store_row(product, variant, store_name: str) -> str:
    """What a new visitor's product page says about `variant` at `store_name` (size open)."""
    url = en("storefront:product", kwargs={"slug": product.slug})
    html = Client().get(url, {"size": variant.size_label}).content.decode()
    for item in re.findall(r'<li class="shop[^"]*">(.*?)</li>', html, re.S):
        if store_name in item:
            return text(item)
    raise AssertionError(f"{store_name} is not listed")


def page(path: str) -> str:
    return text(Client().get(path).content.decode())


def test_a_till_sale_shows_on_the_next_request(shop):
    product, variant, tlv, _jlm = shop
    assert "3 pairs" in store_row(product, variant, "Dizengoff")
    _token, key = till_token_create(store=tlv, name="Till 1")

    response = Client(headers={"authorization": f"Bearer {key}"}).post(
        "/api/v1/movements",
        content_type="application/json",
        data=json.dumps(
            {"lines": [{"type": "sale", "sku": variant.sku, "quantity": 1, "reference": "S-1"}]}
        ),
    )

    assert response.status_code == 200
    assert "2 pairs" in store_row(product, variant, "Dizengoff")


def test_a_sale_of_the_last_pair_shows_on_the_page_home_and_list(shop):
    product, variant, tlv, _jlm = shop
    assert "3 pairs" in store_row(product, variant, "Dizengoff")
    assert "In stock" in page(en("storefront:product_list") + "?in_stock=on")

    services.stock_sell(store=tlv, variant=variant, quantity=3)

    assert "Not in stock here" in store_row(product, variant, "Dizengoff")
    assert "Pegasus 41" not in page(en("storefront:product_list") + "?in_stock=on")


def test_a_shipment_and_its_receipt_show_on_the_next_request(shop):
    product, variant, _tlv, jlm = shop
    # Nothing on its way yet: the one answer is bringing a pair from Dizengoff.
    assert "Expected" not in store_row(product, variant, "Malha")
    assert "Bring it to my store" in store_row(product, variant, "Malha")

    shipment = services.shipment_create(
        reference="PO-1",
        store=jlm,
        lines=[(variant, 2)],
        expected_date=timezone.localdate() + timedelta(days=3),
    )
    assert "Expected" in store_row(product, variant, "Malha")

    services.shipment_receive(shipment=shipment)
    assert "2 pairs" in store_row(product, variant, "Malha")


def test_a_hold_placed_and_ended_shows_on_the_next_request(shop):
    product, variant, tlv, _jlm = shop
    assert "3 pairs" in store_row(product, variant, "Dizengoff")

    hold = services.hold_place(store=tlv, variant=variant)
    assert "2 pairs" in store_row(product, variant, "Dizengoff")

    services.hold_release(hold=hold)
    assert "3 pairs" in store_row(product, variant, "Dizengoff")
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.RELEASED


def test_a_transfer_dispatched_and_received_shows_on_the_next_request(shop):
    product, variant, tlv, jlm = shop
    user = UserFactory(is_staff=True)
    # Nothing on its way yet: the one answer is bringing a pair from Dizengoff.
    assert "Expected" not in store_row(product, variant, "Malha")
    assert "Bring it to my store" in store_row(product, variant, "Malha")

    transfer = services.transfer_request(variant=variant, from_store=tlv, to_store=jlm, user=user)
    assert "2 pairs" in store_row(product, variant, "Dizengoff")  # reserved for the move
    services.transfer_dispatch(
        transfer=transfer, user=user, expected_date=timezone.localdate() + timedelta(days=2)
    )
    assert "Expected" in store_row(product, variant, "Malha")

    services.transfer_receive(transfer=transfer, user=user)
    assert "1 pair" in store_row(product, variant, "Malha")


def test_catalogue_edits_show_on_the_next_request(shop):
    product, variant, tlv, _jlm = shop
    path = en("storefront:product", kwargs={"slug": product.slug})
    assert "₪599.90" in page(path)
    assert "₪599.90" in page(en("storefront:home"))

    product.price = Decimal("499")
    product.name = "Pegasus 41 Premium"
    product.save()
    assert "₪499" in page(path) and "Pegasus 41 Premium" in page(path)
    assert "₪499" in page(en("storefront:home"))
    assert "Pegasus 41 Premium" in page(en("storefront:product_list"))

    tlv.name_en = "Dizengoff Center"
    tlv.save()
    assert "3 pairs" in store_row(product, variant, "Dizengoff Center")
    assert "Dizengoff Center" in page(en("storefront:stores"))

    ReviewLinkFactory(product=product, title="Pegasus 41 after 100 km")
    assert "Pegasus 41 after 100 km" in page(path)

    product.is_active = False
    product.save()
    assert Client().get(path).status_code == 404


def test_a_rolled_back_write_changes_nothing_and_the_page_stays_right(shop):
    product, variant, tlv, _jlm = shop
    assert "3 pairs" in store_row(product, variant, "Dizengoff")

    with pytest.raises(services.StockError):
        services.stock_sell(store=tlv, variant=variant, quantity=5)  # more than there is

    assert "3 pairs" in store_row(product, variant, "Dizengoff")


def test_pages_are_served_from_the_database_when_the_cache_is_unreachable(shop, settings, caplog):
    product, variant, _tlv, _jlm = shop
    closed = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.REDIS_URL = closed
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": closed}
    }

    row = store_row(product, variant, "Dizengoff")

    assert "3 pairs" in row
    assert "Cache unreachable" in caplog.text


def test_the_feedback_prompt_on_a_kept_page_works_and_refuses_other_sites(shop):
    product, _variant, _tlv, _jlm = shop
    path = en("storefront:product", kwargs={"slug": product.slug})
    Client().get(path)  # builds and keeps the page
    html = Client().get(path).content.decode()  # served as kept: the same for everyone
    feedback = en("reviews:site_feedback")
    answer = {"found": "no", "product": product.pk}

    assert "csrfmiddlewaretoken" not in html and f'action="{feedback}"' in html
    same_site = Client(enforce_csrf_checks=True).post(
        feedback, answer, headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
    )
    cross_site = Client(enforce_csrf_checks=True).post(
        feedback, answer, headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
    )
    other_origin = Client(enforce_csrf_checks=True).post(
        feedback, answer, headers={"Origin": "https://evil.example"}
    )

    assert same_site.status_code == 302
    assert cross_site.status_code == 403 and other_origin.status_code == 403
    assert SiteFeedback.objects.count() == 1


def test_a_kept_page_fills_in_each_visitors_own_csrf_token(settings, tmp_path):
    """A form with a CSRF token on a kept page gets the visitor's own token, not the token of
    whoever the page was built for."""
    (tmp_path / "kept.html").write_text('<form method="post" action="/">{% csrf_token %}</form>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    factory = RequestFactory()

    def visit(cookie: str) -> str:
        request = factory.get("/kept/")
        request.META["CSRF_COOKIE"] = cookie  # as CsrfViewMiddleware reads it
        request.user = AnonymousUser()
        request.session = SessionStore()
        request._messages = default_storage(request)
        html = kept_page(request, "kept.html", lambda depends: {}).content.decode()
        token = re.search(r'value="([^"]+)"', html)
        assert token, html
        return token.group(1)

    first, second = "a" * 32, "b" * 32
    assert _unmask_cipher_token(visit(first)) == first
    assert _unmask_cipher_token(visit(second)) == second  # served as kept


@pytest.mark.django_db
def test_kept_pages_ignore_query_parameters_they_do_not_read(client, monkeypatch):
    """`?utm_x=1`, `?utm_x=2`… are one redirect each to the canonical address, never a page
    kept apiece: only canonical addresses reach the cache."""
    from storefront import pages
    from tests.factories import ProductFactory, VariantFactory

    kept: list[str] = []
    real_cached = pages.cached
    monkeypatch.setattr(
        pages, "cached", lambda key, build: kept.append(key) or real_cached(key, build)
    )
    product = ProductFactory()
    VariantFactory(product=product)
    assert client.get("/en/").status_code == 200
    for n in range(30):
        response = client.get(f"/en/?utm_x={n}")
        assert response.status_code == 302 and response["Location"] == "/en/"
    listing = client.get("/en/sneakers/", {"brand": "x", "utm_source": "mail", "page": "abc"})
    assert listing.status_code == 302 and listing["Location"] == "/en/sneakers/?brand=x"
    detail = client.get(product.get_absolute_url(), {"size": "42", "city": "nowhere", "x": "1"})
    assert detail.status_code == 302 and detail["Location"].endswith("?size=42")
    assert client.get(product.get_absolute_url(), {"size": "42"}).status_code == 200
    assert len(kept) == 2 and len(set(kept)) == 2  # the home page once, the product page once


def queries_to_serve(path: str, **headers) -> tuple[int, str]:
    """SQL queries a new visitor's request for `path` runs (none when the page is kept), and
    its visible text."""
    with CaptureQueriesContext(connection) as queries:
        response = Client(headers=headers).get(path)
    assert response.status_code == 200
    return len(queries), text(response.content.decode())


@pytest.fixture
def two_sizes(shop):
    product, size_42, tlv, jlm = shop
    size_43 = VariantFactory(product=product, eu_size=Decimal("43"))
    put_stock(tlv, size_43, on_hand=5)
    put_stock(jlm, size_42, on_hand=1)
    product_path = en("storefront:product", kwargs={"slug": product.slug})

    def fragment(variant) -> str:
        return en(
            "storefront:product_size", kwargs={"slug": product.slug, "variant_id": variant.pk}
        )

    return product_path, fragment, size_42, size_43, tlv


def test_a_sale_of_one_size_renews_that_size_and_keeps_the_rest(two_sizes):
    product_path, fragment, size_42, size_43, tlv = two_sizes
    htmx = {"HX-Request": "true"}
    listings = [en("storefront:home"), en("storefront:product_list") + "?in_stock=on"]
    for path in [fragment(size_42), fragment(size_43)]:
        queries_to_serve(path, **htmx)
    for path in [product_path, *listings]:
        queries_to_serve(path)

    services.stock_sell(store=tlv, variant=size_42, quantity=1)  # 3 → 2 at Dizengoff

    queries, shown = queries_to_serve(fragment(size_42), **htmx)
    assert queries > 0 and "Dizengoff Tel Aviv 2 pairs" in shown
    queries, shown = queries_to_serve(product_path)
    assert queries > 0 and "At 2 stores Dizengoff, Malha 3 pairs" in shown  # 42's line: 2 + 1
    # What does not show size 42's numbers is served as kept, without a query.
    assert queries_to_serve(fragment(size_43), **htmx)[0] == 0
    # Size 42 is still in stock at Dizengoff: the lists and cards are unchanged, and kept.
    for path in listings:
        assert queries_to_serve(path)[0] == 0


def test_home_and_list_are_renewed_when_a_size_goes_out_of_stock_at_a_shop(two_sizes):
    _product_path, _fragment, size_42, _size_43, tlv = two_sizes
    home = en("storefront:home")
    dizengoff_42 = en("storefront:product_list") + f"?size=42&store={tlv.code}&in_stock=on"
    assert "Pegasus 41" in queries_to_serve(dizengoff_42)[1]
    queries_to_serve(home)

    services.stock_sell(store=tlv, variant=size_42, quantity=3)  # Dizengoff's last pairs of 42

    queries, shown = queries_to_serve(dizengoff_42)
    assert queries > 0 and "Pegasus 41" not in shown
    assert queries_to_serve(home)[0] > 0  # renewed, though still in stock elsewhere
    assert "In stock" in queries_to_serve(home)[1]


def test_home_shows_a_product_out_of_stock_once_its_last_pair_is_held(shop):
    product, variant, tlv, _jlm = shop
    home = en("storefront:home")
    services.stock_sell(store=tlv, variant=variant, quantity=2)
    assert "Pegasus 41 Black/White ₪599.90 In stock" in queries_to_serve(home)[1]

    hold = services.hold_place(store=tlv, variant=variant)  # the last pair, set aside
    assert "Pegasus 41 Black/White ₪599.90 Out of stock" in queries_to_serve(home)[1]

    services.hold_release(hold=hold)  # back on sale
    assert "Pegasus 41 Black/White ₪599.90 In stock" in queries_to_serve(home)[1]


def lines_rendered(path: str) -> tuple[list[str], str]:
    """The sizes whose line a new visitor's request for `path` had to render (none when every
    line was kept), and the page's visible text."""
    response = Client().get(path)
    assert response.status_code == 200
    contexts: list[Any] = list(response.context or [])  # one a template, in the same order
    rendered = [
        f"EU {context['size'].variant.size_label}"
        for template, context in zip(response.templates, contexts, strict=False)
        if template.name == "storefront/_size_line.html"
    ]
    return rendered, text(response.content.decode())


def test_a_sale_renders_again_only_the_line_of_the_size_sold(two_sizes):
    product_path, _fragment, size_42, _size_43, tlv = two_sizes
    assert lines_rendered(product_path)[0] == ["EU 42", "EU 43"]
    # Size 42's closed line is the one just kept; 43's open line (with its stores) is its own.
    assert lines_rendered(product_path + "?size=43")[0] == ["EU 43"]

    services.stock_sell(store=tlv, variant=size_42, quantity=1)

    rendered, shown = lines_rendered(product_path)
    assert (
        rendered == ["EU 42"] and "EU 42 US 9 · UK 8 At 2 stores Dizengoff, Malha 3 pairs" in shown
    )
    assert "EU 43 US 9 · UK 8 At 1 store Dizengoff 5 pairs" in shown
    # The page with 43 open is put together from kept lines: 42's new one, 43's with its stores.
    rendered, shown = lines_rendered(product_path + "?size=43")
    assert rendered == [] and "Dizengoff, Malha 3 pairs" in shown
    assert "Dizengoff Tel Aviv 5 pairs" in shown


def test_a_count_that_keeps_a_size_in_stock_renews_its_line_and_keeps_home_and_list(two_sizes):
    """A shop's count (5 → 2 at Dizengoff, 43) moves that size's numbers only: its line and
    stores are new on the next request, the other size's stores, the home page and the
    catalogue are served as kept."""
    product_path, fragment, size_42, size_43, tlv = two_sizes
    htmx = {"HX-Request": "true"}
    listings = [en("storefront:home"), en("storefront:product_list")]
    for path in [fragment(size_42), fragment(size_43)]:
        queries_to_serve(path, **htmx)
    for path in [product_path, *listings]:
        queries_to_serve(path)

    services.stock_count(store=tlv, variant=size_43, counted=2)

    queries, shown = queries_to_serve(fragment(size_43), **htmx)
    assert queries > 0 and "Dizengoff Tel Aviv 2 pairs" in shown
    assert "EU 43 US 9 · UK 8 At 1 store Dizengoff 2 pairs" in queries_to_serve(product_path)[1]
    assert queries_to_serve(fragment(size_42), **htmx)[0] == 0
    for path in listings:
        assert queries_to_serve(path)[0] == 0


def test_a_city_chosen_or_changed_puts_the_page_together_from_kept_lines(two_sizes):
    """The kept lines are the same for every city: a customer who picks a city, or another,
    gets the nearest shop and the stores nearest first without a line built again, and the
    size's fragment is the open line's stores."""
    product_path, fragment, _size_42, size_43, tlv = two_sizes
    jerusalem = StoreFactory(
        name_en="Malha Mall",
        city_en="Jerusalem",
        code="mlh",
        latitude=Decimal("31.7683"),
        longitude=Decimal("35.2137"),
    )
    put_stock(jerusalem, size_43, on_hand=1)
    assert lines_rendered(product_path + "?size=43")[0] == ["EU 42", "EU 43"]

    rendered, in_jerusalem = lines_rendered(product_path + "?size=43&city=jerusalem")
    assert rendered == []
    assert "Nearest: Malha Mall, under 1 km" in in_jerusalem
    assert in_jerusalem.index("Malha Mall Jerusalem under 1 km 1 pair") < in_jerusalem.index(
        "Dizengoff Tel Aviv"
    )
    rendered, in_tel_aviv = lines_rendered(product_path + "?size=43&city=tel-aviv")
    assert rendered == []
    assert "Nearest: Dizengoff, under 1 km" in in_tel_aviv
    assert in_tel_aviv.index("Dizengoff Tel Aviv under 1 km 5 pairs") < in_tel_aviv.index(
        "Malha Mall Jerusalem"
    )
    # The fragment htmx fetches for size 43 is the open line's stores, kept: no query.
    queries, shown = queries_to_serve(
        fragment(size_43) + "?city=jerusalem", **{"HX-Request": "true"}
    )
    assert queries == 0
    assert shown.index("Malha Mall Jerusalem under 1 km") < shown.index(f"Dizengoff {tlv.city}")
