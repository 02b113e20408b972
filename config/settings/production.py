"""Production: every secret comes from the environment, with no default.

Start-up stops with ImproperlyConfigured when SECRET_KEY or ALLOWED_HOSTS is missing, or when
texts go to Twilio without its credentials and a sender. `manage.py check --deploy` is clean.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SMS_BACKEND, env

DEBUG = False
try:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(f"{exc}. Production needs SECRET_KEY and ALLOWED_HOSTS.") from exc
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("SECRET_KEY is empty. Production needs a long random key.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty. Production needs at least one host.")

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

# --- HTTPS, behind a TLS-terminating proxy ----------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-ssl-redirect
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Origins (scheme + host) allowed to POST forms, e.g. https://shop.example.com
# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-trusted-origins
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Static files: whitenoise serves them compressed, with hashed names (STORAGES in base).
# https://whitenoise.readthedocs.io/en/stable/django.html
