"""What pytest runs. DATABASE_URL and REDIS_URL choose Postgres/Redis (CI) or SQLite (default)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="test-only-secret-key-not-for-anything-else")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Unit tests run tasks in-process; integration tests start a real worker with their own settings.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

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
