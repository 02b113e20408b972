"""The embedded default: `make run` on a laptop, no `.env` and no services needed.

SQLite beside manage.py, Celery tasks run in-process (no REDIS_URL, see base), texts printed
to the console. Setting DATABASE_URL or REDIS_URL switches to Postgres or a real broker.
"""

from .base import *  # noqa: F403
from .base import SITE_URL, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-key-never-used-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Links in the demo's texts follow the address `make run HOST=… PORT=…` serves on (the Makefile
# passes it as DEMO_SITE_URL); SITE_URL, from the environment or `.env`, still wins.
SITE_URL = env.str("SITE_URL", default=env.str("DEMO_SITE_URL", default=SITE_URL)).rstrip("/")

# https://docs.djangoproject.com/en/5.2/topics/email/#console-backend
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Serve static files straight from the source folders, no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
