"""The operator's metrics: /metrics answers only with the token, and each figure moves when its
event happens (in this process; a worker's in tests/integration/test_operations_worker.py)."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from prometheus_client import REGISTRY

from core.logging import redact
from inventory import services as inventory
from inventory.models import StoreHours
from inventory.tills import till_token_create
from notifications import services as messaging
from notifications.models import Message, OptOut
from tests.factories import StoreFactory, VariantFactory, WaitlistEntryFactory

TOKEN = "metrics-test-token-0123456789"
PHONE = "+972502345678"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def operator(settings):
    settings.METRICS_TOKEN = TOKEN
    return Client(headers={"authorization": f"Bearer {TOKEN}"})


def scraped(client: Client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def figure(text: str, name: str, **labels: str) -> float:
    """The value of one series in a scrape."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        series, _sep, value = line.rpartition(" ")
        if series == (f"{name}{{{wanted}}}" if labels else name):
            return float(value)
    raise AssertionError(f"{name} {labels} is not in the scrape")


@pytest.mark.django_db
def test_metrics_endpoint_refuses_a_scrape_without_the_token(operator):
    assert Client().get("/metrics").status_code == 401
    wrong = Client(headers={"authorization": "Bearer nope"}).get("/metrics")
    assert wrong.status_code == 401
    assert operator.get("/metrics").status_code == 200


@pytest.mark.django_db
def test_metrics_endpoint_is_off_without_a_token(settings):
    settings.METRICS_TOKEN = ""

    assert Client().get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_endpoint_answers_whatever_the_host_and_scheme(operator, settings):
    """Prometheus scrapes web:8000 over plain HTTP: no host check, no HTTPS redirect."""
    settings.SECURE_SSL_REDIRECT = True

    response = operator.get("/metrics", HTTP_HOST="web:8000")

    assert response.status_code == 200


@pytest.mark.django_db
def test_request_latency_is_observed_by_view_and_status_class(client):
    ok = {"view": "healthz", "method": "GET", "status": "2xx"}
    missing = {"view": "unmatched", "method": "GET", "status": "4xx"}
    before_ok = sample("sneakerstock_http_request_duration_seconds_count", **ok)
    before_missing = sample("sneakerstock_http_request_duration_seconds_count", **missing)

    client.get("/healthz/")
    client.get("/no-such-page-050-234-5678/")

    assert sample("sneakerstock_http_request_duration_seconds_count", **ok) == before_ok + 1
    assert (
        sample("sneakerstock_http_request_duration_seconds_count", **missing) == before_missing + 1
    )


@pytest.mark.django_db
def test_outbox_figures_give_depth_and_the_oldest_due_text_per_channel(operator):
    late = Message.objects.create(
        recipient=PHONE, body="x", purpose="other", idempotency_key="m1", channel="sms"
    )
    Message.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(minutes=7))
    Message.objects.create(
        recipient=PHONE,
        body="x",
        purpose="other",
        idempotency_key="m2",
        channel="sms",
        send_after=timezone.now() + timedelta(hours=8),
    )

    text = scraped(operator)

    assert figure(text, "sneakerstock_outbox_messages", channel="sms", state="queued") == 1
    assert figure(text, "sneakerstock_outbox_messages", channel="sms", state="deferred") == 1
    assert figure(text, "sneakerstock_outbox_oldest_seconds", channel="sms") >= 7 * 60
    assert figure(text, "sneakerstock_outbox_oldest_seconds", channel="whatsapp") == 0
    assert figure(text, "sneakerstock_database_up") == 1


@pytest.mark.django_db
def test_message_sends_are_counted_by_channel_result_and_code(django_capture_on_commit_callbacks):
    sent = {"channel": "sms", "result": "sent", "error_code": ""}
    refused = {"channel": "sms", "result": "failed", "error_code": "opted_out"}
    before = sample("sneakerstock_message_sends_total", **sent)
    before_refused = sample("sneakerstock_message_sends_total", **refused)
    first = Message.objects.create(recipient=PHONE, body="a", purpose="other", idempotency_key="a")
    other = "+972502345679"
    OptOut.objects.create(phone=other)
    second = Message.objects.create(recipient=other, body="b", purpose="other", idempotency_key="b")

    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_send(message_id=first.pk)
        messaging.message_send(message_id=second.pk)

    assert sample("sneakerstock_message_sends_total", **sent) == before + 1
    assert sample("sneakerstock_message_sends_total", **refused) == before_refused + 1


@pytest.mark.django_db(transaction=True)
def test_a_restock_counts_holds_and_observes_the_allocation_lag():
    store, variant = StoreFactory(), VariantFactory()
    WaitlistEntryFactory(store=store, variant=variant, phone=PHONE)
    created = sample("sneakerstock_holds_total", event="created", purpose="waitlist")
    lags = sample("sneakerstock_allocation_lag_seconds_count")
    # The histogram is the process's: earlier tests in it may have observed lags of their own.
    waited = sample("sneakerstock_allocation_lag_seconds_sum")

    inventory.stock_receive(store=store, variant=variant, quantity=1)

    assert sample("sneakerstock_holds_total", event="created", purpose="waitlist") == created + 1
    assert sample("sneakerstock_allocation_lag_seconds_count") == lags + 1
    assert 0 <= sample("sneakerstock_allocation_lag_seconds_sum") - waited < 3600


@pytest.mark.django_db(transaction=True)
def test_holds_collected_and_lapsed_are_counted():
    store, variant = StoreFactory(), VariantFactory()
    inventory.stock_receive(store=store, variant=variant, quantity=2)
    collected = sample("sneakerstock_holds_total", event="collected", purpose="waitlist")
    expired = sample("sneakerstock_holds_total", event="expired", purpose="waitlist")
    taken = inventory.hold_place(store=store, variant=variant)
    inventory.hold_start_clock(hold=taken)
    lapsing = inventory.hold_place(store=store, variant=variant)
    inventory.hold_start_clock(hold=lapsing, at=timezone.now() - settings.HOLD_DURATION * 2)

    inventory.hold_collect(hold=taken)
    inventory.hold_expire_due()

    assert sample("sneakerstock_holds_total", event="collected", purpose="waitlist") == (
        collected + 1
    )
    assert sample("sneakerstock_holds_total", event="expired", purpose="waitlist") == expired + 1


@pytest.mark.django_db
def test_till_lines_are_counted_applied_and_in_conflict():
    store, variant = StoreFactory(code="HFA"), VariantFactory()
    _token, key = till_token_create(store=store, name="till 1")
    till = Client(headers={"authorization": f"Bearer {key}"})
    applied = sample("sneakerstock_till_lines_total", store="HFA", result="applied")
    conflicts = sample("sneakerstock_till_lines_total", store="HFA", result="conflict")

    def post(quantity: int) -> int:
        line = {"type": "receipt", "sku": variant.sku, "quantity": quantity, "reference": "R-1"}
        body = json.dumps({"lines": [line]})
        return till.post("/api/v1/movements", body, content_type="application/json").status_code

    assert post(2) == 200
    assert post(3) == 409

    assert sample("sneakerstock_till_lines_total", store="HFA", result="applied") == applied + 1
    assert sample("sneakerstock_till_lines_total", store="HFA", result="conflict") == conflicts + 1


@pytest.mark.django_db
def test_store_figures_say_which_stores_are_open_and_how_long_their_tills_were_quiet(operator):
    now = timezone.localtime()
    store = StoreFactory(code="EIL")
    StoreHours.objects.filter(store=store).delete()
    StoreHours.objects.create(
        store=store, weekday=now.isoweekday() % 7, opens="00:00", closes="23:59:59"
    )
    _token, key = till_token_create(store=store, name="till 1")
    variant = VariantFactory()
    line = {"type": "receipt", "sku": variant.sku, "quantity": 1, "reference": "R-9"}
    Client(headers={"authorization": f"Bearer {key}"}).post(
        "/api/v1/movements", json.dumps({"lines": [line]}), content_type="application/json"
    )

    text = scraped(operator)

    assert figure(text, "sneakerstock_store_open", store="EIL") == 1
    assert figure(text, "sneakerstock_till_idle_seconds", store="EIL") < 60


@pytest.mark.django_db
def test_kept_pages_count_a_build_then_hits(client):
    built = sample("sneakerstock_kept_lookups_total", kind="page", result="built")
    hits = sample("sneakerstock_kept_lookups_total", kind="page", result="memory") + sample(
        "sneakerstock_kept_lookups_total", kind="page", result="cache"
    )

    client.get("/stores/")
    client.get("/stores/")

    assert sample("sneakerstock_kept_lookups_total", kind="page", result="built") == built + 1
    after = sample("sneakerstock_kept_lookups_total", kind="page", result="memory") + sample(
        "sneakerstock_kept_lookups_total", kind="page", result="cache"
    )
    assert after == hits + 1


@pytest.mark.django_db
def test_no_metric_carries_a_full_number(operator, client):
    """A journey with numbers in it, then the scrape: no label holds one."""
    client.get("/no-such-page-050-234-5678/")
    Message.objects.create(recipient=PHONE, body="x", purpose="other", idempotency_key="n1")
    messaging.message_send(message_id=Message.objects.get().pk)

    text = scraped(operator)

    assert PHONE not in text and "050-234-5678" not in text and "0502345678" not in text
    labels = " ".join(re.findall(r"\{[^}]*\}", text))
    assert labels and redact(labels) == labels, "a label holds something the log rules mask"
    assert not re.search(r"\d{7}", labels), "a label holds a long run of digits"
