"""Schemathesis against the till API's own OpenAPI schema: whatever a till (or anyone) sends,
the API never answers 5xx, every answer matches the schema, and the ledger still adds up.

A fixed seed and a bounded number of examples keep it repeatable and within a minute or two.
"""

import pytest
import schemathesis
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from hypothesis import HealthCheck, seed, settings
from schemathesis import checks

from config.wsgi import application
from inventory.models import StockLevel, StockMovement
from inventory.services import stock_receive
from inventory.tills import till_token_create
from tests.factories import StoreFactory, VariantFactory
from tests.schema_calls import _keep_the_test_connection  # noqa: F401 (autouse)

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

EXAMPLES = 150
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def till_key(db):
    store = StoreFactory(code="TLV")
    for _ in range(3):
        stock_receive(store=store, variant=VariantFactory(), quantity=5)
    _token, key = till_token_create(store=store, name="till 1")
    return key


def _ledger_matches_on_hand() -> None:
    moved = (
        StockMovement.objects.filter(
            store_id=OuterRef("store_id"), variant_id=OuterRef("variant_id")
        )
        .values("store_id")
        .annotate(total=Sum("delta"))
        .values("total")
    )
    wrong = StockLevel.objects.annotate(ledger=Coalesce(Subquery(moved), 0)).exclude(
        ledger=F("on_hand")
    )
    assert not wrong.exists()


@seed(20261202)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_till_api_with_a_valid_key(case, till_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {till_key}"}, checks=CHECKS)
    _ledger_matches_on_hand()


@seed(20261203)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES // 3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_till_api_without_a_key(case, db):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.parametrize("path", ["/api/docs", "/api/openapi.json"])
def test_api_docs_only_for_staff_unless_opened(client, settings, path, django_user_model, db):
    settings.API_DOCS_PUBLIC = False
    assert client.get(path).status_code == 302  # to the staff login
    client.force_login(django_user_model.objects.create(username="clerk", is_staff=True))
    assert client.get(path).status_code == 200
    client.logout()
    settings.API_DOCS_PUBLIC = True
    assert client.get(path).status_code == 200
