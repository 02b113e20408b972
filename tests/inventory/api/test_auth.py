"""Till keys: only a hash is kept, what the API answers without a valid one, revoking; and the
API's published description."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from inventory.models import StockMovement, TillToken
from inventory.tills import till_authenticate, till_token_create, till_token_revoke
from tests.inventory.api.helpers import level, line, post

# --- Keys --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_till_token_create_keeps_only_a_hash_of_the_key(store):
    token, raw_key = till_token_create(store=store, name="Front till")
    prefix, secret = raw_key.split(".")
    token.refresh_from_db()
    assert token.prefix == prefix
    assert secret not in token.key_hash and raw_key not in token.key_hash
    assert till_authenticate(raw_key=raw_key) == token


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer nosuchprefix.secret",
        "Bearer garbage",
        "Basic dXNlcjpwYXNz",
        "Bearer ",
    ],
)
def test_post_movements_without_a_valid_key_is_401(till, variant, header):
    client = Client(headers={"authorization": header} if header else {})
    response = post(client, {"lines": [line(variant, type="receipt")]})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]
    assert StockMovement.objects.count() == 0


@pytest.mark.django_db
def test_post_movements_with_a_wrong_secret_for_a_real_prefix_is_401(till, variant):
    client = Client(headers={"authorization": f"Bearer {till.prefix}.not-the-secret"})
    assert post(client, {"lines": [line(variant, type="receipt")]}).status_code == 401


@pytest.mark.django_db
def test_post_movements_with_a_revoked_key_is_401(till, api, variant):
    assert post(api, {"lines": [line(variant, type="receipt", reference="a")]}).status_code == 200
    till_token_revoke(token=till)
    response = post(api, {"lines": [line(variant, type="receipt", reference="b")]})
    assert response.status_code == 401
    assert level(till.store, variant) == (1, 0)


@pytest.mark.django_db
def test_till_authenticate_records_last_use_at_most_once_a_minute(till):
    assert till.last_used_at is None
    first = till_authenticate(raw_key=till.raw_key).last_used_at
    assert first is not None
    assert till_authenticate(raw_key=till.raw_key).last_used_at == first
    TillToken.objects.filter(pk=till.pk).update(last_used_at=first - timedelta(minutes=2))
    assert till_authenticate(raw_key=till.raw_key).last_used_at > first


# --- Documentation -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_openapi_description_is_served():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert {"/api/v1/movements", "/api/v1/stock/{sku}", "/api/v1/stores/{code}/stock"} <= set(
        spec["paths"]
    )
    assert spec["components"]["securitySchemes"]["TillKey"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_api_docs_page_uses_no_cdn():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content and b"unpkg" not in response.content


@pytest.mark.django_db
def test_till_token_revoke_is_stamped_once(till):
    first = till_token_revoke(token=till).revoked_at
    assert first is not None and first <= timezone.now()
    assert till_token_revoke(token=till).revoked_at == first
