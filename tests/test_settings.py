"""Each settings module starts (or refuses to) the way an operator expects.

Settings are read once per process, so each case runs Django in a fresh subprocess with only the
variables it names (no `.env`, nothing inherited from the developer's shell).
"""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.durations import duration_parse

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.com",
    "SITE_URL": "https://example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    # A Redis server of its own for the broker (nothing is queued by these checks).
    "CELERY_BROKER_URL": "redis://127.0.0.1:6380/0",
    "SMS_BACKEND": "notifications.backends.twilio.TwilioBackend",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "test-token",
    "TWILIO_MESSAGING_SERVICE_SID": "MG" + "0" * 32,
}


def production(**overrides: str) -> dict[str, str]:
    """The production environment with some variables changed ("" removes one)."""
    variables = {**PRODUCTION, **overrides}
    return {name: value for name, value in variables.items() if value != ""}


DUMP_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
from config.celery import app
print(json.dumps({
    "debug": settings.DEBUG,
    "database": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "broker": app.conf.broker_url,
    "eager": app.conf.task_always_eager,
    "sms_backend": settings.SMS_BACKEND,
    "site_url": settings.SITE_URL,
}))
"""


def run_django(module: str, args: list[str], **variables: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "DJANGO_SETTINGS_MODULE": f"config.settings.{module}",
        **variables,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def dump_settings(module: str, **variables: str) -> dict:
    result = run_django(module, ["-c", DUMP_SETTINGS], **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_secret_key():
    result = run_django("production", ["manage.py", "check"], ALLOWED_HOSTS="example.com")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_an_empty_secret_key():
    result = run_django(
        "production", ["manage.py", "check"], SECRET_KEY="", ALLOWED_HOSTS="example.com"
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django("production", ["manage.py", "check"], SECRET_KEY=PRODUCTION["SECRET_KEY"])

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_twilio_without_credentials():
    result = run_django(
        "production",
        ["manage.py", "check"],
        **production(TWILIO_AUTH_TOKEN="", TWILIO_MESSAGING_SERVICE_SID=""),
    )

    assert result.returncode != 0
    assert "TWILIO_AUTH_TOKEN" in result.stderr
    assert "TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER" in result.stderr


def test_production_check_deploy_reports_no_warnings():
    result = run_django(
        "production", ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_collectstatic_writes_compressed_hashed_files(tmp_path):
    result = run_django(
        "production",
        ["manage.py", "collectstatic", "--noinput", "-v", "0"],
        **PRODUCTION,
        STATIC_ROOT=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]
    assert hashed != "admin/css/base.css"
    assert (tmp_path / hashed).exists()
    assert (tmp_path / f"{hashed}.gz").exists()


def test_local_settings_boot_without_any_environment():
    local = dump_settings("local")

    assert local["debug"] is True
    assert local["database"] == "config.sqlite"  # Django's SQLite (see config/sqlite)
    assert local["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert local["broker"] == "memory://localhost/"
    assert local["eager"] is True
    assert local["sms_backend"].endswith("ConsoleBackend")


def test_redis_url_switches_cache_and_broker():
    redis_url = "redis://127.0.0.1:6379/7"

    local = dump_settings("local", REDIS_URL=redis_url)

    assert local["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert local["cache_location"] == redis_url
    assert local["broker"] == redis_url
    assert local["eager"] is False


def test_database_url_switches_to_postgres():
    local = dump_settings("local", DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything")

    assert local["database"] == "django.db.backends.postgresql"


def test_celery_app_is_configured_for_safe_delivery():
    from config.celery import app

    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.result_serializer == "json"
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    # A task waiting for its countdown, or still running, when the visibility timeout passes
    # would be delivered again.
    assert conf.broker_transport_options["visibility_timeout"] > (
        settings.CELERY_COUNTDOWN_MAX + conf.task_time_limit
    )
    # One try per hand-over: a request never waits on a broker that is down.
    assert conf.task_publish_retry_policy["max_retries"] == 0
    assert conf.broker_transport_options["socket_connect_timeout"] <= 2


def test_production_refuses_a_backend_that_texts_nobody():
    for backend in (
        "notifications.backends.console.ConsoleBackend",
        "notifications.backends.locmem.LocMemBackend",
    ):
        result = run_django("production", ["manage.py", "check"], **production(SMS_BACKEND=backend))

        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "SMS_ENABLED=False" in result.stderr


def test_production_starts_with_texts_deliberately_off():
    settings_seen = dump_settings(
        "production",
        **production(
            SMS_BACKEND="",
            TWILIO_ACCOUNT_SID="",
            TWILIO_AUTH_TOKEN="",
            TWILIO_MESSAGING_SERVICE_SID="",
            SMS_ENABLED="False",
        ),
    )

    assert settings_seen["sms_backend"] == "notifications.backends.disabled.DisabledBackend"


def test_production_refuses_to_start_without_a_shared_cache():
    result = run_django("production", ["manage.py", "check"], **production(REDIS_URL=""))

    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_refuses_the_broker_on_the_caches_redis_server():
    """The cache evicts (allkeys-lru); one Redis server has one policy for all its databases,
    so queued tasks would be evicted with the pages."""
    for broker in (
        "",  # unset: the broker is REDIS_URL itself
        "redis://127.0.0.1:6379/15",
        "redis://127.0.0.1:6379/1",
        "redis://localhost:6379/2",
    ):
        result = run_django(
            "production", ["manage.py", "check"], **production(CELERY_BROKER_URL=broker)
        )

        assert result.returncode != 0, broker
        assert "CELERY_BROKER_URL and REDIS_URL name the same Redis server" in result.stderr
        assert "noeviction" in result.stderr


def test_production_refuses_a_broker_in_memory():
    result = run_django(
        "production", ["manage.py", "check"], **production(CELERY_BROKER_URL="memory://localhost/")
    )

    assert result.returncode != 0
    assert "CELERY_BROKER_URL is memory://localhost/: tasks would reach no worker" in result.stderr


def test_production_publishes_to_its_own_broker_and_caches_in_its_own_redis():
    seen = dump_settings("production", **production(CELERY_BROKER_URL="redis://broker:6379/0"))

    assert seen["broker"] == "redis://broker:6379/0"
    assert seen["cache_location"] == "redis://127.0.0.1:6379/15"


def test_settings_refuse_a_staleness_shorter_than_a_send_to_twilio():
    """A text a live worker is still sending must not be handed over again."""
    for module, variables in (("local", {}), ("production", production())):
        result = run_django(
            module,
            ["manage.py", "check"],
            **variables,
            SMS_STALE_SECONDS="20",
            TWILIO_HTTP_TIMEOUT="10",
        )

        assert result.returncode != 0
        assert "SMS_STALE_SECONDS is 20" in result.stderr
        assert "Set it to at least 25" in result.stderr


def test_no_task_retries_with_a_countdown_past_the_longest_one_allowed():
    """The broker's visibility timeout outlasts CELERY_COUNTDOWN_MAX, not more."""
    from demand import tasks as demand_tasks
    from notifications import tasks as notification_tasks

    retried = [
        task
        for module in (demand_tasks, notification_tasks)
        for task in vars(module).values()
        if getattr(task, "autoretry_for", None)
    ]

    assert retried
    assert all(task.retry_backoff_max <= settings.CELERY_COUNTDOWN_MAX for task in retried)


def test_production_refuses_to_run_tasks_in_process():
    result = run_django(
        "production", ["manage.py", "check"], **production(CELERY_TASK_ALWAYS_EAGER="True")
    )

    assert result.returncode != 0
    assert "CELERY_TASK_ALWAYS_EAGER" in result.stderr


def test_production_cookies_are_secure_unless_an_operator_says_otherwise():
    dump = DUMP_SETTINGS.replace(
        '"sms_backend": settings.SMS_BACKEND,', '"secure": settings.SESSION_COOKIE_SECURE,'
    )
    for variables, expected in ((production(), True), (production(SECURE_COOKIES="False"), False)):
        result = run_django("production", ["-c", dump], **variables)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.strip().splitlines()[-1])["secure"] is expected


def test_local_site_url_follows_the_address_make_run_serves_on():
    assert dump_settings("local")["site_url"] == "http://127.0.0.1:8000"
    served = dump_settings("local", DEMO_SITE_URL="http://127.0.0.1:8123")
    assert served["site_url"] == "http://127.0.0.1:8123"
    chosen = dump_settings(
        "local", DEMO_SITE_URL="http://127.0.0.1:8123", SITE_URL="https://demo.example.com/"
    )
    assert chosen["site_url"] == "https://demo.example.com"


def test_make_run_on_another_port_links_texts_to_that_port():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    commands = [
        line
        for line in result.stdout.splitlines()
        if "manage.py" in line and "compiletranslations" not in line
    ]
    assert commands and all("DEMO_SITE_URL=http://127.0.0.1:8123" in line for line in commands)
    assert any("runserver 127.0.0.1:8123" in line for line in commands)


def test_eager_task_sends_a_text_without_a_broker_hostname_warning(
    db, caplog, django_capture_on_commit_callbacks
):
    from notifications import services
    from notifications.models import Message

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        services.message_create(
            recipient="+972501234567",
            purpose="confirm",
            idempotency_key="no-hostname-warning",
            body="שלום",
        )
    assert Message.objects.get(idempotency_key="no-hostname-warning").status == "sent"
    assert "No hostname was supplied" not in caplog.text


def test_settings_refuse_trusted_proxies_that_are_not_addresses():
    for entry in ("caddy", "10.0.0.0/33"):
        for module, variables in (("local", {}), ("production", production())):
            result = run_django(
                module,
                ["manage.py", "check"],
                **variables,
                TRUSTED_PROXIES=f"172.30.0.10,{entry}",
            )

            assert result.returncode != 0
            assert "ImproperlyConfigured" in result.stderr
            assert f"TRUSTED_PROXIES: '{entry}' is not an IP address or network" in result.stderr


def test_settings_accept_trusted_proxy_addresses_and_networks():
    dump_settings("local", TRUSTED_PROXIES="172.30.0.10, 10.0.0.0/24,::1,fd00::/8")


def test_production_refuses_to_start_without_a_public_https_site_url():
    for site_url in ("", "http://shop.example.com", "https://localhost", "https://127.0.0.1:8000"):
        result = run_django("production", ["manage.py", "check"], **production(SITE_URL=site_url))

        assert result.returncode != 0, site_url
        assert "ImproperlyConfigured" in result.stderr
        assert "SITE_URL" in result.stderr and "https://shop.example.com" in result.stderr


def test_production_links_texts_to_its_site_url():
    seen = dump_settings("production", **production(SITE_URL="https://shop.example.com/"))
    assert seen["site_url"] == "https://shop.example.com"


def test_production_refuses_a_weak_secret_key():
    for key in ("x", "a" * 60, "django-insecure-" + secrets.token_urlsafe(50), "short-but-varied"):
        result = run_django("production", ["manage.py", "check"], **production(SECRET_KEY=key))

        assert result.returncode != 0, key
        assert "ImproperlyConfigured" in result.stderr
        assert "SECRET_KEY is weak" in result.stderr


def test_production_refuses_to_answer_any_host():
    for hosts in ("*", "example.com,*"):
        result = run_django("production", ["manage.py", "check"], **production(ALLOWED_HOSTS=hosts))

        assert result.returncode != 0, hosts
        assert "ALLOWED_HOSTS contains '*'" in result.stderr


SET_LANGUAGE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="example.com")
response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
cookie = response.cookies["django_language"]
print(json.dumps({
    "value": cookie.value,
    "secure": bool(cookie["secure"]),
    "httponly": bool(cookie["httponly"]),
    "samesite": cookie["samesite"],
}))
"""


def test_production_language_cookie_is_secure_lax_and_hidden_from_scripts():
    result = run_django("production", ["-c", SET_LANGUAGE], **production())

    assert result.returncode == 0, result.stderr
    cookie = json.loads(result.stdout.strip().splitlines()[-1])
    assert cookie == {"value": "en", "secure": True, "httponly": True, "samesite": "Lax"}


HOLD_DURATIONS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    name: getattr(settings, name).total_seconds()
    for name in ("HOLD_DURATION", "PAIR_HOLD_DURATION", "HOLD_EXTENSION")
}))
"""


def hold_durations(**variables: str) -> dict[str, float]:
    result = run_django("local", ["-c", HOLD_DURATIONS], **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("text", "seconds"), [("90m", 5400), ("24h", 86400), ("2d", 172800), (" 45S ", 45)]
)
def test_duration_parse_reads_a_whole_number_and_a_unit(text, seconds):
    assert duration_parse(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["0", "0m", "-5m", "abc", "24", "1.5h", "", "5 weeks"])
def test_duration_parse_refuses_nonsense(text):
    with pytest.raises(ValueError, match="is not a duration"):
        duration_parse(text)


def test_duration_parse_zero_is_off_only_where_allowed():
    assert duration_parse("0", allow_zero=True).total_seconds() == 0
    assert duration_parse("12", unit="h").total_seconds() == 12 * 3600


def test_hold_durations_take_a_unit_and_default_to_a_day():
    assert hold_durations() == {
        "HOLD_DURATION": 86400,
        "PAIR_HOLD_DURATION": 86400,
        "HOLD_EXTENSION": 86400,
    }
    assert hold_durations(HOLD_DURATION="90m", PAIR_HOLD_DURATION="45m", HOLD_EXTENSION="0") == {
        "HOLD_DURATION": 5400,
        "PAIR_HOLD_DURATION": 2700,
        "HOLD_EXTENSION": 0,
    }


def test_hold_durations_still_honour_the_deprecated_hours_variables():
    old = hold_durations(HOLD_HOURS="12", PAIR_HOLD_HOURS="6", HOLD_EXTENSION_HOURS="0")
    assert old == {"HOLD_DURATION": 43200, "PAIR_HOLD_DURATION": 21600, "HOLD_EXTENSION": 0}
    assert hold_durations(HOLD_HOURS="12", HOLD_DURATION="2d")["HOLD_DURATION"] == 172800


def test_settings_refuse_a_nonsense_hold_duration_naming_the_variable():
    for name, value in (
        ("HOLD_DURATION", "0"),
        ("HOLD_DURATION", "-5m"),
        ("PAIR_HOLD_DURATION", "abc"),
        ("HOLD_HOURS", "0"),
    ):
        result = run_django("local", ["manage.py", "check"], **{name: value})

        assert result.returncode != 0, (name, value)
        assert "ImproperlyConfigured" in result.stderr
        assert f"{name}: {value!r} is not a duration" in result.stderr


def test_production_refuses_a_short_metrics_token():
    result = run_django("production", ["manage.py", "check"], **production(METRICS_TOKEN="short"))

    assert result.returncode != 0
    assert "METRICS_TOKEN is too short" in result.stderr


def test_an_unknown_log_format_stops_start_up():
    result = run_django("local", ["manage.py", "check"], LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "LOG_FORMAT is 'xml': use json or text." in result.stderr
