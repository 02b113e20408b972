"""Settings shared by every environment, read from the environment with django-environ.

`local` (the embedded default) needs no `.env` and no services: SQLite, Celery tasks run
in-process, SMS printed to the console. `production` refuses to start without its secrets.
`test` is what pytest uses; it reads DATABASE_URL and REDIS_URL like the others.
"""

from datetime import date, time, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.durations import duration_parse
from core.clientip import networks_parse

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# An optional .env beside manage.py; the environment itself always wins.
# https://django-environ.readthedocs.io/en/latest/tips.html#multiple-env-files
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _duration(
    name: str,
    value: str,
    *,
    hours_name: str = "",
    hours: str = "",
    default: str,
    allow_zero: bool = False,
) -> timedelta:
    """`name`'s duration (90m, 24h, 2d); when it is unset, the older whole-hours variable
    `hours_name`; else `default`. Nonsense stops start-up with the variable's name."""
    if not value and hours:
        name, value, unit = hours_name, hours, "h"
    else:
        value, unit = value or default, ""
    try:
        return duration_parse(value, unit=unit, allow_zero=allow_zero)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None


DEBUG = env.bool("DEBUG", default=False)
# Each environment module sets these; production reads them with no default.
SECRET_KEY: str
ALLOWED_HOSTS: list[str]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Listed so the API docs page serves its own Swagger UI files, not a CDN's.
    "ninja",
    "core",
    "catalog",
    # Above inventory, notifications, reviews and insights in the layers, yet listed before
    # them: where two apps' catalogs translate one string differently the app listed first
    # wins, so the public pages keep the wording they had when they lived in catalog.
    "storefront",
    "inventory",
    "notifications",
    "demand",
    "reviews",
    # After reviews: the dashboard's strings keep the translations they had there.
    "insights",
    "demo",
]

MIDDLEWARE = [
    # /metrics for Prometheus (METRICS_TOKEN), answered before the host check and the HTTPS
    # redirect so it can be scraped inside the Compose network (config/metrics.py).
    "config.metrics.MetricsEndpointMiddleware",
    "core.requestid.RequestIdMiddleware",
    "core.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Scripts, styles, images and fonts from the site itself; frames only from the
# privacy-enhanced video hosts that review embeds use (reviews/embeds.py).
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https://i.ytimg.com", "https://i.vimeocdn.com"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Browser features the site never uses are off for it and for any frame it embeds.
# https://github.com/adamchainz/django-permissions-policy
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "interest-cohort": [],
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The staff menu's count of conversations waiting for an answer.
                "notifications.context_processors.inbox_waiting",
            ],
        },
    },
]

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite, minding the dashboard's totals triggers (see its docstring).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    # Several request threads and the in-process tasks share one file: wait, do not fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite has no "nulls not distinct" unique constraint: insights.triggers makes the same
    # rule a unique index over COALESCE(store_id, -1), so the warning would only alarm.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]

# PgBouncer in transaction mode hands each transaction to any server connection: cursors that
# outlive a transaction (Django's .iterator() on PostgreSQL) would break, so they are turned off.
# Nothing else here keeps session state (no SET, no session advisory locks, no LISTEN).
# https://docs.djangoproject.com/en/5.2/ref/databases/#transaction-pooling-and-server-side-cursors
DISABLE_SERVER_SIDE_CURSORS = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DISABLE_SERVER_SIDE_CURSORS
# Reports (the dashboard, the buying report) may read a PostgreSQL replica; customers' stock
# never does (core/replica.py). Tests mirror it onto the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": DISABLE_SERVER_SIDE_CURSORS,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# from anyone else the header is ignored. Compose sets Caddy's network. See core/clientip.py.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    networks_parse(TRUSTED_PROXIES)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
# The till API's docs and OpenAPI schema for anyone (production: only for logged-in staff).
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=True)

# https://docs.djangoproject.com/en/5.2/topics/cache/
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Hebrew first, right-to-left; English as the second language.
LANGUAGE_CODE = "he"
LANGUAGES = [("he", _("Hebrew")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English pages write dates day first, as Israel does (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
# The importer's brand, shown in page titles and the admin header (translated where shown).
SITE_NAME = env.str("SITE_NAME", default="Sole Israel")
# The public address links in SMS point at (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How long a customer may rate a visit after it (the link in the SMS stops working then).
# How long the manage/cancel link in a text works; later it offers a code to the number.
MANAGE_LINK_DAYS = env.int("MANAGE_LINK_DAYS", default=60)
RATING_LINK_DAYS = env.int("RATING_LINK_DAYS", default=14)
TIME_ZONE = "Asia/Jerusalem"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# https://whitenoise.readthedocs.io/en/stable/django.html#add-compression-and-caching-support
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Phone numbers: Israel unless the number says otherwise (read by core.phones).
PHONENUMBER_DEFAULT_REGION = "IL"

# --- Holds and transfers --------------------------------------------------------------------
# How long a pair is held for a customer, counted from when their text is sent: 90m, 24h, 2d.
# HOLD_HOURS (whole hours) is its older name, still read when HOLD_DURATION is unset.
HOLD_DURATION = _duration(
    "HOLD_DURATION",
    env.str("HOLD_DURATION", default=""),
    hours_name="HOLD_HOURS",
    hours=env.str("HOLD_HOURS", default=""),
    default="24h",
)
# The one extra day a customer may ask for from their hold text's page (0 turns it off).
HOLD_EXTENSION = _duration(
    "HOLD_EXTENSION",
    env.str("HOLD_EXTENSION", default=""),
    hours_name="HOLD_EXTENSION_HOURS",
    hours=env.str("HOLD_EXTENSION_HOURS", default=""),
    default="24h",
    allow_zero=True,
)
# Length of the pick-up slots offered inside a store's opening hours.
PICKUP_SLOT_MINUTES = env.int("PICKUP_SLOT_MINUTES", default=60)
# When a store closes on a holiday eve if it does not open on Fridays (one that does closes at
# its Friday closing time); a date the store set in "dates with other hours" wins over both.
HOLIDAY_EVE_CLOSES = time.fromisoformat(env.str("HOLIDAY_EVE_CLOSES", default="14:00"))
# Working days (Sunday–Thursday) a transfer between two stores takes, unless its route has its
# own figure below. TRANSFER_DEFAULT_DAYS is this setting's older name, still read.
TRANSFER_LEAD_DAYS = env.int(
    "TRANSFER_LEAD_DAYS", default=env.int("TRANSFER_DEFAULT_DAYS", default=2)
)
# Routes with their own lead time, by store code: "warehouse>eil=3,tlv>jlm=1" (a route given
# one way counts both ways unless the other way has its own).
TRANSFER_ROUTE_LEAD_DAYS = env.dict("TRANSFER_ROUTE_LEAD_DAYS", cast={"value": int}, default={})
# "Hold a pair for me": how long an in-stock pair is held, from the text that confirms it
# (90m, 24h, 2d); PAIR_HOLD_HOURS (whole hours) is its older name.
PAIR_HOLD_DURATION = _duration(
    "PAIR_HOLD_DURATION",
    env.str("PAIR_HOLD_DURATION", default=""),
    hours_name="PAIR_HOLD_HOURS",
    hours=env.str("PAIR_HOLD_HOURS", default=""),
    default="24h",
)
# Pairs one mobile number may have asked for at once (held for it or being brought to a store).
CUSTOMER_PAIRS_PER_NUMBER = env.int("CUSTOMER_PAIRS_PER_NUMBER", default=3)
# Suggested transfers: pairs a store keeps for walk-in customers before its stock counts as
# surplus (a store's own "safety stock" overrides it), and days a dismissed suggestion stays away.
TRANSFER_SAFETY_STOCK = env.int("TRANSFER_SAFETY_STOCK", default=1)
TRANSFER_SUGGESTION_SNOOZE_DAYS = env.int("TRANSFER_SUGGESTION_SNOOZE_DAYS", default=7)
# The buying report: weeks of sales it reads, and weeks of sales a suggested order should cover.
BUYING_REPORT_WEEKS = env.int("BUYING_REPORT_WEEKS", default=4)
BUYING_COVER_WEEKS = env.int("BUYING_COVER_WEEKS", default=4)

# Where texts go, like EMAIL_BACKEND: console (prints), locmem (tests) or Twilio (production).
# The page every text links to (its token names the text): the customer's requests, which the
# messaging layer serves without knowing them.
TEXT_LINK_VIEW = "demand:manage"
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.backends.console.ConsoleBackend")

# --- Alerts and SMS -------------------------------------------------------------------------
# https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
# A Messaging Service SID (MG…) is preferred; otherwise texts go from this sender.
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
# Where Twilio reports delivery; empty means SITE_URL + the status webhook's path.
TWILIO_STATUS_CALLBACK_URL = env.str("TWILIO_STATUS_CALLBACK_URL", default="")
# Staging and tests point the real client at a Twilio-compatible server here.
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="https://api.twilio.com")
TWILIO_HTTP_TIMEOUT = env.float("TWILIO_HTTP_TIMEOUT", default=10.0)
# WhatsApp beside SMS (https://www.twilio.com/docs/whatsapp/api): whether customers may choose
# it, the channel a sign-up offers first (sms or whatsapp), and the WhatsApp sender
# ("whatsapp:+972…"); empty sends WhatsApp through TWILIO_MESSAGING_SERVICE_SID.
WHATSAPP_ENABLED = env.bool("WHATSAPP_ENABLED", default=True)
ALERT_CHANNEL_DEFAULT = env.str("ALERT_CHANNEL_DEFAULT", default="sms")
TWILIO_WHATSAPP_FROM = env.str("TWILIO_WHATSAPP_FROM", default="")
# Countries (ISO 3166 regions) whose mobiles may sign up: SMS pumping costs real money.
ALLOWED_SMS_COUNTRIES = env.list("ALLOWED_SMS_COUNTRIES", default=["IL"])
# Texts a day (Israel time) before non-essential ones (codes, notices, replies) stop.
SMS_DAILY_BUDGET = env.int("SMS_DAILY_BUDGET", default=2000)
# Fixed-window limits, (count, seconds), per mobile number and per client address.
RATE_LIMITS = {
    "signup_per_number": (env.int("SMS_SIGNUPS_PER_NUMBER_HOUR", default=5), 3600),
    "signup_per_ip": (env.int("SMS_SIGNUPS_PER_IP_HOUR", default=20), 3600),
    "code_per_number": (env.int("SMS_CODES_PER_NUMBER_HOUR", default=3), 3600),
    "code_per_ip": (env.int("SMS_CODES_PER_IP_HOUR", default=10), 3600),
    "confirm_per_ip": (env.int("SMS_CONFIRMS_PER_IP_HOUR", default=30), 3600),
    # Codes across the whole site: past this, codes pause for the hour and staff are told.
    "code_sitewide": (env.int("SMS_CODES_PER_HOUR_SITE", default=300), 3600),
    # "Did you find it?" answers from one address.
    "site_feedback_per_ip": (env.int("SITE_FEEDBACK_PER_IP_HOUR", default=10), 3600),
    # Launch draw entries (and changes of entry) from one address (an IPv6 /64).
    "launch_enter_per_ip": (env.int("LAUNCH_ENTERS_PER_IP_HOUR", default=20), 3600),
}
# Entries one client address (an IPv6 /64) may make in one launch draw: a household, not a bot.
LAUNCH_ENTRIES_PER_CLIENT = env.int("LAUNCH_ENTRIES_PER_CLIENT", default=3)
SMS_CODE_VALIDITY = timedelta(minutes=env.int("SMS_CODE_MINUTES", default=10))
SMS_CODE_MAX_ATTEMPTS = env.int("SMS_CODE_MAX_ATTEMPTS", default=5)
# Alert texts wait for the morning (Israel time); empty QUIET_HOURS turns this off.
QUIET_HOURS = env.str("QUIET_HOURS", default="22:00-08:00")
# The provider's throughput per sender, texts a second across all workers (0: no limit).
SMS_SEND_RATE_PER_SECOND = env.int("SMS_SEND_RATE_PER_SECOND", default=30)
# The WhatsApp sender's own rate, paced apart from the SMS sender's (0: no limit).
WHATSAPP_SEND_RATE_PER_SECOND = env.int("WHATSAPP_SEND_RATE_PER_SECOND", default=80)
# Texts a send task takes at once (a restock's, the sweeps'); each is still marked one by one.
SMS_SEND_BATCH = env.int("SMS_SEND_BATCH", default=10)
# Transient failures (network, 429, 5xx) retry with exponential backoff up to a cap.
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=6)
SMS_RETRY_BACKOFF = env.float("SMS_RETRY_BACKOFF", default=15.0)  # seconds, doubled per try
SMS_RETRY_BACKOFF_MAX = env.float("SMS_RETRY_BACKOFF_MAX", default=600.0)
# A text handed to a worker and not sent this long is handed over again by the sweep (its task
# was lost, or its worker killed). A worker renews its claim just before each send, and a send
# lasts at most TWILIO_HTTP_TIMEOUT to connect plus as much to answer: a claim older than that
# (with a margin) belongs to a worker that died, so handing it over again sends nothing twice
# that was not already at the provider.
SMS_STALE_AFTER = timedelta(seconds=env.int("SMS_STALE_SECONDS", default=45))
if SMS_STALE_AFTER.total_seconds() < 2 * TWILIO_HTTP_TIMEOUT + 5:
    raise ImproperlyConfigured(
        f"SMS_STALE_SECONDS is {SMS_STALE_AFTER.total_seconds():.0f}: a text still at Twilio "
        f"(TWILIO_HTTP_TIMEOUT={TWILIO_HTTP_TIMEOUT:g}) would be sent again. Set it to at "
        f"least {2 * TWILIO_HTTP_TIMEOUT + 5:.0f}, or lower TWILIO_HTTP_TIMEOUT."
    )
# Links in texts start with this (a short domain saves precious characters); default SITE_URL.
SMS_LINK_BASE_URL = env.str("SMS_LINK_BASE_URL", default="").rstrip("/")
# Finished alerts, their numbers and old texts are deleted after this many days.
ALERT_RETENTION_DAYS = env.int("ALERT_RETENTION_DAYS", default=90)
# How long the audit trail of customers' data requests and staff's number reveals is kept.
PRIVACY_AUDIT_RETENTION_DAYS = env.int("PRIVACY_AUDIT_RETENTION_DAYS", default=730)
# The key of the hash an opt-out keeps when a customer has her data deleted (core.phones.
# phone_key). Changing it forgets those opt-outs, so it is its own setting, not SECRET_KEY's
# rotation; left empty, it is derived from SECRET_KEY.
PHONE_KEY_SECRET = env.str("PHONE_KEY_SECRET", default="")
# Where customers write about their data and about accessibility (the notice pages name them).
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="privacy@sole.example")
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "ACCESSIBILITY_CONTACT_EMAIL", default="accessibility@sole.example"
)
# When the privacy notice and accessibility statement were last reviewed (shown on them).
PRIVACY_NOTICE_DATE = date.fromisoformat(env.str("PRIVACY_NOTICE_DATE", default="2026-12-07"))

# --- Operations -----------------------------------------------------------------------------
# The bearer token Prometheus sends to /metrics; empty turns the endpoint off.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# The port a Celery worker serves its own metrics on (inside the network; 0: none).
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)

# Errors to Sentry (or a Sentry-compatible collector) when SENTRY_DSN is set, numbers scrubbed
# (core/sentry.py). https://docs.sentry.io/platforms/python/integrations/django/
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# The store inbox (README, "Customers answer back"): how soon a store should answer (minutes
# within its opening hours; longer shows as overdue and its manager is told), the automatic
# reply outside opening hours, and the cut-off for a number flooding us (its first messages
# are always kept).
INBOX_RESPONSE_TARGET_MINUTES = env.int("INBOX_RESPONSE_TARGET_MINUTES", default=15)
INBOX_AUTO_REPLY = env.bool("INBOX_AUTO_REPLY", default=True)
INBOX_FLOOD_LIMIT = env.int("INBOX_FLOOD_LIMIT", default=20)
INBOX_FLOOD_WINDOW = timedelta(minutes=env.int("INBOX_FLOOD_WINDOW_MINUTES", default=10))
# How often an open inbox page asks for new messages (seconds).
INBOX_POLL_SECONDS = env.int("INBOX_POLL_SECONDS", default=5)

# --- Celery ---------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# The broker can live apart from the cache (CELERY_BROKER_URL), e.g. a dedicated Redis.
# The in-memory default names a host: even eager tasks take a producer from the broker pool,
# and kombu logs "No hostname was supplied" for every task (every text sent) without one.
EMBEDDED_BROKER_URL = "memory://localhost/"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or EMBEDDED_BROKER_URL)
CELERY_RESULT_BACKEND = None
# Without a broker (the embedded default), tasks run in-process, at once.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
# The longest a task waits on the broker for its countdown (a retry's backoff); longer delays
# live in the database (`send_after`) and the sweeps pick them up.
CELERY_COUNTDOWN_MAX = 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task a worker took and did not acknowledge (it was killed) goes back on the queue after
    # this. It must outlast the longest countdown plus the longest run, or a task still waiting
    # or running would be handed to a second worker. A killed worker's texts do not wait for
    # it: the sweep hands them over again (SMS_STALE_SECONDS).
    # https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout
    "visibility_timeout": 300,
    # Fail fast when the broker is away: a web request hands over its tasks after commit and
    # must not wait on a broker that does not answer.
    # https://docs.celeryq.dev/projects/kombu/en/stable/reference/kombu.transport.redis.html
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# One try per hand-over: kombu's default (four tries over 0.6 s) made every line of a till
# receipt wait on a broker that was down. What cannot be handed over now, the sweeps hand
# over later; `core.tasks` also stops trying for a few seconds after a failure.
# https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-publish-retry-policy
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat log through LOGGING (JSON or text, masked, with the request id) rather than
# Celery's own handler. https://docs.celeryq.dev/en/stable/userguide/configuration.html#worker-hijack-root-logger
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# Every periodic job, in one place. Delays and expiries live in the database; these pick them up.
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "holds-expire-due": {"task": "inventory.holds_expire_due", "schedule": 60.0},
    "pickup-reminders-due": {"task": "demand.pickup_reminders_due", "schedule": 300.0},
    # Launch draws whose time has come (and any a crash left half drawn).
    "launch-draws-due": {"task": "demand.launch_draws_due", "schedule": 15.0},
    # The catch-ups: cheap when there is nothing to do (an indexed query each), and frequent, so
    # texts a broker outage or a killed worker left behind go within a minute of recovery.
    "messages-dispatch-due": {"task": "notifications.messages_dispatch_due", "schedule": 30.0},
    "messages-requeue-stale": {"task": "notifications.messages_requeue_stale", "schedule": 10.0},
    # A customer waiting past the store's answer target: its manager is told.
    "conversations-overdue-alert": {
        "task": "notifications.conversations_overdue_alert",
        "schedule": 60.0,
    },
    "waitlist-allocate-pending": {
        "task": "demand.waitlist_allocate_pending",
        "schedule": 30.0,
    },
    "transfer-suggestions-refresh": {
        "task": "demand.transfer_suggestions_refresh",
        "schedule": 3600.0,
    },
    "retention-purge": {
        "task": "demand.purge",
        "schedule": crontab(hour="3", minute="30"),
    },
}

# --- Security -------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# One line per event: JSON in production (LOG_FORMAT=json, for a log collector), text by
# default; each carries the request id that follows a request into its tasks (core/requestid.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT is {LOG_FORMAT!r}: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors": {"()": "core.logging.ClientErrorsWithoutTraceback"},
        "request_id": {"()": "core.requestid.RequestIdFilter"},
    },
    "formatters": {
        "text": {
            "()": "core.logging.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {
            "()": "core.logging.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_errors", "request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own default adds a second console handler; log each line once, here.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The twilio client logs request bodies (numbers, texts) at INFO.
        "twilio.http_client": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}
