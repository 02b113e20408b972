"""Stores and stock in the admin: every page opens, counters and the ledger stay read-only."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from inventory import services
from inventory.models import (
    Hold,
    InboundShipment,
    StaffProfile,
    StockLevel,
    StockMovement,
    Store,
    StoreSpecialHours,
    TillToken,
    Transfer,
)
from tests.factories import (
    InboundShipmentFactory,
    InboundShipmentLineFactory,
    StaffProfileFactory,
    StoreFactory,
    VariantFactory,
    put_stock,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
INVENTORY_MODELS = [
    Store,
    StockLevel,
    StockMovement,
    InboundShipment,
    Transfer,
    Hold,
    TillToken,
    StaffProfile,
    User,
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def shop():
    """Two stores, stock in one of them, and one of everything the admin lists."""
    dizengoff = StoreFactory(code="tlv", name_en="Dizengoff Center")
    haifa = StoreFactory(code="hfa", name_en="Grand Canyon Haifa")
    variant = VariantFactory(sku="FD2722-002-42", barcode="1966040000017")
    put_stock(dizengoff, variant, on_hand=5, reserved=1)
    services.stock_sell(store=dizengoff, variant=variant, quantity=1, reference="till 7")
    InboundShipmentLineFactory(shipment=InboundShipmentFactory(store=haifa), variant=variant)
    transfer = Transfer.objects.create(variant=variant, from_store=dizengoff, to_store=haifa)
    Hold.objects.create(
        store=dizengoff,
        variant=variant,
        purpose=Hold.Purpose.TRANSFER,
        transfer=transfer,
        customer_name="Dana",
    )
    TillToken.objects.create(store=dizengoff, name="Till 1", prefix="abc123", key_hash="x")
    StaffProfileFactory(home_store=dizengoff)
    return {
        "store": dizengoff,
        "other": haifa,
        "variant": variant,
        "level": StockLevel.objects.get(store=dizengoff, variant=variant),
    }


@pytest.mark.parametrize("model", INVENTORY_MODELS, ids=lambda m: m._meta.model_name)
def test_inventory_admin_pages_load_for_a_superuser(admin_client, shop, model):
    obj = model.objects.order_by("pk").last()

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_inventory_admin_registers_every_inventory_model():
    registered = {m for m in admin.site._registry if m._meta.app_label == "inventory"}
    # Shipment lines are edited inline on their shipment.
    assert registered == {
        Store,
        StockLevel,
        StockMovement,
        InboundShipment,
        Transfer,
        Hold,
        TillToken,
        StaffProfile,
    }


def test_store_admin_lists_codes_phones_and_the_warehouse(admin_client, shop):
    StoreFactory(code="wh", name_en="Airport City Logistics", is_warehouse=True)

    response = admin_client.get(admin_url(Store, "changelist"), {"is_warehouse__exact": "1"})

    assert [s.code for s in response.context["cl"].result_list] == ["wh"]
    assert admin_client.get(admin_url(Store, "add")).status_code == 200


def test_stock_level_admin_shows_counters_but_never_edits_them(admin_client, shop):
    level = shop["level"]
    url = admin_url(StockLevel, "change", level.pk)

    page = admin_client.get(url).content.decode()
    posted = admin_client.post(url, {"on_hand": 99, "reserved": 0})

    assert 'name="on_hand"' not in page and 'name="reserved"' not in page
    assert 'name="_save"' not in page
    assert posted.status_code == 403
    assert admin_client.get(admin_url(StockLevel, "add")).status_code == 403
    assert (
        admin_client.post(admin_url(StockLevel, "delete", level.pk), {"post": "yes"}).status_code
        == 403
    )
    level.refresh_from_db()
    assert (level.on_hand, level.reserved) == (4, 1)


def test_stock_level_admin_lists_available_and_filters_what_is_out(admin_client, shop):
    empty = VariantFactory(product=shop["variant"].product)
    put_stock(shop["store"], empty, on_hand=1)
    services.stock_sell(store=shop["store"], variant=empty, quantity=1)
    url = admin_url(StockLevel, "changelist")

    everything = admin_client.get(url)
    out = admin_client.get(url, {"availability": "out"})
    in_stock = admin_client.get(url, {"availability": "in", "store__id__exact": shop["store"].pk})

    assert '<td class="field-available">3</td>' in everything.content.decode()
    assert [lvl.variant for lvl in out.context["cl"].result_list] == [empty]
    assert [lvl.variant for lvl in in_stock.context["cl"].result_list] == [shop["variant"]]


@pytest.mark.parametrize("query", ["FD2722-002-42", "1966040000017"])
def test_stock_level_admin_search_finds_a_size_by_sku_or_barcode(admin_client, shop, query):
    put_stock(shop["store"], VariantFactory(), on_hand=2)

    response = admin_client.get(admin_url(StockLevel, "changelist"), {"q": query})

    assert list(response.context["cl"].result_list) == [shop["level"]]


def test_stock_movement_admin_is_a_read_only_ledger(admin_client, shop):
    movement = StockMovement.objects.get(reference="till 7")
    change = admin_url(StockMovement, "change", movement.pk)

    listing = admin_client.get(admin_url(StockMovement, "changelist")).content.decode()
    page = admin_client.get(change).content.decode()

    assert admin_url(StockMovement, "add") not in listing
    assert 'name="_save"' not in page and 'name="delta"' not in page
    assert admin_client.get(admin_url(StockMovement, "add")).status_code == 403
    assert admin_client.post(change, {"delta": 50}).status_code == 403
    assert (
        admin_client.post(
            admin_url(StockMovement, "delete", movement.pk), {"post": "yes"}
        ).status_code
        == 403
    )
    movement.refresh_from_db()
    assert movement.delta == -1


def test_stock_movement_admin_search_and_filters(admin_client, shop):
    url = admin_url(StockMovement, "changelist")

    by_reference = admin_client.get(url, {"q": "till 7"})
    sales = admin_client.get(url, {"reason__exact": "sale"})
    by_sku = admin_client.get(url, {"q": "FD2722-002-42"})

    assert [m.reference for m in by_reference.context["cl"].result_list] == ["till 7"]
    assert [m.reason for m in sales.context["cl"].result_list] == ["sale"]
    assert by_sku.context["cl"].result_count == 2  # the receipt and the sale


def test_shipment_admin_edits_lines_only_while_expected(admin_client, shop):
    shipment = InboundShipment.objects.get()
    url = admin_url(InboundShipment, "change", shipment.pk)

    expected = admin_client.get(url).content.decode()
    InboundShipment.objects.filter(pk=shipment.pk).update(status=InboundShipment.Status.IN_TRANSIT)
    in_transit = admin_client.get(url).content.decode()

    assert 'name="lines-0-quantity"' in expected
    assert 'name="lines-0-quantity"' not in in_transit


def test_shipment_admin_filters_by_status(admin_client, shop):
    InboundShipmentFactory(store=shop["store"], status=InboundShipment.Status.CANCELLED)

    response = admin_client.get(
        admin_url(InboundShipment, "changelist"), {"status__exact": "expected"}
    )

    assert [s.status for s in response.context["cl"].result_list] == ["expected"]


def test_user_admin_sets_a_staff_members_home_store(admin_client, shop):
    user = StaffProfile.objects.get().user

    page = admin_client.get(admin_url(User, "change", user.pk)).content.decode()
    listing = admin_client.get(admin_url(User, "changelist")).content.decode()

    assert 'name="staff_profile-0-home_store"' in page
    assert "Dizengoff Center" in listing or shop["store"].name_he in listing


@pytest.mark.django_db
def test_hold_admin_masks_the_number_and_links_the_reveal_for_its_stores_staff(client):
    from django.contrib.auth.models import Permission

    from inventory.models import Hold
    from tests.factories import HoldFactory, UserFactory, staff_user

    hold = HoldFactory(status=Hold.Status.ACTIVE, ended_at=None, customer_phone="+972502345678")
    url = f"/en/admin/inventory/hold/{hold.pk}/change/"
    head_office = UserFactory(is_staff=True)
    head_office.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_all_stores", "view_hold"])
    )
    client.force_login(head_office)
    page = client.get(url).content.decode()
    assert "+97250•••••78" in page and "+972502345678" not in page

    assert "/staff/numbers/hold/" not in page  # not theirs to call

    client.force_login(staff_user("Store managers", store=hold.store))
    page = client.get(url).content.decode()
    assert "+972502345678" not in page and f"/staff/numbers/hold/{hold.pk}/" in page


def _change_form_data(response) -> dict[str, str]:
    """What the admin change page would post back as it stands (the store and its inlines)."""
    data: dict[str, str] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def test_store_admin_edits_dates_with_other_hours_inline_and_refuses_a_half_filled_one(
    admin_client, shop
):
    store = shop["store"]
    url = admin_url(Store, "change", store.pk)
    data = _change_form_data(admin_client.get(url))
    prefix = "special_hours"
    assert data[f"{prefix}-TOTAL_FORMS"] == "0"
    half = {
        **data,
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-date": "2027-04-21",
        f"{prefix}-0-opens": "10:00",
    }

    refused = admin_client.post(url, half)

    assert refused.status_code == 200
    assert "נא למלא שעת פתיחה ושעת סגירה" in refused.content.decode()  # the admin is Hebrew
    assert not StoreSpecialHours.objects.exists()

    done = admin_client.post(url, {**half, f"{prefix}-0-closes": "14:00"})

    assert done.status_code == 302
    row = StoreSpecialHours.objects.get(store=store)
    assert (row.date.isoformat(), row.opens.isoformat(), row.closes.isoformat()) == (
        "2027-04-21",
        "10:00:00",
        "14:00:00",
    )
