"""The dashboard's daily totals: kept live by the database's triggers (PostgreSQL and SQLite
alike), rebuilt from the raw rows, and the money the collected pairs brought in."""

import csv
import io
import random
import statistics
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from demand.models import WaitlistEntry
from insights import selectors
from insights.models import DailyCollection, DailyDuration, DailyTotal
from insights.selectors import Collected, Period, dashboard
from insights.totals import bucket_bounds, histogram_median
from inventory import services as inventory
from inventory.models import Hold, Transfer
from notifications.models import Message
from reviews import services
from reviews.models import Rating
from tests.factories import (
    HoldFactory,
    ProductFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    WaitlistEntryFactory,
    put_stock,
    staff_user,
)


def _local(day_offset: int, at: time) -> datetime:
    """A moment `day_offset` days from today, at `at` Israel time."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, at))


def _at(obj, **moments):
    type(obj).objects.filter(pk=obj.pk).update(**moments)
    obj.refresh_from_db()
    return obj


def _totals() -> dict[str, set[tuple]]:
    """Every total that counts something, as plain tuples (rows the triggers left at zero
    mean nothing)."""
    return {
        "daily": {
            tuple(row)
            for row in DailyTotal.objects.values_list(
                "day",
                "store_id",
                "signups",
                "signups_collected",
                "texts_sent",
                "holds_created",
                "holds_active",
                "holds_collected",
                "holds_released",
                "holds_expired",
                "collected",
                "transfers_requested",
                "transfers_received",
                "ratings",
                "rating_points",
                "ratings_1",
                "ratings_2",
                "ratings_3",
                "ratings_4",
                "ratings_5",
            )
            if any(row[2:])
        },
        "collections": {
            tuple(row)
            for row in DailyCollection.objects.values_list(
                "day", "store_id", "purpose", "pairs", "value"
            )
            if row[3] or row[4]
        },
        "durations": {
            tuple(row)
            for row in DailyDuration.objects.values_list(
                "day", "store_id", "measure", "bucket", "count"
            )
            if row[4]
        },
    }


def _comparable(d: selectors.Dashboard) -> dict:
    return {
        "signups": d.signups,
        "texts": d.texts_sent,
        "holds": d.holds,
        "collected_from_signups": d.collected_from_signups,
        "medians": (d.median_signup_to_text, d.median_text_to_collection, d.median_transfer_lead),
        "transfers": (d.transfers_requested, d.transfers_received),
        "ratings": (d.rating_count, d.rating_average, d.rating_distribution),
        "trend": d.trend,
        "money": (
            [(row.store.pk, row.cells, row.total) for row in d.money.stores],
            d.money.cells,
            d.money.total,
        ),
    }


def _varied_history():
    """Sign-ups, holds, texts, transfers and ratings in three stores, several of them a
    second either side of Israel's midnight (and at UTC's midnight, which is not Israel's),
    changed later by services and by bulk updates, some deleted, some rolled back."""
    a, b, origin = StoreFactory(code="a"), StoreFactory(code="b"), StoreFactory(code="c")
    product = ProductFactory(price=Decimal("500.00"))
    shoe = VariantFactory(product=product)
    rng = random.Random(7)
    moments = [
        _local(-3, time(23, 59, 59)),
        _local(-2, time(0, 0, 0)),
        _local(-2, time(0, 0, 1)),
        _local(-1, time(12, 0)),
        timezone.make_aware(
            datetime.combine(timezone.localdate() - timedelta(days=1), time(0, 0)), UTC
        ),
    ]
    holds = []
    for n, moment in enumerate(moments * 2):
        store = (a, b)[n % 2]
        # Not waiting: the pairs below are for these entries, not for the allocator.
        entry = WaitlistEntryFactory(
            store=store, variant=shoe, status="held", activated_at=None if n == 3 else moment
        )
        _at(entry, created_at=moment)
        put_stock(store, shoe, on_hand=1)
        hold = inventory.hold_place(store=store, variant=shoe)
        _at(hold, created_at=moment + timedelta(hours=rng.randint(1, 30)))
        WaitlistEntry.objects.filter(pk=entry.pk).update(hold=hold, status="held")
        inventory.hold_start_clock(hold=hold, at=timezone.now() - timedelta(minutes=n + 1))
        Message.objects.create(
            recipient=entry.phone,
            body="…",
            hold=hold,
            purpose=Message.Purpose.HOLD_READY,
            idempotency_key=f"ready:{n}",
            status="sent",
            sent_at=moment + timedelta(seconds=n),
        )
        holds.append((hold, entry))
    # Collected (two at a new price), released, expired by bulk update, one left active.
    for hold, entry in holds[:4]:
        inventory.hold_collect(hold=hold)
        WaitlistEntry.objects.filter(pk=entry.pk).update(status="collected")
    product.price = Decimal("650.00")
    product.save()
    for hold, _entry in holds[4:6]:
        inventory.hold_collect(hold=hold)
    inventory.hold_release(hold=holds[6][0])
    Hold.objects.filter(pk=holds[7][0].pk).update(status="expired", ended_at=timezone.now())
    WaitlistEntry.objects.filter(pk=holds[7][1].pk).update(status="lapsed")
    # A text told later moves a sign-up's wait; a text with no store counts for all stores.
    Hold.objects.filter(pk=holds[8][0].pk).update(notified_at=timezone.now())
    Message.objects.create(
        recipient="+972501110000",
        body="code",
        idempotency_key="code:1",
        purpose=Message.Purpose.VERIFICATION,
        status="sent",
        sent_at=moments[1],
    )
    # A transfer in for a customer, collected; one still on its way.
    transfer = Transfer.objects.create(
        variant=shoe,
        from_store=origin,
        to_store=a,
        status=Transfer.Status.RECEIVED,
        received_at=moments[2] + timedelta(hours=30),
    )
    _at(transfer, requested_at=moments[2])
    Transfer.objects.create(variant=shoe, from_store=origin, to_store=b)
    put_stock(a, shoe, on_hand=1)
    transfer_hold = HoldFactory(
        store=a, variant=shoe, transfer=transfer, status="active", ended_at=None
    )
    inventory.stock_reserve(store=a, variant=shoe, quantity=1)
    inventory.hold_collect(hold=transfer_hold)
    # Ratings, one deleted again.
    for n, (hold, _entry) in enumerate(holds[:5]):
        services.rating_submit(
            hold=Hold.objects.get(pk=hold.pk), score=n + 1, comment="", language="he"
        )
    Rating.objects.filter(hold=holds[4][0]).delete()
    _at(Rating.objects.get(hold=holds[0][0]), created_at=moments[0])
    # Rolled back: a whole transaction, and a savepoint inside one that commits.
    with pytest.raises(RuntimeError), transaction.atomic():
        WaitlistEntryFactory(store=a, variant=shoe)
        inventory.hold_collect(hold=holds[9][0])
        raise RuntimeError("the till went away")
    with transaction.atomic():
        WaitlistEntryFactory(store=b, variant=shoe)
        with pytest.raises(RuntimeError), transaction.atomic():
            Rating.objects.filter(store=a).delete()
            raise RuntimeError("changed my mind")
    return {"a": a, "b": b}


@pytest.mark.django_db(transaction=True)  # real commits and rollbacks
def test_daily_totals_kept_live_agree_with_a_rebuild_from_raw_rows():
    stores = _varied_history()
    live = _totals()
    assert sum(row[2] for row in live["daily"]) == 10  # the confirmed sign-ups, counted live
    assert {row[1] for row in live["daily"]} >= {stores["a"].pk, stores["b"].pk, None}

    call_command("rebuild_daily_totals", stdout=io.StringIO())
    assert _totals() == live
    today = timezone.localdate()
    call_command(
        "rebuild_daily_totals",
        "--from",
        (today - timedelta(days=2)).isoformat(),
        "--to",
        today.strftime("%d/%m/%Y"),
        stdout=io.StringIO(),
    )
    assert _totals() == live

    for store in (None, stores["a"], stores["b"]):
        for start in (today - timedelta(days=6), today - timedelta(days=2), today):
            period = Period(start=start, end=today, store=store)
            assert _comparable(dashboard(period=period)) == _comparable(
                dashboard(period=period, from_rows=True)
            )


@pytest.mark.django_db
def test_rebuild_daily_totals_restores_totals_that_were_lost():
    _varied_history()
    live = _totals()
    DailyTotal.objects.all().delete()
    DailyDuration.objects.filter(day=timezone.localdate() - timedelta(days=2)).delete()
    DailyCollection.objects.update(pairs=99)
    call_command("rebuild_daily_totals", stdout=io.StringIO())
    assert _totals() == live


def test_rebuild_daily_totals_refuses_a_backwards_range():
    with pytest.raises(CommandError, match="after"):
        call_command("rebuild_daily_totals", "--from", "10/11/2026", "--to", "01/11/2026")
    with pytest.raises(CommandError, match="not a date"):
        call_command("rebuild_daily_totals", "--from", "31/02/2026")


def test_histogram_median_is_within_a_bucket_of_the_exact_median():
    rng = random.Random(3)
    for size in (1, 2, 5, 101, 2000):
        durations = [rng.expovariate(1 / 36_000) for _ in range(size)]
        counts: dict[int, int] = {}
        for seconds in durations:
            bucket = (
                0
                if seconds < 1
                else next(b for b in range(1, 400) if seconds < bucket_bounds(b)[1])
            )
            counts[bucket] = counts.get(bucket, 0) + 1
        assert histogram_median(counts) == pytest.approx(statistics.median(durations), rel=0.1)
    assert histogram_median({}) is None


@pytest.mark.django_db
def test_dashboard_reads_long_periods_medians_from_the_histograms(monkeypatch):
    store = StoreFactory()
    now = timezone.now()
    for minutes in (30, 60, 90, 600, 1440):
        HoldFactory(
            store=store,
            status=Hold.Status.COLLECTED,
            notified_at=now - timedelta(minutes=minutes),
            ended_at=now,
        )
    period = Period(start=timezone.localdate() - timedelta(days=1), end=timezone.localdate())
    exact = dashboard(period=period).median_text_to_collection
    assert exact == pytest.approx(90 * 60)
    monkeypatch.setattr(selectors, "MEDIAN_EXACT_UP_TO", 0)
    assert dashboard(period=period).median_text_to_collection == pytest.approx(exact, rel=0.09)


# --- The money -----------------------------------------------------------------------------


@pytest.fixture
def sales():
    """Hand-counted: store A sells two alert pairs of a 500 ₪ model (one after the price went
    up to 650 ₪: 1,150 ₪) and one transfer pair of a 300 ₪ model; store B one alert pair at
    650 ₪. Not counted: a lapsed hold, a pair collected 40 days ago, a hold still active."""
    a, b, origin = StoreFactory(code="a"), StoreFactory(code="b"), StoreFactory(code="c")
    runner = ProductFactory(price=Decimal("500.00"))
    sandal = ProductFactory(price=Decimal("300.00"))
    size, small = VariantFactory(product=runner), VariantFactory(product=sandal)

    def collect(store, variant, **kwargs):
        put_stock(store, variant, on_hand=1)
        return inventory.hold_collect(
            hold=inventory.hold_place(store=store, variant=variant, **kwargs)
        )

    collect(a, size)
    old = collect(a, size)
    _at(old, ended_at=timezone.now() - timedelta(days=40))
    runner.price = Decimal("650.00")
    runner.save()
    collect(a, size)
    collect(b, size)
    transfer = Transfer.objects.create(
        variant=small, from_store=origin, to_store=a, status=Transfer.Status.RECEIVED
    )
    collect(a, small, transfer=transfer)
    put_stock(a, size, on_hand=2)
    inventory.hold_release(hold=inventory.hold_place(store=a, variant=size))
    inventory.hold_place(store=a, variant=size)
    runner.price = Decimal("700.00")  # later price changes leave past sales alone
    runner.save()
    return {"a": a, "b": b}


def _month(store=None):
    today = timezone.localdate()
    return Period(start=today - timedelta(days=29), end=today, store=store)


@pytest.mark.django_db
def test_dashboard_money_per_store_and_purpose(sales):
    money = dashboard(period=_month()).money
    assert [value for value, _label in money.purposes] == [p.value for p in Hold.Purpose]
    rows = {row.store.code: row for row in money.stores}
    waitlist, transfer = (Hold.Purpose.values.index(p) for p in ("waitlist", "transfer"))
    assert rows["a"].cells[waitlist] == Collected(2, Decimal("1150.00"))
    assert rows["a"].cells[transfer] == Collected(1, Decimal("300.00"))
    assert rows["a"].total == Collected(3, Decimal("1450.00"))
    assert rows["b"].total == Collected(1, Decimal("650.00"))
    assert set(rows) == {"a", "b"}
    assert money.cells[waitlist] == Collected(3, Decimal("1800.00"))
    assert money.total == Collected(4, Decimal("2100.00"))
    one = dashboard(period=_month(sales["b"])).money
    assert [row.store.code for row in one.stores] == ["b"]
    assert one.total == Collected(1, Decimal("650.00"))


@pytest.mark.django_db
def test_dashboard_money_counts_a_purpose_without_a_label_in_the_total_only(sales):
    store = sales["a"]
    money = selectors._money(
        [(store.pk, "waitlist", 1, Decimal("10")), (store.pk, "someday", 2, Decimal("5"))]
    )
    assert "someday" not in [value for value, _label in money.purposes]
    assert sum(cell.pairs for cell in money.cells) == 1
    assert money.total == Collected(3, Decimal("15"))


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "total"), [("he", "2,100 ₪"), ("en", "₪2,100")])
def test_cx_dashboard_shows_the_money_in_shekels(client, sales, language, total):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with translation.override(language):
        url = reverse("insights:dashboard")
    page = client.get(url).content.decode()
    assert total in page
    with translation.override(language):
        assert str(Hold.Purpose.TRANSFER.label) in page
    if language == "he":
        assert "מה היו שווים הזוגות שנאספו" in page


@pytest.mark.django_db
def test_cx_dashboard_exports_the_money(client, sales):
    client.force_login(staff_user("Store managers", store=sales["a"]))
    response = client.get(reverse("insights:dashboard"), {"export": "money"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["store_code", "store", "held_for", "pairs", "value"]
    assert ["a", sales["a"].name_en, "transfer", "1", "300.00"] in rows
    assert rows[-1] == ["all", "", "total", "3", "1450.00"]
    summary = dict(
        csv.reader(
            io.StringIO(
                client.get(reverse("insights:dashboard"), {"export": "summary"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert summary["collected_waitlist_value"] == "1150.00"
    assert summary["collected_value"] == "1450.00"


@pytest.mark.django_db
def test_hold_collect_records_the_price_of_the_day(sales):
    assert sorted(
        Hold.objects.filter(status=Hold.Status.COLLECTED).values_list("collected_price", flat=True)
    ) == [
        Decimal("300.00"),
        Decimal("500.00"),
        Decimal("500.00"),
        Decimal("650.00"),
        Decimal("650.00"),
    ]


@pytest.mark.django_db
def test_cx_dashboard_date_fields_speak_the_page_language(client, sales):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    hebrew = client.get(reverse("insights:dashboard")).content.decode()
    assert "dd/mm/yyyy" not in hebrew and "יי/חח/שששש" in hebrew
    with translation.override("en"):
        url = reverse("insights:dashboard")
    assert "dd/mm/yyyy" in client.get(url).content.decode()
