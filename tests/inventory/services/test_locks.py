"""The one lock order: lapsed holds at the levels that lose stock, then the levels; the till
ingest and the count import go through it once, and hand it to stock_apply."""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inventory import counts, services, tills
from inventory.models import Hold, StockLevel
from inventory.services import StockChange, locks, stock_lock
from inventory.tills import TillLine, stock_ingest, till_token_create

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def level_now(store, variant) -> tuple[int, int]:
    row = StockLevel.objects.get(store=store, variant=variant)
    return (row.on_hand, row.reserved)


@pytest.fixture
def lapsed(store, variant):
    """Two pairs, one held for a customer whose time ran out an hour ago."""
    services.stock_receive(store=store, variant=variant, quantity=2)
    hold = services.hold_place(store=store, variant=variant)
    return services.hold_start_clock(hold=hold, at=timezone.now() - settings.HOLD_DURATION - HOUR)


@pytest.fixture
def lock_calls(monkeypatch):
    """Every `stock_lock` taken, by whoever takes it."""
    calls: list[int] = []
    real = locks.stock_lock

    def counted(changes, **kwargs):
        calls.append(len(changes))
        return real(changes, **kwargs)

    for module in (services.stock, tills.ingest, counts.apply):
        monkeypatch.setattr(module, "stock_lock", counted)
    return calls


@pytest.mark.django_db(transaction=True)
def test_stock_lock_expires_lapsed_holds_where_stock_is_taken(store, variant, lapsed, announced):
    announced.clear()
    with transaction.atomic():
        locked = stock_lock([StockChange(store.pk, variant.pk, reserve=1)])
        assert locked.levels[(store.pk, variant.pk)].reserved == 0  # the copy is up to date
    lapsed.refresh_from_db()
    assert lapsed.status == Hold.Status.EXPIRED
    assert level_now(store, variant) == (2, 0)
    assert announced == [(store.pk, variant.pk, 2)]


def test_stock_lock_leaves_lapsed_holds_where_stock_only_arrives(store, variant, lapsed):
    with transaction.atomic():
        locked = stock_lock([StockChange(store.pk, variant.pk, reason="receipt", delta=1)])
    assert locked.expired_at == frozenset()
    lapsed.refresh_from_db()
    assert lapsed.status == Hold.Status.ACTIVE


def test_stock_apply_refuses_changes_its_lock_does_not_cover(store, variant):
    with transaction.atomic():
        locked = stock_lock([StockChange(store.pk, variant.pk, reason="receipt", delta=1)])
        with pytest.raises(ValueError, match="does not cover"):
            services.stock_apply(
                changes=[StockChange(store.pk, variant.pk, reason="sale", delta=-1)], locked=locked
            )


def test_stock_apply_locks_once(store, variant, lock_calls):
    services.stock_receive(store=store, variant=variant, quantity=1)
    assert lock_calls == [1]


def test_stock_ingest_locks_once_and_expires_lapsed_holds_first(store, variant, lapsed, lock_calls):
    token, _key = till_token_create(store=store, name="Till 1")
    result = stock_ingest(
        token=token, lines=[TillLine(type="sale", reference="S-1", quantity=2, sku=variant.sku)]
    )
    assert lock_calls == [1]
    assert (result.lines[0].on_hand, result.lines[0].available) == (0, 0)
    lapsed.refresh_from_db()
    assert lapsed.status == Hold.Status.EXPIRED


def test_stock_count_import_locks_once_a_chunk(store, variant, lapsed, lock_calls):
    plan = counts.stock_count_plan(data=f"store,sku,counted\n{store.code},{variant.sku},1\n")
    assert plan.is_valid, plan.problems
    counts.stock_count_import(plan=plan)
    assert lock_calls == [1]
    assert level_now(store, variant) == (1, 0)
    lapsed.refresh_from_db()
    assert lapsed.status == Hold.Status.EXPIRED
