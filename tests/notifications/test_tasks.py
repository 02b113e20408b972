"""The periodic tasks: what beat runs, and how often."""

from django.conf import settings


def test_beat_schedule_runs_expiry_every_minute_and_the_sweeps():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["holds-expire-due"]["schedule"] == 60.0
    tasks = {entry["task"] for entry in schedule.values()}
    assert {
        "inventory.holds_expire_due",
        "notifications.messages_dispatch_due",
        "notifications.messages_requeue_stale",
        "demand.waitlist_allocate_pending",
        "demand.purge",
    } <= tasks


def test_beat_schedule_finds_due_pick_up_reminders():
    from demand.tasks import pickup_reminders_due_task

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert pickup_reminders_due_task.name in tasks
