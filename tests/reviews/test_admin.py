import pytest
from django.urls import reverse

from inventory.models import Hold
from reviews import services
from tests.factories import HoldFactory, ProductFactory, ReviewLinkFactory, staff_user

pytestmark = pytest.mark.django_db


def test_product_admin_edits_review_links_inline(admin_client):
    link = ReviewLinkFactory(title="Long-run test")
    response = admin_client.get(reverse("admin:catalog_product_change", args=[link.product.pk]))
    assert response.status_code == 200
    assert b"Long-run test" in response.content


@pytest.mark.parametrize("name", ["reviewsource", "rating", "sitefeedback"])
def test_reviews_admin_changelists_load(admin_client, name):
    assert admin_client.get(reverse(f"admin:reviews_{name}_changelist")).status_code == 200


def test_catalog_editor_may_add_review_links(client):
    editor = staff_user("Catalog editors")
    client.force_login(editor)
    product = ProductFactory()
    assert client.get(reverse("admin:catalog_product_change", args=[product.pk])).status_code == 200
    assert editor.has_perm("reviews.add_reviewlink")


def test_rating_admin_records_a_call_back_note(admin_client):
    rating = services.rating_submit(
        hold=HoldFactory(status=Hold.Status.COLLECTED), score=1, language="he"
    )
    url = reverse("admin:reviews_rating_change", args=[rating.pk])
    response = admin_client.post(url, {"handled_note": "Called back, exchanged"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.handled_note == "Called back, exchanged"
    assert rating.handled_at is not None


def test_rating_admin_shows_managers_only_their_store(client):
    mine = HoldFactory(status=Hold.Status.COLLECTED)
    theirs = HoldFactory(status=Hold.Status.COLLECTED)
    services.rating_submit(hold=mine, score=4, comment="mine", language="he")
    services.rating_submit(hold=theirs, score=4, comment="theirs", language="he")
    client.force_login(staff_user("Store managers", store=mine.store))
    response = client.get(reverse("admin:reviews_rating_changelist"))
    assert response.status_code == 200
    assert b"mine" in response.content and b"theirs" not in response.content
