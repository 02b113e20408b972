"""The hold text's page: choose a pick-up slot, one more day, or give the pair up; the reminder
before an unplanned hold lapses."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from demand import services
from demand.models import WaitlistEntry
from inventory import selectors as inventory_selectors
from inventory import services as inventory
from inventory.models import Hold, StockLevel, StoreHours
from notifications.models import Message, OptOut
from notifications.texts import manage_path
from tests.factories import WaitlistEntryFactory
from tests.pickup import held_pair, open_every_day
from tests.test_hostile_input import MARKUP, PAYLOADS

pytestmark = pytest.mark.django_db(transaction=True)


def pickup_path(message: Message, language: str = "he") -> str:
    manage = manage_path(message.pk, language)
    with translation.override(language):
        return reverse("demand:pickup", kwargs={"token": manage.rsplit("/", 1)[1]})


def first_slot(hold: Hold):
    assert hold.expires_at is not None
    days = inventory_selectors.pickup_slots(store=hold.store, until=hold.expires_at)
    return next(slot for day in days for slot in day.slots)


@pytest.fixture
def held(store, variant, outbox):
    open_every_day(store)
    return held_pair(store, variant)


def test_hold_text_link_page_offers_slots_one_more_day_and_giving_it_up(client, held):
    _entry, hold, message = held
    page = client.get(manage_path(message.pk, "he")).content.decode()
    assert "מתי תגיעו?" in page
    assert f'value="{first_slot(hold).value}"' in page
    assert 'name="extend"' in page and 'name="release"' in page
    assert page.count('name="release"') == 1  # the held entry is not listed twice


def test_hold_text_link_page_in_english(client, held):
    _entry, _hold, message = held
    page = client.get(manage_path(message.pk, "en")).content.decode()
    assert "When will you come?" in page and "Today" in page


def test_pickup_choose_a_slot_is_saved_and_shown(client, held):
    _entry, hold, message = held
    slot = first_slot(hold)
    response = client.post(pickup_path(message), {"slot": slot.value}, follow=True)
    assert Hold.objects.get(pk=hold.pk).pickup_at == slot.start
    assert "מחכים לך בחנות" in response.content.decode()


def test_pickup_bad_or_past_slot_gets_a_message_and_changes_nothing(client, held):
    _entry, hold, message = held
    for value in [
        "2020-01-01T10:00",
        "not a time",
        "9999-99-99T99:99",
        "0001-01-01T00:00",
        "9999-12-31T23:59",
        *PAYLOADS,
    ]:
        response = client.post(pickup_path(message), {"slot": value}, follow=True)
        page = response.content.decode()
        assert response.status_code == 200, value
        assert 'class="message message--error"' in page, value
        assert MARKUP not in page
        assert Hold.objects.get(pk=hold.pk).pickup_at is None


def test_pickup_slot_outside_opening_hours_is_refused(client, store, variant, outbox):
    open_every_day(store, opens="10:00", closes="12:00")
    _entry, hold, message = held_pair(store, variant)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(pickup_path(message), {"slot": f"{tomorrow}T20:00"}, follow=True)
    page = response.content.decode()
    assert "החנות סגורה בשעה הזאת" in page or "אפשר לבחור שעה מוקדמת" in page
    assert Hold.objects.get(pk=hold.pk).pickup_at is None


def test_pickup_forged_link_is_not_found(client, held):
    _entry, hold, message = held
    response = client.post(pickup_path(message)[:-3] + "abc", {"release": "1"})
    assert response.status_code == 404
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.ACTIVE


def test_pickup_one_more_day_once(client, held, settings):
    settings.HOLD_EXTENSION = timedelta(hours=24)
    _entry, hold, message = held
    before = hold.expires_at
    client.post(pickup_path(message), {"extend": "1"})
    assert Hold.objects.get(pk=hold.pk).expires_at == before + timedelta(hours=24)
    again = client.post(pickup_path(message), {"extend": "1"}, follow=True).content.decode()
    assert "כבר הוארכה" in again
    assert Hold.objects.get(pk=hold.pk).expires_at == before + timedelta(hours=24)
    assert 'name="extend"' not in again


def test_pickup_one_more_day_keeps_the_next_customer_in_line(client, store, variant, held):
    _entry, hold, message = held
    next_in_line = WaitlistEntryFactory(store=store, variant=variant)
    client.post(pickup_path(message), {"extend": "1"})
    next_in_line.refresh_from_db()
    assert next_in_line.status == WaitlistEntry.Status.ACTIVE
    assert (
        WaitlistEntry.objects.waiting().filter(store=store, variant=variant).first() == next_in_line
    )


def test_pickup_no_longer_wanted_asks_once_then_hands_the_pair_to_the_next_customer(
    client, store, variant, held, outbox
):
    entry, hold, message = held
    next_in_line = WaitlistEntryFactory(store=store, variant=variant)
    sent = len(outbox)
    # The first tap, and the same question by its address: a page that asks, nothing changes.
    for asking in (
        client.post(pickup_path(message), {"release": "1"}),
        client.get(pickup_path(message), {"release": "1"}),
    ):
        assert asking.status_code == 200
        page = asking.content.decode()
        assert "לוותר על הזוג השמור?" in page
        assert 'name="confirm"' in page and f'href="{pickup_path(message)}"' in page
        assert Hold.objects.get(pk=hold.pk).status == Hold.Status.ACTIVE
        entry.refresh_from_db()
        assert entry.status == WaitlistEntry.Status.HELD
        assert len(outbox) == sent
    response = client.post(pickup_path(message), {"release": "1", "confirm": "1"}, follow=True)
    assert "ללקוח הבא בתור" in response.content.decode()
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.RELEASED
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.CANCELLED
    next_in_line.refresh_from_db()
    assert next_in_line.status == WaitlistEntry.Status.HELD
    assert outbox[-1].to == next_in_line.phone
    assert StockLevel.objects.get(store=store, variant=variant).reserved == 1


def test_pickup_release_sent_twice_or_from_a_stale_page_says_it_ended(client, held, outbox):
    entry, hold, message = held
    asked = client.post(pickup_path(message), {"release": "1"})
    assert asked.status_code == 200
    client.post(pickup_path(message), {"release": "1", "confirm": "1"})
    for again in ({"release": "1", "confirm": "1"}, {"release": "1"}):
        response = client.post(pickup_path(message), again, follow=True)
        assert response.status_code == 200
        assert 'class="message message--error"' in response.content.decode()
    assert client.get(pickup_path(message), {"release": "1"}).status_code == 200
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.RELEASED
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.CANCELLED


def test_pickup_after_one_more_day_offers_times_on_the_extra_day(client, held, settings):
    settings.HOLD_EXTENSION = timedelta(hours=24)
    _entry, hold, message = held
    client.post(pickup_path(message), {"extend": "1"})
    hold.refresh_from_db()
    last_day = timezone.localdate(hold.expires_at)
    assert last_day == timezone.localdate() + timedelta(days=2)
    page = client.get(pickup_path(message)).content.decode()
    offered = re.findall(r'name="slot" value="([^"]+)"', page)
    on_last_day = [value for value in offered if value.startswith(last_day.isoformat())]
    assert on_last_day
    late = on_last_day[-1]
    response = client.post(pickup_path(message), {"slot": late}, follow=True)
    assert "מחכים לך בחנות" in response.content.decode()
    assert inventory_selectors.slot_value(Hold.objects.get(pk=hold.pk).pickup_at) == late


def test_pickup_page_says_the_store_is_closed_on_a_day_without_hours(
    client, store, variant, outbox
):
    open_every_day(store)
    tomorrow = timezone.localdate() + timedelta(days=1)
    store.hours.filter(weekday=StoreHours.weekday_of(tomorrow)).delete()
    _entry, hold, message = held_pair(store, variant)
    last_day = tomorrow + timedelta(days=1)
    hold.expires_at = datetime.combine(last_day, time(12), tzinfo=timezone.get_current_timezone())
    hold.save(update_fields=["expires_at"])
    page = client.get(pickup_path(message)).content.decode()
    days = re.findall(r'<fieldset class="pickup__day">(.*?)</fieldset>', page, re.S)
    assert len(days) == 3
    assert "החנות סגורה ביום הזה" in days[1] and 'name="slot"' not in days[1]
    assert "לא נשארו" not in page
    # The last day: times until the hold's end, then why there are no more.
    assert f'value="{last_day}T11:00"' in days[2] and f'value="{last_day}T12:00"' not in days[2]
    assert 'הזוג שמור עבורך עד <bdi dir="ltr">12:00</bdi> ביום הזה' in days[2]


def test_pickup_after_the_pair_was_collected_changes_nothing(client, held):
    entry, hold, message = held
    inventory.hold_collect(hold=hold)
    for data in ({"release": "1"}, {"extend": "1"}, {"slot": first_slot(hold).value}):
        response = client.post(pickup_path(message), data, follow=True)
        assert response.status_code == 200
        assert 'class="message message--error"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.COLLECTED
    assert Hold.objects.get(pk=hold.pk).pickup_at is None


def test_pickup_for_a_transfer_customer_releases_their_hold(client, store, variant, outbox):
    from tests.factories import StoreFactory

    open_every_day(store)
    source = StoreFactory()
    inventory.stock_receive(store=source, variant=variant, quantity=1)
    transfer = inventory.transfer_request(
        variant=variant, from_store=source, to_store=store, customer_phone="050-234-5678", user=None
    )
    inventory.transfer_dispatch(transfer=transfer, user=None)
    inventory.transfer_receive(transfer=transfer, user=None)
    message = Message.objects.get(purpose=Message.Purpose.TRANSFER_ARRIVED)
    assert "מתי תגיעו?" in client.get(manage_path(message.pk, "he")).content.decode()
    client.post(pickup_path(message), {"release": "1"})
    assert Hold.objects.get(pk=message.hold_id).status == Hold.Status.ACTIVE  # asked first
    client.post(pickup_path(message), {"release": "1", "confirm": "1"})
    assert Hold.objects.get(pk=message.hold_id).status == Hold.Status.RELEASED


# --- The reminder ---------------------------------------------------------------------------


def due_in(hold: Hold, hours: float) -> None:
    Hold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() + timedelta(hours=hours))


@pytest.fixture
def reminding(store):
    store.pickup_reminder = True
    store.pickup_reminder_hours = 2
    store.save()
    return store


def test_pickup_reminder_goes_once_before_an_unplanned_hold_lapses(reminding, variant, outbox):
    _entry, hold, _message = held_pair(reminding, variant, language="en")
    assert services.pickup_reminders_due() == []  # 24 hours left: not yet
    due_in(hold, 1.5)
    written = services.pickup_reminders_due()
    assert len(written) == 1
    assert services.pickup_reminders_due() == []  # at most once per hold
    reminder = Message.objects.get(pk=written[0])
    assert reminder.purpose == Message.Purpose.PICKUP_REMINDER
    assert outbox[-1].body.startswith("Reminder:") and "/en/a/" in outbox[-1].body


def test_pickup_reminder_not_for_a_planned_hold_or_a_store_without_it(
    store, reminding, variant, outbox
):
    open_every_day(reminding)
    _entry, hold, message = held_pair(reminding, variant)
    due_in(hold, 1.5)
    hold.refresh_from_db()
    inventory.hold_plan_pickup(hold=hold, at=first_slot(hold).start)
    assert services.pickup_reminders_due() == []
    Hold.objects.filter(pk=hold.pk).update(pickup_at=None)
    reminding.pickup_reminder = False
    reminding.save()
    assert services.pickup_reminders_due() == []


def test_pickup_reminder_respects_opt_outs_budget_and_quiet_hours(
    reminding, variant, outbox, settings
):
    entry, hold, _message = held_pair(reminding, variant)
    due_in(hold, 1.5)
    OptOut.objects.create(phone=entry.phone, source=OptOut.Source.REPLY)
    assert services.pickup_reminders_due() == []
    OptOut.objects.all().delete()
    settings.SMS_DAILY_BUDGET = 1
    assert services.pickup_reminders_due() == []
    settings.SMS_DAILY_BUDGET = 2000
    # Quiet from an hour ago until after the hold ends (whatever the time of the run): the
    # reminder would wait past the hold's end, so it is not written.
    local = timezone.localtime()
    settings.QUIET_HOURS = f"{local - timedelta(hours=1):%H:%M}-{local + timedelta(hours=3):%H:%M}"
    assert services.pickup_reminders_due() == []
    settings.QUIET_HOURS = ""
    assert len(services.pickup_reminders_due()) == 1


@pytest.mark.parametrize(
    ("language", "held_until", "quiet"),
    [
        ("en", "A pair is held for you until {until}.", "We don't send texts at night; "),
        ("he", "שמור לך זוג עד {until}.", "בלילה איננו שולחים הודעות; "),
    ],
)
def test_pickup_page_while_the_text_waits_for_morning_says_so_in_its_own_sentence(
    client, held, language, held_until, quiet
):
    _entry, hold, message = held
    # The text about the hold waits for the morning (quiet hours).
    send_after = timezone.now() + timedelta(hours=2)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.QUEUED, send_after=send_after
    )
    page = client.get(manage_path(message.pk, language)).content.decode()
    status = page.split('<p class="alert__status">', 1)[1].split("</p>", 1)[0]
    text = re.sub(r"<[^>]+>", "", status).strip()
    until = timezone.localtime(hold.expires_at).strftime("%-d/%-m %H:%M")
    assert text.startswith(held_until.format(until=until) + " " + quiet), text
    assert timezone.localtime(send_after).strftime("%H:%M") in text
    assert text.endswith("."), text
