"""Hostile input on every public and staff form and query string: never a 500, never
reflected markup, and nothing written by a request that was refused.

One shared list of payloads (non-ASCII digits, NUL, 10,000 characters, bidi overrides, HTML and
SQL fragments, bare words where a path belongs, out-of-range dates and integers) goes into every
parameter of every page below, one at a time.
"""

import pytest
from django.db.models import Sum

from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold, StockLevel, StockMovement, Transfer
from notifications.models import Message
from tests.factories import ProductFactory, StoreFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert(1)</script>"
PAYLOADS = [
    "²",
    "٣",
    "1\x00",
    "\x00",
    "x" * 10_000,
    "\u202e\u2066evil",
    MARKUP,
    "\"'><img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "1; DROP TABLE inventory_hold",
    "abc",
    "//evil.example/",
    "javascript:alert(1)",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "-1",
    "0",
    "9223372036854775808",
    "1e309",
    "",
    " ",
]


@pytest.fixture
def world(client):
    store, other = StoreFactory(code="TLV"), StoreFactory(code="JLM")
    product = ProductFactory()
    variant = VariantFactory(product=product)
    inventory.stock_receive(store=store, variant=variant, quantity=3)
    inventory.stock_receive(store=other, variant=variant, quantity=3)
    boss = UserFactory(is_staff=True, is_superuser=True)
    transfer = inventory.transfer_request(
        variant=variant, from_store=other, to_store=store, user=boss
    )
    client.force_login(boss)
    return {
        "store": store,
        "other": other,
        "product": product,
        "variant": variant,
        "transfer": transfer,
    }


# A hostile-looking comment is still a comment, and a bad `next` must not stop the dispatch
# it came with: these two may write. Every other request here is refused, and writes nothing.
MAY_WRITE = ("/feedback/", "/dispatch/")


def _counts() -> dict[str, int]:
    return {
        "entries": WaitlistEntry.objects.count(),
        "texts": Message.objects.count(),
        "holds": Hold.objects.count(),
        "transfers": Transfer.objects.count(),
        "moves": StockMovement.objects.count(),
        "on_hand": StockLevel.objects.aggregate(total=Sum("on_hand"))["total"] or 0,
    }


def _pages(world) -> list[tuple[str, str, list[str]]]:
    """(method, path, parameters) for every page that reads input."""
    t = world["transfer"].pk
    pair = f"variant={world['variant'].pk}&store={world['store'].pk}"
    return [
        ("get", "/", ["q"]),
        (
            "get",
            "/sneakers/",
            ["q", "brand", "category", "size", "store", "sort", "page", "in_stock", "gender"],
        ),
        ("get", f"/sneakers/{world['product'].slug}/", ["size", "store", "city"]),
        ("get", "/stores/", ["city"]),
        ("get", "/alerts/", ["variant", "store", "size"]),
        ("post", "/alerts/", ["variant", "store", "phone", "language"]),
        ("post", "/alerts/confirm/", ["code"]),
        ("get", "/a/1-aaaaaaaaaaaa", []),
        ("get", "/pairs/hold/", ["variant", "store"]),
        ("post", f"/pairs/hold/?{pair}", ["phone", "language"]),
        ("get", "/pairs/bring/", ["variant", "store"]),
        ("post", f"/pairs/bring/?{pair}", ["phone", "language"]),
        ("post", "/a/1-aaaaaaaaaaaa/pickup", ["slot", "extend", "release"]),
        ("post", "/feedback/", ["found", "comment", "product", "next"]),
        ("get", "/staff/", ["q", "city", "store", "page"]),
        ("get", "/staff/transfers/new/", ["variant", "from_store", "to_store"]),
        (
            "post",
            "/staff/transfers/new/",
            [
                "code",
                "variant",
                "from_store",
                "to_store",
                "quantity",
                "customer_name",
                "customer_phone",
                "note",
            ],
        ),
        ("get", "/staff/transfers/", ["store", "page"]),
        ("get", "/staff/transfers/history/", ["store", "page"]),
        ("get", "/staff/transfers/requests/", ["store"]),
        ("post", f"/staff/transfers/{t}/approve/", ["next"]),
        ("post", f"/staff/transfers/{t}/decline/", ["next", "reason", "action"]),
        ("get", f"/staff/transfers/{t}/decline/", ["next"]),
        ("get", "/staff/holds/", ["store"]),
        ("post", f"/staff/transfers/{t}/dispatch/", ["next", "expected_date"]),
        ("get", "/staff/cx/", ["store", "start", "end", "export"]),
        ("get", "/staff/transfers/suggested/", ["store"]),
        ("post", "/staff/transfers/suggested/999/approve/", ["next"]),
        ("get", "/staff/cx/buying/", ["export"]),
        ("get", "/admin/inventory/stocklevel/", ["q", "store__id__exact", "p"]),
    ]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_every_page_survives_hostile_input(client, world, payload):
    problems = []
    for method, path, parameters in _pages(world):
        for name in parameters or [None]:
            data = {name: payload} if name else {}
            before = _counts()
            where = f"{method.upper()} {path} {name}={payload[:20]!r}"
            try:
                response = getattr(client, method)(path, data)
            except Exception as exc:  # the test client re-raises what became a 500
                problems.append(f"500 ({type(exc).__name__}: {str(exc)[:80]}): {where}")
                continue
            if response.status_code >= 500:
                problems.append(f"{response.status_code}: {where}")
            if MARKUP in response.content.decode(errors="replace"):
                problems.append(f"reflected markup: {where}")
            if not any(part in path for part in MAY_WRITE) and _counts() != before:
                problems.append(f"a refused request wrote something: {where}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("payload", ["abc", "//evil.example/", "javascript:alert(1)", "²"])
def test_staff_actions_with_a_bad_next_do_their_job_and_stay_on_the_site(client, world, payload):
    transfer = world["transfer"]
    response = client.post(f"/staff/transfers/{transfer.pk}/cancel/", {"next": payload})
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED


WEBHOOK_TOKEN = "test-auth-token"
WEBHOOK_PHONE = "+972502345678"
# (path, a valid callback, the further fields the view reads)
WEBHOOKS = [
    (
        "/sms/inbound/",
        {"MessageSid": "SM" + "b" * 32, "From": WEBHOOK_PHONE, "Body": "HELP"},
        ["To"],
    ),
    (
        "/sms/status/",
        {"MessageSid": "SM" + "a" * 32, "MessageStatus": "delivered"},
        ["To", "From", "ErrorCode"],
    ),
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_every_webhook_survives_hostile_input_with_a_valid_signature(client, settings, payload):
    """Twilio's signature proves who sent a callback, not that its fields make sense."""
    from twilio.request_validator import RequestValidator

    from notifications.models import OptOut, ProcessedWebhook

    settings.TWILIO_AUTH_TOKEN = WEBHOOK_TOKEN
    validator = RequestValidator(WEBHOOK_TOKEN)
    problems = []
    for path, valid, further in WEBHOOKS:
        for name in [*valid, *further]:
            params = {**valid, name: payload}
            before = (ProcessedWebhook.objects.count(), OptOut.objects.count(), _counts())
            where = f"POST {path} {name}={payload[:20]!r}"
            signature = validator.compute_signature(f"http://testserver{path}", params)
            try:
                response = client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
            except Exception as exc:  # the test client re-raises what became a 500
                problems.append(f"500 ({type(exc).__name__}: {str(exc)[:80]}): {where}")
                continue
            after = (ProcessedWebhook.objects.count(), OptOut.objects.count(), _counts())
            if response.status_code not in (200, 204, 400):
                problems.append(f"{response.status_code}: {where}")
            if response.status_code == 400 and after != before:
                problems.append(f"a refused callback wrote something: {where}")
            if ("\x00" in payload or len(payload) > 1600) and response.status_code != 400:
                problems.append(f"{response.status_code}, not 400: {where}")
            if Message.objects.exclude(recipient=WEBHOOK_PHONE).exists():
                problems.append(f"a reply to a number that is not one: {where}")
            ProcessedWebhook.objects.all().delete()
            Message.objects.all().delete()
    assert not problems, "\n".join(problems)
