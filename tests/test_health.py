"""Readiness (/readyz/) fails, naming what is down, while the database, Redis or the broker
cannot be reached, and recovers when it is back; liveness (/healthz/) stays as it was."""

import socket

import pytest
from django.db import connection

CLOSED = "redis://127.0.0.1:{port}/0"


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lines(response) -> dict[str, str]:
    body = response.content.decode().splitlines()
    return dict(line.split(": ", 1) for line in body[1:])


@pytest.mark.django_db
def test_readyz_is_ready_when_every_service_answers(client):
    response = client.get("/readyz/")

    assert response.status_code == 200, response.content
    assert response.content.startswith(b"ready\n")
    assert set(lines(response)) == {"database", "migrations", "redis", "broker", "sms"}
    assert all(state.startswith("ok") for state in lines(response).values())
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_fails_while_redis_is_down_and_recovers(client, settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    working = settings.REDIS_URL
    settings.REDIS_URL = CLOSED.format(port=closed_port())

    down = client.get("/readyz/")
    settings.REDIS_URL = working
    back = client.get("/readyz/")

    assert down.status_code == 503
    assert down.content.startswith(b"not ready\n")
    assert lines(down)["redis"].startswith("unreachable (ConnectionError")
    assert back.status_code == 200


@pytest.mark.django_db
def test_readyz_fails_while_the_broker_is_down_and_recovers(client, settings):
    working = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = CLOSED.format(port=closed_port())

    down = client.get("/readyz/")
    settings.CELERY_BROKER_URL = working
    back = client.get("/readyz/")

    assert down.status_code == 503
    assert lines(down)["broker"].startswith("unreachable")
    assert lines(down)["database"].startswith("ok")
    assert back.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_readyz_fails_while_the_database_is_down_and_recovers(client):
    if connection.vendor != "postgresql":
        pytest.skip("points PostgreSQL's connection at a closed port")
    working = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = str(closed_port())
    try:
        down = client.get("/readyz/")
    finally:
        connection.close()
        connection.settings_dict.update(working)
    back = client.get("/readyz/")

    assert down.status_code == 503
    assert lines(down)["database"].startswith("unreachable")
    assert lines(down)["migrations"] == "not checked (no database)"
    assert back.status_code == 200


@pytest.mark.django_db
def test_readyz_fails_when_twilio_has_no_credentials(client, settings):
    settings.SMS_BACKEND = "notifications.backends.twilio.TwilioBackend"
    settings.TWILIO_ACCOUNT_SID = ""

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert "TWILIO_ACCOUNT_SID" in lines(response)["sms"]


@pytest.mark.django_db
def test_readyz_fails_while_a_migration_is_not_applied(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.migration import Migration

    pending = Migration("0099_next_release", "inventory")
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [(pending, False)]
    )

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert lines(response)["migrations"] == "1 not applied (inventory.0099_next_release)"
