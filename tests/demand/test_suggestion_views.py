"""The suggested transfers beside the transfer queue: who sees them, who decides, and what
the page says."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from demand import services
from demand.models import TransferSuggestion
from inventory.models import Transfer
from tests.factories import (
    StoreFactory,
    VariantFactory,
    WaitlistEntryFactory,
    put_stock,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    tel_aviv = StoreFactory(code="tlv", name_en="Dizengoff", name_he="דיזנגוף")
    ramat_gan = StoreFactory(
        code="rg",
        name_en="Ramat Gan",
        name_he="רמת גן",
        latitude=Decimal("32.0684"),
        longitude=Decimal("34.8248"),
    )
    size = VariantFactory()
    put_stock(ramat_gan, size, on_hand=4)
    entry = WaitlistEntryFactory(store=tel_aviv, variant=size, phone="+972502345678")
    [suggestion] = services.transfer_suggestions_refresh()
    return suggestion, entry


def test_queue_has_a_suggested_tab(client, proposal):
    suggestion, _entry = proposal
    client.force_login(staff_user("Store managers", suggestion.to_store))
    page = client.get(reverse("inventory:transfers")).content.decode()
    assert reverse("suggestions:list") in page


def test_manager_sees_the_suggestion_with_masked_number_distance_and_arrival(client, proposal):
    suggestion, entry = proposal
    client.force_login(staff_user("Store managers", suggestion.to_store))
    with translation.override("en"):
        page = client.get(reverse("suggestions:list")).content.decode()
    assert f'id="suggestion-{suggestion.pk}"' in page
    assert "+97250•••••78" in page and entry.phone not in page
    assert "km" in page and "can arrive on" in page
    assert reverse("suggestions:approve", args=[suggestion.pk]) in page


def test_page_in_hebrew_has_no_english_sentences(client, proposal):
    suggestion, _entry = proposal
    client.force_login(staff_user("Store managers", suggestion.to_store))
    page = client.get(reverse("suggestions:list")).content.decode()
    for english in ("can arrive on", "Approve", "Dismiss", "signed up", "Suggested"):
        assert english not in page
    assert "אישור" in page


def test_approve_in_one_click_creates_the_transfer(client, proposal):
    suggestion, entry = proposal
    client.force_login(staff_user("Store managers", suggestion.from_store))
    response = client.post(reverse("suggestions:approve", args=[suggestion.pk]), follow=True)
    transfer = Transfer.objects.get()
    assert transfer.customer_phone == entry.phone
    assert transfer.from_store == suggestion.from_store
    assert f"#{transfer.pk}" in response.content.decode()


def test_salesperson_cannot_approve_or_dismiss(client, proposal):
    suggestion, _entry = proposal
    client.force_login(staff_user("Salespeople", suggestion.to_store))
    page = client.get(reverse("suggestions:list")).content.decode()
    assert reverse("suggestions:approve", args=[suggestion.pk]) not in page
    for action in ("approve", "dismiss"):
        response = client.post(reverse(f"suggestions:{action}", args=[suggestion.pk]))
        assert response.status_code == 403
    assert not Transfer.objects.exists()
    suggestion.refresh_from_db()
    assert suggestion.status == TransferSuggestion.Status.PROPOSED


def test_manager_of_another_store_cannot_approve(client, proposal):
    suggestion, _entry = proposal
    client.force_login(staff_user("Store managers", StoreFactory()))
    response = client.post(reverse("suggestions:approve", args=[suggestion.pk]))
    assert response.status_code == 403
    assert not Transfer.objects.exists()


def test_dismiss_then_approve_is_a_clear_message(client, proposal):
    suggestion, _entry = proposal
    client.force_login(staff_user("Store managers", suggestion.to_store))
    client.post(reverse("suggestions:dismiss", args=[suggestion.pk]))
    with translation.override("en"):
        response = client.post(reverse("suggestions:approve", args=[suggestion.pk]), follow=True)
    assert response.status_code == 200
    assert "no longer available" in response.content.decode()
    assert not Transfer.objects.exists()


def test_refresh_button_is_for_managers_and_needs_post(client, proposal):
    suggestion, _entry = proposal
    url = reverse("suggestions:refresh")
    client.force_login(staff_user("Salespeople", suggestion.to_store))
    assert client.post(url).status_code == 403
    client.force_login(staff_user("Store managers", suggestion.to_store))
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert TransferSuggestion.objects.filter(status="proposed").count() == 1


def test_unknown_suggestion_is_a_404(client, proposal):
    suggestion, _entry = proposal
    client.force_login(staff_user("Store managers", suggestion.to_store))
    url = reverse("suggestions:approve", args=[suggestion.pk + 99])
    assert client.post(url).status_code == 404
