"""Errors to Sentry (or any Sentry-compatible collector: GlitchTip, Sentry self-hosted), switched
on by SENTRY_DSN, with no customer's number in what leaves: every string in an event — the
message, the exception's value, stack frames' local variables, breadcrumbs, the request — is
masked by the same rules as the log lines (`core.logging.redact`), and each event is tagged
with the request id that ties it to the log lines.

https://docs.sentry.io/platforms/python/configuration/filtering/#using-before-send
"""

from typing import Any

from .logging import redact
from .requestid import current


def scrub(value: Any) -> Any:
    """`value` with every string in it (at any depth) masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {scrub(key): scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(item) for item in value)
    return value


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """What Sentry gets: the event scrubbed, tagged with the request id."""
    cleaned: dict[str, Any] = scrub(event)
    if current():
        cleaned.setdefault("tags", {})["request_id"] = current()
    return cleaned


def before_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    scrubbed: dict[str, Any] = scrub(crumb)
    return scrubbed


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Start reporting errors from Django and Celery to `dsn`."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Personal data (user, IP, cookies, request bodies) stays off: the SDK's default.
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,  # type: ignore[arg-type]
        before_send_transaction=before_send,  # type: ignore[arg-type]
        before_breadcrumb=before_breadcrumb,
    )
