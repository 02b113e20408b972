"""What pytest runs. DATABASE_URL and REDIS_URL choose Postgres/Redis (CI) or SQLite (default)."""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, REDIS_URL, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="test-only-secret-key-not-for-anything-else")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Unit tests run tasks in-process; integration tests start a real worker with their own settings.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

if DATABASES["default"]["ENGINE"] == "config.sqlite":  # noqa: F405
    # In memory, as Django tests SQLite; said outright because pytest-django recognises SQLite
    # by Django's engine name, and would give each xdist process a file named after db.sqlite3.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The same PostgreSQL, emptied between transactional tests with DELETE (see its docstring).
    DATABASES["default"]["ENGINE"] = "tests.postgresql"  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files are looked up per request from the source folders: tests never collectstatic.
# https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_AUTOREFRESH
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Texts go to notifications.backends.locmem.outbox; the integration tests' worker uses Twilio.
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.backends.locmem.LocMemBackend")
# Tests that need quiet hours or a send rate set them; the clock of the run must not matter.
QUIET_HOURS = env.str("QUIET_HOURS", default="")
SMS_SEND_RATE_PER_SECOND = env.int("SMS_SEND_RATE_PER_SECOND", default=0)
WHATSAPP_SEND_RATE_PER_SECOND = env.int("WHATSAPP_SEND_RATE_PER_SECOND", default=0)


def _redis_database_of_process(url: str, process: int) -> str:
    """The Redis URL moved `process` databases on from the one it names (modulo Redis's 16)."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database + process) % 16}"))


# pytest-xdist runs the suite in several processes (make test), each with a test database of its
# own (pytest-django adds the process's name to it); each also gets a Redis database of its own,
# so one process emptying its cache or its broker's queues never touches another's. Set by
# pytest-xdist, not by an operator; the integration tests' workers are given the moved URL and
# an empty name.
_process = os.environ.get("PYTEST_XDIST_WORKER", "").removeprefix("gw")
if REDIS_URL and _process:
    _moved = _redis_database_of_process(REDIS_URL, int(_process))
    if CELERY_BROKER_URL == REDIS_URL:
        CELERY_BROKER_URL = _moved
    REDIS_URL = _moved
    CACHES["default"]["LOCATION"] = _moved
