"""The totals' triggers on SQLite: a schema change that rebuilds a counted table keeps them,
and a store manager still reaches the dashboard from the staff menu."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, models
from django.db.models import Sum
from django.urls import reverse

from insights.models import DailyTotal
from inventory.models import Hold
from tests.factories import HoldFactory, StoreFactory, staff_user

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL alters a table in place"
)


def _holds_created() -> int:
    return DailyTotal.objects.aggregate(n=Sum("holds_created"))["n"] or 0


def _phone_field(max_length: int) -> models.CharField:
    field = models.CharField(max_length=max_length, blank=True)
    field.set_attributes_from_name("customer_phone")
    field.model = Hold
    return field


@sqlite_only
@pytest.mark.django_db(transaction=True)  # SQLite alters tables outside a transaction only
def test_schema_change_on_sqlite_keeps_the_totals_triggers():
    HoldFactory()
    original = Hold._meta.get_field("customer_phone")
    assert isinstance(original, models.CharField) and original.max_length
    wider = _phone_field(original.max_length + 5)
    # Rebuilds inventory_hold, which the triggers on sign-ups and texts join.
    with connection.schema_editor() as editor:
        editor.alter_field(Hold, original, wider)
        HoldFactory()  # written while the triggers are off: the recount counts it
    with connection.schema_editor() as editor:
        editor.alter_field(Hold, wider, _phone_field(original.max_length))

    assert _holds_created() == 2
    HoldFactory()
    assert _holds_created() == 3


@pytest.mark.django_db
def test_staff_menu_links_a_store_manager_to_the_dashboard(client):
    store = StoreFactory()
    manager = staff_user("Store managers", store=store)
    client.force_login(manager)

    page = client.get(reverse("inventory:finder")).content.decode()

    assert f'href="{reverse("insights:dashboard")}"' in page
    assert manager.has_perm("reviews.view_dashboard")
    assert Permission.objects.get(codename="view_dashboard").content_type.app_label == "reviews"
