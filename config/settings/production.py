"""Production: every secret comes from the environment, with no default.

Start-up stops with ImproperlyConfigured, naming the variable to set, when SECRET_KEY or
ALLOWED_HOSTS is missing, with a weak SECRET_KEY (Django's own rule) or ALLOWED_HOSTS=*;
without a public https:// SITE_URL (texts link to it); when texts would go nowhere real (the
console or locmem backend) unless SMS_ENABLED=False says they are deliberately off; when texts
go to Twilio without its credentials and a sender; without a shared cache (REDIS_URL:
per-process memory would multiply every rate limit by the number of workers); with tasks run
in-process (CELERY_TASK_ALWAYS_EAGER); and with the Celery broker (CELERY_BROKER_URL) on the
cache's Redis server, or in memory. `manage.py check --deploy` is clean.
"""

from urllib.parse import urlsplit

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from redis.connection import parse_url as redis_url_parse

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, CELERY_TASK_ALWAYS_EAGER, METRICS_TOKEN, REDIS_URL, env

DEBUG = False
try:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(f"{exc}. Production needs SECRET_KEY and ALLOWED_HOSTS.") from exc
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("SECRET_KEY is empty. Production needs a long random key.")
# Django's own rule for a key worth its name (check --deploy's security.W009), as a refusal:
# signed links in texts and sessions are only as strong as the key.
# https://docs.djangoproject.com/en/5.2/ref/checks/#security
if (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters, at least "
        f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, and must not start with "
        f'{SECRET_KEY_INSECURE_PREFIX!r}. Make one with: python -c "import secrets; '
        'print(secrets.token_urlsafe(50))"'
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty. Production needs at least one host.")
# "*" would answer any Host header, and links built from the request would follow it.
# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS contains '*'. Production needs the site's own host names, "
        "e.g. ALLOWED_HOSTS=shop.example.com."
    )

# Every link in a text (and Twilio's status callback) starts here: base's loopback default would
# send customers to their own machine, so production needs the public HTTPS address.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
_site_host = urlsplit(SITE_URL).hostname or ""
if (
    urlsplit(SITE_URL).scheme != "https"
    or not _site_host
    or _site_host in {"localhost", "127.0.0.1", "::1"}
    or _site_host.endswith(".localhost")
):
    raise ImproperlyConfigured(
        f"SITE_URL is {SITE_URL or 'not set'}. Production needs the site's public address, "
        "the one links in texts open, e.g. SITE_URL=https://shop.example.com (https, not "
        "localhost or 127.0.0.1)."
    )

# Texts: a real provider, or explicitly none. The console backend would print every code and
# signed link to the log and text nobody; locmem is for tests.
SMS_ENABLED = env.bool("SMS_ENABLED", default=True)
if SMS_ENABLED:
    SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.backends.twilio.TwilioBackend")
    if SMS_BACKEND.rsplit(".", 1)[-1] in {"ConsoleBackend", "LocMemBackend"}:
        raise ImproperlyConfigured(
            f"SMS_BACKEND is {SMS_BACKEND}, which texts nobody. Set SMS_BACKEND="
            "notifications.backends.twilio.TwilioBackend (with the TWILIO_* variables), or "
            "SMS_ENABLED=False to run with texts deliberately off."
        )
else:
    SMS_BACKEND = "notifications.backends.disabled.DisabledBackend"

# Texts to Twilio need an account, its token and a sender (a Messaging Service or a number).
if "twilio" in SMS_BACKEND.lower():
    _required = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")
    _missing = [name for name in _required if not env.str(name, default="")]
    if not (
        env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
        or env.str("TWILIO_FROM_NUMBER", default="")
    ):
        _missing.append("TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER")
    if _missing:
        raise ImproperlyConfigured(
            f"SMS_BACKEND is {SMS_BACKEND} but {', '.join(_missing)} is not set."
        )

# /metrics answers whoever holds this token: a guessable one would publish the shop's figures.
if METRICS_TOKEN and len(METRICS_TOKEN) < 20:
    raise ImproperlyConfigured(
        "METRICS_TOKEN is too short: use 20 characters or more, e.g. python -c "
        '"import secrets; print(secrets.token_urlsafe(32))", or leave it empty for no /metrics.'
    )

# The till API's docs and schema only for logged-in staff, unless an operator opens them.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)

# Rate limits, the SMS budget and the send throttle count in the cache: it must be shared.
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    raise ImproperlyConfigured(
        "REDIS_URL is not set. Production needs a shared cache (and the Celery broker): "
        "set REDIS_URL=redis://HOST:6379/0."
    )
if CELERY_TASK_ALWAYS_EAGER:
    raise ImproperlyConfigured(
        "CELERY_TASK_ALWAYS_EAGER is on: texts and allocations would run inside web requests. "
        "Unset it (or set CELERY_TASK_ALWAYS_EAGER=False) and run a Celery worker."
    )


def _redis_server(url: str) -> tuple[str, ...] | None:
    """The Redis server `url` names ((host, port) or ("unix", path)); None for another broker."""
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        return None
    found = redis_url_parse(url)
    if "path" in found:
        return ("unix", found["path"])
    host = found.get("host") or "localhost"
    loopback = host in {"localhost", "127.0.0.1", "::1"}
    return ("localhost" if loopback else host, str(found.get("port") or 6379))


# The broker holds tasks waiting to run and must never evict one; the cache must evict (pages
# fill it). A Redis server has one memory policy for all its databases, so a database number
# of its own is not enough: the broker needs a server of its own.
# https://redis.io/docs/latest/develop/reference/eviction/
if urlsplit(CELERY_BROKER_URL).scheme == "memory":
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL is {CELERY_BROKER_URL}: tasks would reach no worker. Set "
        "CELERY_BROKER_URL to a Redis server of its own, e.g. redis://broker:6379/0."
    )
if _redis_server(CELERY_BROKER_URL) == _redis_server(REDIS_URL):
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL and REDIS_URL name the same Redis server "
        f"({':'.join(_redis_server(REDIS_URL) or ())}). The cache evicts pages when it is full "
        "(maxmemory, allkeys-lru) and would evict queued tasks with them: give the broker a "
        "Redis server of its own that evicts nothing (noeviction), e.g. "
        "CELERY_BROKER_URL=redis://broker:6379/0, as docker-compose.yml runs it. Unset, "
        "CELERY_BROKER_URL is REDIS_URL."
    )

# --- HTTPS, behind a TLS-terminating proxy ----------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-ssl-redirect
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Cookies only over HTTPS; SECURE_COOKIES=False lets an operator try the stack over plain HTTP
# on loopback. https://docs.djangoproject.com/en/5.2/ref/settings/#session-cookie-secure
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language choice follows the same rule, and no script reads it (the switcher is a form
# posted to set_language). https://docs.djangoproject.com/en/5.2/ref/settings/#language-cookie-secure
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Origins (scheme + host) allowed to POST forms, e.g. https://shop.example.com
# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-trusted-origins
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Static files: whitenoise serves them compressed, with hashed names (STORAGES in base).
# https://whitenoise.readthedocs.io/en/stable/django.html
