"""The number's "My requests" page: everything open for a confirmed number — alerts waiting,
pairs held, pairs on their way, requests waiting for staff — each with its cancel, and nothing
of another number's."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demand import selectors, services
from demand.models import WaitlistEntry
from demand.views.session import MINE_KEY
from inventory import services as inventory
from inventory.models import Hold, Transfer
from notifications.backends import locmem
from notifications.models import Message
from notifications.texts import manage_path
from tests.factories import ConfirmedNumberFactory, VariantFactory, WaitlistEntryFactory
from tests.inventory.views import conftest as shop_fixtures
from tests.inventory.views.helpers import available
from tests.pickup import open_every_day

# Stores in real cities, a warehouse and one shoe in two sizes.
shop = shop_fixtures.shop
pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+972502345678"
OTHER = "+972523456789"


@pytest.fixture(autouse=True)
def _fresh_limits_and_outbox():
    cache.clear()
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


class Open:
    """One of each kind of open request for a number."""

    def __init__(self, shop, phone: str) -> None:
        ConfirmedNumberFactory(phone=phone)
        self.alert = WaitlistEntryFactory(
            phone=phone, variant=shop.size_43, store=shop.jerusalem, status="active"
        )
        self.hold = services.pair_hold_for_customer(
            phone=phone, variant=shop.size_42, store=shop.haifa, language="he"
        )
        self.awaiting = services.bring_to_store(
            phone=phone, variant=shop.size_43, store=shop.tel_aviv, language="he"
        )
        self.coming = services.bring_to_store(
            phone=phone, variant=shop.size_43, store=shop.haifa, language="he"
        )
        inventory.transfer_approve(transfer=self.coming, user=None)


def mine_client(phone: str = PHONE) -> Client:
    """A browser that confirmed `phone` with a code in this session."""
    client = Client()
    session = client.session
    session[MINE_KEY] = phone
    session.save()
    return client


def page_of(client: Client) -> str:
    response = client.get(reverse("demand:mine"))
    assert response.status_code == 200
    return response.content.decode()


def item(page: str, element_id: str) -> bool:
    return f'id="{element_id}"' in page


def test_my_requests_lists_all_four_kinds_for_the_number_only(shop):
    mine, theirs = Open(shop, PHONE), Open(shop, OTHER)
    page = page_of(mine_client())
    assert "הבקשות שלי" in page
    assert "+97250•••••78" in page and "2345678" not in page  # masked
    for element in (
        f"entry-{mine.alert.pk}",
        f"hold-{mine.hold.pk}",
        f"transfer-{mine.awaiting.pk}",
        f"transfer-{mine.coming.pk}",
    ):
        assert item(page, element), element
    for element in (
        f"entry-{theirs.alert.pk}",
        f"hold-{theirs.hold.pk}",
        f"transfer-{theirs.awaiting.pk}",
        f"transfer-{theirs.coming.pk}",
    ):
        assert not item(page, element), element
    # Each under its own heading, with its cancel.
    for heading in ("זוגות ששמורים לך", "זוגות בדרך אליך", "ממתינות לאישור צוות הסניף"):
        assert heading in page
    assert f'name="release_hold" value="{mine.hold.pk}"' in page
    assert f'name="cancel_transfer" value="{mine.awaiting.pk}"' in page
    assert f'name="cancel_transfer" value="{mine.coming.pk}"' in page
    assert f'name="cancel" value="{mine.alert.pk}"' in page


def test_my_requests_in_english_under_en(shop):
    Open(shop, PHONE)
    client = mine_client()
    page = client.get("/en" + reverse("demand:mine")).content.decode()
    assert "My requests" in page and "Pairs held for you" in page
    assert "Waiting for the store staff" in page and "Pairs on their way to you" in page


def test_my_requests_selector_query_count_does_not_grow_with_rows(shop):
    Open(shop, PHONE)
    with CaptureQueriesContext(connection) as few:
        selectors.my_requests(PHONE)
    for size in ("44", "45", "46"):
        WaitlistEntryFactory(
            phone=PHONE,
            variant=VariantFactory(product=shop.product, eu_size=Decimal(size)),
            store=shop.haifa,
        )
    with CaptureQueriesContext(connection) as many:
        found = selectors.my_requests(PHONE)
        [(e.variant.product.name, e.store.name) for e in found.waiting]
        [(p.hold.variant.product.name, p.hold.store.name) for p in found.held]
        [(t.variant.product.name, t.to_store.name) for t in found.coming + found.awaiting_staff]
    assert len(found.waiting) == 4
    assert len(many.captured_queries) == len(few.captured_queries) <= 4


def test_my_requests_cancel_a_waiting_alert(shop):
    mine = Open(shop, PHONE)
    client = mine_client()
    response = client.post(reverse("demand:mine"), {"cancel": mine.alert.pk}, follow=True)
    mine.alert.refresh_from_db()
    assert mine.alert.status == WaitlistEntry.Status.CANCELLED
    assert not item(response.content.decode(), f"entry-{mine.alert.pk}")
    assert "בוטל" in response.content.decode()


def test_my_requests_release_a_held_pair(shop):
    mine = Open(shop, PHONE)
    before = available(shop.haifa, shop.size_42)
    response = mine_client().post(
        reverse("demand:mine"), {"release_hold": mine.hold.pk}, follow=True
    )
    mine.hold.refresh_from_db()
    assert mine.hold.status == Hold.Status.RELEASED
    assert available(shop.haifa, shop.size_42) == before + 1
    assert not item(response.content.decode(), f"hold-{mine.hold.pk}")


def test_my_requests_release_a_waitlist_hold_ends_its_alert(shop, settings):
    ConfirmedNumberFactory(phone=PHONE)
    entry = WaitlistEntryFactory(phone=PHONE, variant=shop.size_42, store=shop.haifa)
    services.waitlist_allocate(store_id=shop.haifa.pk, variant_id=shop.size_42.pk)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.HELD
    mine_client().post(reverse("demand:mine"), {"release_hold": entry.hold_id})
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.CANCELLED
    assert Hold.objects.get(pk=entry.hold_id).status == Hold.Status.RELEASED


@pytest.mark.parametrize("which", ["awaiting", "coming"])
def test_my_requests_cancel_a_bring_request(shop, which):
    mine = Open(shop, PHONE)
    transfer = getattr(mine, which)
    source = transfer.from_store
    before = available(source, transfer.variant)
    response = mine_client().post(
        reverse("demand:mine"), {"cancel_transfer": transfer.pk}, follow=True
    )
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED
    assert available(source, transfer.variant) == before + 1  # back on sale at the source
    page = response.content.decode()
    assert not item(page, f"transfer-{transfer.pk}")
    assert "לא נביא את הזוג" in page


def test_my_requests_a_dispatched_pair_cannot_be_called_off(shop):
    mine = Open(shop, PHONE)
    inventory.transfer_dispatch(transfer=mine.coming, user=None)
    client = mine_client()
    page = page_of(client)
    assert item(page, f"transfer-{mine.coming.pk}")
    assert f'name="cancel_transfer" value="{mine.coming.pk}"' not in page
    response = client.post(reverse("demand:mine"), {"cancel_transfer": mine.coming.pk}, follow=True)
    assert response.status_code == 200
    assert "message--error" in response.content.decode()
    mine.coming.refresh_from_db()
    assert mine.coming.status == Transfer.Status.DISPATCHED


def test_my_requests_refuses_another_numbers_items_and_changes_nothing(shop):
    Open(shop, PHONE)
    theirs = Open(shop, OTHER)
    client = mine_client()
    for field, value in (
        ("cancel", theirs.alert.pk),
        ("release_hold", theirs.hold.pk),
        ("cancel_transfer", theirs.awaiting.pk),
        ("cancel_transfer", theirs.coming.pk),
    ):
        response = client.post(reverse("demand:mine"), {field: value}, follow=True)
        assert response.status_code == 200
        assert "זה לא נמצא בין הבקשות הפתוחות של המספר הזה" in response.content.decode(), field
    theirs.alert.refresh_from_db()
    assert theirs.alert.status == WaitlistEntry.Status.ACTIVE
    assert Hold.objects.get(pk=theirs.hold.pk).status == Hold.Status.ACTIVE
    assert Transfer.objects.get(pk=theirs.awaiting.pk).status == Transfer.Status.AWAITING_APPROVAL
    assert Transfer.objects.get(pk=theirs.coming.pk).status == Transfer.Status.REQUESTED


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "99999999999999999999", "1 OR 1=1"])
def test_my_requests_bad_ids_get_a_message_never_a_500(shop, value):
    Open(shop, PHONE)
    client = mine_client()
    for field in ("cancel", "release_hold", "cancel_transfer"):
        response = client.post(reverse("demand:mine"), {field: value}, follow=True)
        assert response.status_code == 200, (field, value)


def test_my_requests_a_suggested_transfer_on_its_way_is_listed_and_cancelled(shop):
    ConfirmedNumberFactory(phone=PHONE)
    entry = WaitlistEntryFactory(phone=PHONE, variant=shop.size_42, store=shop.tel_aviv)
    transfer = inventory.transfer_request(
        variant=shop.size_42,
        from_store=shop.haifa,
        to_store=shop.tel_aviv,
        customer_phone=PHONE,
        user=None,
    )
    WaitlistEntry.objects.filter(pk=entry.pk).update(status="transfer", transfer=transfer)
    client = mine_client()
    page = page_of(client)
    assert item(page, f"transfer-{transfer.pk}") and not item(page, f"entry-{entry.pk}")
    client.post(reverse("demand:mine"), {"cancel_transfer": transfer.pk})
    entry.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED
    assert entry.status == WaitlistEntry.Status.CANCELLED  # not back in the queue


def test_text_link_page_is_my_requests_with_the_pair_first(shop):
    mine = Open(shop, PHONE)
    message = Message.objects.get(hold=mine.hold)
    page = Client().get(manage_path(message.pk, "he")).content.decode()
    assert "הבקשות שלי" in page and 'id="pickup"' in page
    assert not item(page, f"hold-{mine.hold.pk}")  # the pair is the first panel, not listed twice
    assert item(page, f"entry-{mine.alert.pk}") and item(page, f"transfer-{mine.awaiting.pk}")


def test_text_link_page_cancels_and_refuses_like_the_mine_page(shop):
    mine = Open(shop, PHONE)
    theirs = Open(shop, OTHER)
    path = manage_path(Message.objects.get(hold=mine.hold).pk, "he")
    Client().post(path, {"cancel_transfer": theirs.awaiting.pk})
    Client().post(path, {"cancel_transfer": mine.awaiting.pk})
    assert Transfer.objects.get(pk=theirs.awaiting.pk).status == Transfer.Status.AWAITING_APPROVAL
    assert Transfer.objects.get(pk=mine.awaiting.pk).status == Transfer.Status.CANCELLED


def test_held_pairs_link_to_their_pickup_page_which_links_back(shop):
    open_every_day(shop.haifa)
    Open(shop, PHONE)
    page = page_of(mine_client())
    pickup = re.search(r'href="(/a/[^"]+/pickup)"', page)
    assert pickup is not None
    response = Client().get(pickup.group(1))
    assert response.status_code == 200
    pickup_page = response.content.decode()
    assert "מתי תגיעו?" in pickup_page
    token = pickup.group(1).split("/")[2]
    assert f'href="{reverse("demand:manage", kwargs={"token": token})}"' in pickup_page
    assert "הבקשות שלי" in pickup_page


def test_pickup_page_of_an_ended_hold_says_so(shop):
    mine = Open(shop, PHONE)
    message = Message.objects.get(hold=mine.hold)
    inventory.hold_release(hold=mine.hold)
    token = manage_path(message.pk, "he").rsplit("/", 1)[1]
    response = Client().get(reverse("demand:pickup", kwargs={"token": token}))
    assert response.status_code == 200
    assert "מתי תגיעו?" not in response.content.decode()


def test_find_then_code_lands_on_my_requests(shop):
    mine = Open(shop, PHONE)
    client = Client()
    client.post(reverse("demand:find"), {"phone": "050-234-5678"})
    code = re.search(r"\b(\d{6})\b", locmem.outbox[-1].body).group(1)
    response = client.post(reverse("demand:confirm"), {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("demand:mine")
    assert item(response.content.decode(), f"hold-{mine.hold.pk}")


def code_in(outbox):
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


def test_pairs_limit_message_links_to_my_requests_once_confirmed_here(shop):
    Open(shop, PHONE)  # three pairs held or on their way: the limit
    client = Client()
    url = f"{reverse('demand:pair_hold')}?variant={shop.size_42.pk}&store={shop.jerusalem.pk}"
    client.post(url, {"phone": "050-234-5678", "language": "he"})
    done = client.post(reverse("demand:confirm"), {"code": code_in(locmem.outbox)}, follow=True)
    page = done.content.decode()
    assert "למספר הזה כבר יש 3 זוגות שמורים או בדרך" in page
    assert f'href="{reverse("demand:mine")}"' in page
    assert "לבקשות שלי, כדי לאסוף או לבטל אחת" in page
    assert client.get(reverse("demand:mine")).status_code == 200


def test_pairs_limit_link_goes_to_find_when_not_confirmed_in_this_session(shop):
    Open(shop, PHONE)
    client = Client()
    url = f"{reverse('demand:pair_hold')}?variant={shop.size_42.pk}&store={shop.jerusalem.pk}"
    client.post(url, {"phone": "050-234-5678", "language": "he"})
    client.post(reverse("demand:confirm"), {"code": code_in(locmem.outbox)})
    # The same browser on another day: its cookie trusts the number, its session is gone.
    session = client.session
    session.flush()
    client.cookies.pop("sessionid", None)
    response = client.post(url, {"phone": "050-234-5678", "language": "he"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("demand:request_done")
    assert "למספר הזה כבר יש 3 זוגות שמורים או בדרך" in page
    assert "לבקשות שלי, כדי לאסוף או לבטל אחת" in page
    assert f'href="{reverse("demand:find")}"' in page
    assert f'href="{reverse("demand:mine")}"' not in page


def test_my_requests_in_hebrew_has_no_english_sentences(shop):
    from tests.test_catalogues import english_runs

    mine = Open(shop, PHONE)
    inventory.transfer_dispatch(transfer=mine.coming, user=None)
    client = mine_client()
    pages = [page_of(client)]
    path = manage_path(Message.objects.get(hold=mine.hold).pk, "he")
    pages.append(Client().get(path).content.decode())
    pages.append(Client().get(path + "/pickup").content.decode())
    names = [shop.product.name, shop.product.brand.name, shop.product.style_code]
    assert [english_runs(page, names) for page in pages] == [[], [], []]
