"""The managers' dashboard: every figure against a small history counted by hand."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demand.models import WaitlistEntry
from insights.selectors import Period, dashboard
from inventory.models import Hold, Transfer
from notifications.models import Message
from reviews import services
from reviews.models import Rating
from tests.factories import (
    HoldFactory,
    StoreFactory,
    UserFactory,
    VariantFactory,
    WaitlistEntryFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

HOUR = 3600


def _at(obj, **moments):
    type(obj).objects.filter(pk=obj.pk).update(**moments)
    obj.refresh_from_db()
    return obj


@pytest.fixture
def history():
    """Store A: four confirmed sign-ups in the last week (one collected, one lapsed, two
    waiting for the same size), one unconfirmed, one from a month ago; four holds; three
    texts sent and one still queued; two transfers in; two ratings. Store B: one sign-up."""
    now = timezone.now()
    a, b = StoreFactory(code="a"), StoreFactory(code="b")
    wanted = VariantFactory()

    def entry(days_ago, status, store=a, variant=None, **kwargs):
        made = WaitlistEntryFactory(
            store=store, status=status, variant=variant or VariantFactory(), **kwargs
        )
        return _at(made, created_at=now - timedelta(days=days_ago))

    e1 = entry(3, WaitlistEntry.Status.COLLECTED)
    h1 = HoldFactory(
        store=a,
        variant=e1.variant,
        status=Hold.Status.COLLECTED,
        notified_at=e1.created_at + timedelta(seconds=HOUR),
        ended_at=e1.created_at + timedelta(seconds=3 * HOUR),
    )
    _at(e1, hold=h1)
    e2 = entry(2, WaitlistEntry.Status.LAPSED)
    h2 = HoldFactory(
        store=a,
        variant=e2.variant,
        status=Hold.Status.EXPIRED,
        notified_at=e2.created_at + timedelta(seconds=2 * HOUR),
        ended_at=e2.created_at + timedelta(hours=26),
    )
    _at(e2, hold=h2)
    e3 = entry(1, WaitlistEntry.Status.ACTIVE, variant=wanted)
    entry(1, WaitlistEntry.Status.ACTIVE, variant=wanted)
    entry(1, WaitlistEntry.Status.PENDING, activated_at=None)
    entry(30, WaitlistEntry.Status.COLLECTED)
    entry(0, WaitlistEntry.Status.ACTIVE, store=b)
    h3 = HoldFactory(store=a, status=Hold.Status.ACTIVE, ended_at=None)

    for n, (hold, entry_, status) in enumerate(
        [
            (h1, e1, Message.Status.DELIVERED),
            (h2, e2, Message.Status.SENT),
            (h3, e3, Message.Status.SENT),
            (h3, e3, Message.Status.QUEUED),
        ]
    ):
        Message.objects.create(
            recipient=entry_.phone,
            body="…",
            purpose=Message.Purpose.HOLD_READY,
            status=status,
            idempotency_key=f"test:{n}",
            hold=hold,
            sent_at=None if status == Message.Status.QUEUED else now - timedelta(hours=n),
        )

    origin = StoreFactory(code="c")
    received = Transfer.objects.create(
        variant=wanted, from_store=origin, to_store=a, status=Transfer.Status.RECEIVED
    )
    _at(received, requested_at=now - timedelta(days=2), received_at=now - timedelta(days=1))
    HoldFactory(store=a, status=Hold.Status.RELEASED, transfer=received)
    Transfer.objects.create(variant=wanted, from_store=origin, to_store=a)

    services.rating_submit(hold=h1, score=5, comment="great", language="he")
    services.rating_submit(hold=h2, score=2, comment="nobody called", language="he")
    return {"a": a, "b": b, "wanted": wanted, "now": now}


def _week(store=None):
    today = timezone.localdate()
    return Period(start=today - timedelta(days=6), end=today, store=store)


def test_dashboard_counts_each_figure_for_one_store(history):
    d = dashboard(period=_week(history["a"]))
    assert d.signups == 4
    assert d.texts_sent == 3
    assert d.holds == {"created": 4, "active": 1, "collected": 1, "released": 1, "expired": 1}
    assert d.conversion == pytest.approx(0.25)
    assert d.median_signup_to_text == pytest.approx(1.5 * HOUR)
    assert d.median_text_to_collection == pytest.approx(2 * HOUR)
    assert (d.transfers_requested, d.transfers_received) == (2, 1)
    assert d.median_transfer_lead == pytest.approx(24 * HOUR)
    assert d.rating_count == 2
    assert d.rating_average == pytest.approx(3.5)
    assert d.rating_distribution == [0, 1, 0, 0, 1]
    assert [r.comment for r in d.open_flags] == ["nobody called"]
    assert {r.comment for r in d.recent_comments} == {"great", "nobody called"}
    assert [(row["variant__product__name"], row["waiting"]) for row in d.demand] == [
        (history["wanted"].product.name, 2)
    ]
    assert sum(day["signups"] for day in d.trend) == 4
    assert len(d.trend) == 7


def test_dashboard_all_stores_adds_the_other_store(history):
    d = dashboard(period=_week())
    assert d.signups == 5
    assert sum(row["waiting"] for row in d.demand) == 3


def test_dashboard_period_leaves_out_older_sign_ups(history):
    today = timezone.localdate()
    d = dashboard(period=Period(start=today - timedelta(days=40), end=today, store=history["a"]))
    assert d.signups == 5
    assert d.conversion == pytest.approx(2 / 5)


def test_dashboard_query_count_does_not_grow_with_stores(history, django_assert_max_num_queries):
    for _ in range(20):
        StoreFactory()
    with django_assert_max_num_queries(16):
        dashboard(period=_week())


def _manager(store):
    return staff_user("Store managers", store=store)


def test_cx_dashboard_shows_a_manager_their_store(client, history):
    client.force_login(_manager(history["a"]))
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    assert response.context["d"].period.store == history["a"]
    assert response.context["d"].signups == 4
    assert b"<svg" in response.content


def test_cx_dashboard_refuses_another_stores_manager(client, history):
    client.force_login(_manager(history["a"]))
    response = client.get(reverse("insights:dashboard"), {"store": history["b"].pk})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["Salespeople", "Catalog editors"])
def test_cx_dashboard_refuses_other_roles(client, history, role):
    client.force_login(staff_user(role, store=history["a"]))
    assert client.get(reverse("insights:dashboard")).status_code == 403


def test_cx_dashboard_sends_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_cx_dashboard_head_office_sees_all_stores(client, history):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("insights:dashboard"))
    assert response.context["d"].signups == 5


def test_cx_dashboard_bad_dates_fall_back_to_the_last_30_days(client, history):
    client.force_login(_manager(history["a"]))
    response = client.get(reverse("insights:dashboard"), {"start": "2026-13-40", "end": "x"})
    assert response.status_code == 200
    assert (response.context["d"].period.end - response.context["d"].period.start).days == 29


def test_cx_dashboard_exports_the_demand_table_as_csv(client, history):
    client.force_login(_manager(history["a"]))
    response = client.get(reverse("insights:dashboard"), {"export": "demand"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["brand", "model"]
    assert rows[1][4] == "2"


def test_cx_dashboard_exports_the_summary(client, history):
    client.force_login(_manager(history["a"]))
    response = client.get(reverse("insights:dashboard"), {"export": "summary"})
    summary = dict(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert summary["alerts_signed_up"] == "4"
    assert summary["conversion_signup_to_collection"] == "0.25"


def test_flag_handle_closes_the_call_back(client, history):
    client.force_login(_manager(history["a"]))
    flag = Rating.objects.get(needs_callback=True)
    response = client.post(
        reverse("insights:flag_handle", args=[flag.pk]), {"note": "Called, offered a fitting"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.handled_note == "Called, offered a fitting"


def test_flag_handle_refuses_another_stores_manager(client, history):
    client.force_login(_manager(history["b"]))
    flag = Rating.objects.get(needs_callback=True)
    response = client.post(reverse("insights:flag_handle", args=[flag.pk]), {"note": "x"})
    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.handled_at is None


def test_cx_dashboard_exports_never_run_a_customers_formula(client, history):
    hold = HoldFactory(store=history["a"], status=Hold.Status.COLLECTED)
    services.rating_submit(
        hold=hold,
        score=2,
        language="en",
        comment='=HYPERLINK("https://evil.example","\u202eclick")',
    )
    client.force_login(_manager(history["a"]))
    response = client.get(reverse("insights:dashboard"), {"export": "comments"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    comments = [row[4] for row in rows[1:]]
    assert '\'=HYPERLINK("https://evil.example","click")' in comments
    assert not any(comment.startswith(("=", "+", "-", "@")) for comment in comments)


def test_cx_dashboard_lists_the_call_backs_with_a_form_to_close_each(client, history):
    hold = HoldFactory(store=history["a"], status=Hold.Status.COLLECTED)
    services.rating_submit(hold=hold, score=1, comment="<b>rude</b> & slow", language="he")
    client.force_login(_manager(history["a"]))
    path = reverse("insights:dashboard") + "?store=" + str(history["a"].pk)
    page = client.get(path).content.decode()
    flags = Rating.objects.filter(needs_callback=True).order_by("created_at")
    assert page.count('<article class="cx__flag">') == flags.count() == 2
    for flag in flags:
        action = reverse("insights:flag_handle", args=[flag.pk])
        assert f'<form method="post" action="{action}" class="cx__flag-form">' in page
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="' in page
    assert f'<input type="hidden" name="next" value="{path}">' in page
    assert "<blockquote>&lt;b&gt;rude&lt;/b&gt; &amp; slow</blockquote>" in page
    assert f"{hold.variant.product.name} {hold.variant.size_label}</p>" in page


def test_cx_dashboard_queries_do_not_grow_with_call_backs_or_stores(client, history):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("insights:dashboard"))
    for _ in range(5):
        hold = HoldFactory(store=StoreFactory(), status=Hold.Status.COLLECTED)
        services.rating_submit(hold=hold, score=1, comment="too slow", language="he")
    with CaptureQueriesContext(connection) as after:
        page = client.get(reverse("insights:dashboard")).content.decode()
    assert page.count('<article class="cx__flag">') == 6
    assert len(after) == len(before)
