"""The dashboard's figures of closed days, kept between views under tokens the writers renew:
a late write is seen on the next view, and no scope is served another's figures."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from demand.models import WaitlistEntry
from insights import kept, selectors
from insights.models import TotalsVersion
from insights.selectors import Period, dashboard
from inventory.models import Hold
from tests.factories import HoldFactory, StoreFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db

HOUR = 3600


def _days_ago(days: int, hour: int = 12):
    moment = timezone.localtime() - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _signed_up(store, days_ago: int, **fields):
    entry = WaitlistEntryFactory.create(store=store, status=WaitlistEntry.Status.ACTIVE, **fields)
    WaitlistEntry.objects.filter(pk=entry.pk).update(created_at=_days_ago(days_ago))
    return entry


def _tokens(scope: int) -> dict[date, str]:
    return dict(TotalsVersion.objects.filter(scope=scope).values_list("month", "token"))


@pytest.fixture
def stores():
    """Two stores with sign-ups on closed days (5 and 40 days ago) and one today."""
    a, b = StoreFactory(code="a"), StoreFactory(code="b")
    for days in (5, 40):
        _signed_up(a, days)
    _signed_up(b, 5)
    _signed_up(a, 0)
    return {"a": a, "b": b}


@pytest.fixture
def counted(monkeypatch):
    """The days each dashboard read counts from the totals (the rest it found kept)."""
    seen: list[list[kept.Days]] = []
    totals = selectors._totals

    def spy(period, parts):
        seen.append(list(parts))
        return totals(period, parts)

    monkeypatch.setattr(selectors, "_totals", spy)
    return seen


def _period(store=None, days=60):
    today = timezone.localdate()
    return Period(start=today - timedelta(days=days - 1), end=today, store=store)


def test_split_keeps_closed_months_and_counts_yesterday_and_today():
    closed, counted = kept.split(date(2026, 10, 20), date(2026, 12, 7), today=date(2026, 12, 7))
    assert closed == [
        kept.Days(date(2026, 10, 20), date(2026, 10, 31)),
        kept.Days(date(2026, 11, 1), date(2026, 11, 30)),
        kept.Days(date(2026, 12, 1), date(2026, 12, 5)),
    ]
    assert counted == [kept.Days(date(2026, 12, 6), date(2026, 12, 7))]
    assert kept.split(date(2026, 12, 7), date(2026, 12, 7), today=date(2026, 12, 7)) == (
        [],
        [kept.Days(date(2026, 12, 7), date(2026, 12, 7))],
    )


def test_a_write_to_a_closed_day_renews_its_months_token_for_the_store_and_all_stores(stores):
    a = stores["a"]
    month = (timezone.localdate() - timedelta(days=5)).replace(day=1)
    before_store, before_all, before_b = _tokens(a.pk), _tokens(0), _tokens(stores["b"].pk)
    assert month in before_store and month in before_all  # the late sign-ups' own writes

    _signed_up(a, 5)

    assert _tokens(a.pk)[month] != before_store[month]
    assert _tokens(0)[month] != before_all[month]
    assert _tokens(stores["b"].pk) == before_b  # the other store's stay


def test_a_write_to_today_renews_no_token(stores):
    before = {scope: _tokens(scope) for scope in (0, stores["a"].pk)}
    entry = WaitlistEntryFactory(store=stores["a"], status=WaitlistEntry.Status.ACTIVE)
    WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistEntry.Status.CANCELLED)
    assert {scope: _tokens(scope) for scope in before} == before


def test_a_write_to_today_makes_no_token_and_the_first_read_of_a_closed_month_does(counted):
    store = StoreFactory()
    WaitlistEntryFactory(store=store, status=WaitlistEntry.Status.ACTIVE)
    assert _tokens(store.pk) == {}  # the day's ordinary writes pay for no token

    dashboard(period=_period(store))
    closed, _open = kept.split(*_span(_period(store)), today=timezone.localdate())
    assert set(_tokens(store.pk)) == {days.month for days in closed}
    first_read = list(counted[-1])
    dashboard(period=_period(store))
    assert len(counted[-1]) < len(first_read)  # the closed months are kept from then on


def _span(period):
    return period.start, period.end


def test_dashboard_reads_closed_months_kept_and_counts_the_open_days(stores, counted):
    first = dashboard(period=_period(stores["a"]))
    again = dashboard(period=_period(stores["a"]))
    assert first.signups == again.signups == 3
    yesterday = timezone.localdate() - timedelta(days=1)
    tokens = _tokens(stores["a"].pk)
    assert max(days.last for days in counted[-1]) == yesterday + timedelta(days=1)
    # Counted again: the open days, and closed months nothing was ever written to.
    assert all(days.first >= yesterday or days.month not in tokens for days in counted[-1])
    assert len(counted[-1]) < len(counted[0])


def test_a_late_write_to_a_closed_day_is_on_the_next_dashboard(stores, counted):
    a = stores["a"]
    assert dashboard(period=_period(a)).signups == 3
    assert dashboard(period=_period()).signups == 4

    _signed_up(a, 5)  # a sign-up dated five days ago, written now

    assert dashboard(period=_period(a)).signups == 4
    assert dashboard(period=_period()).signups == 5
    five_days_ago = timezone.localdate() - timedelta(days=5)
    assert any(days.first <= five_days_ago <= days.last for days in counted[-1])


def test_a_late_change_of_a_duration_is_on_the_next_dashboard(stores):
    """A duration that moves inside its histogram bucket moves no total, but moves the exact
    median of a short period: its writer renews the token all the same."""
    a = stores["a"]
    entry = _signed_up(a, 5)
    hold = HoldFactory(store=a, variant=entry.variant, status=Hold.Status.ACTIVE)
    Hold.objects.filter(pk=hold.pk).update(
        created_at=_days_ago(5, hour=13), notified_at=_days_ago(5, hour=13)
    )
    WaitlistEntry.objects.filter(pk=entry.pk).update(hold=hold)
    assert dashboard(period=_period(a)).median_signup_to_text == pytest.approx(HOUR)

    Hold.objects.filter(pk=hold.pk).update(
        notified_at=_days_ago(5, hour=13) + timedelta(seconds=60)
    )

    assert dashboard(period=_period(a)).median_signup_to_text == pytest.approx(HOUR + 60)


def test_kept_figures_are_per_store(stores):
    a, b = stores["a"], stores["b"]
    for store, signups in ((a, 3), (b, 1), (None, 4), (a, 3), (b, 1), (None, 4)):
        d = dashboard(period=_period(store))
        assert d.signups == signups
        assert d.signups == dashboard(period=_period(store), from_rows=True).signups


def test_rebuild_daily_totals_renews_the_tokens(stores):
    before = _tokens(0)
    call_command("rebuild_daily_totals")
    after = _tokens(0)
    assert after.keys() == before.keys()
    assert all(after[month] != before[month] for month in before)


def test_dashboard_counts_everything_when_the_cache_is_down(stores, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("no cache")

    monkeypatch.setattr(kept.cache, "get_many", down)
    monkeypatch.setattr(kept.cache, "set_many", down)
    monkeypatch.setattr(kept, "_recent", kept._Recent(size=0))
    assert dashboard(period=_period(stores["a"])).signups == 3


def test_dashboard_money_kept_adds_up_across_months(stores):
    a = stores["a"]
    for days in (5, 40):
        hold = HoldFactory(store=a, status=Hold.Status.COLLECTED, collected_price=Decimal("100"))
        Hold.objects.filter(pk=hold.pk).update(ended_at=_days_ago(days))
    for _ in range(2):
        money = dashboard(period=_period(a)).money
        assert money.total == selectors.Collected(2, Decimal("200"))
