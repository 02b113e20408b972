"""The files an operator deploys with: docker-compose.yml, Dockerfile, .env.example, /healthz/.

There is no Docker engine here, so the Compose file is checked by parsing it (and, where a
Compose CLI is installed, by `docker compose config`, which needs no engine).
"""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def documented() -> set[str]:
    """Names in .env.example, set (NAME=) or described (# NAME= or # NAME:)."""
    text = (BASE_DIR / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)[=:]", text, flags=re.MULTILINE))


def redis_options(service: dict) -> dict[str, str]:
    """A redis-server command's `--name value` options."""
    command = service["command"]
    assert command[0] == "redis-server"
    options = command[1:]
    return {options[i].removeprefix("--"): options[i + 1] for i in range(0, len(options), 2)}


def test_compose_has_every_service_of_the_stack(compose):
    assert {"postgres", "cache", "broker", "web", "worker", "beat"} <= set(compose["services"])
    assert compose["services"]["postgres"]["image"].startswith("postgres:16")
    assert compose["services"]["cache"]["image"].startswith("redis:7")
    assert compose["services"]["broker"]["image"].startswith("redis:7")


def test_compose_cache_redis_is_bounded_and_evicts_the_least_recently_used(compose):
    options = redis_options(compose["services"]["cache"])

    assert re.fullmatch(r"\$\{CACHE_MAXMEMORY:-\d+[kmg]b\}", options["maxmemory"])
    assert options["maxmemory-policy"] == "allkeys-lru"
    assert "volumes" not in compose["services"]["cache"]  # nothing in it is worth keeping


def test_compose_broker_redis_evicts_nothing_and_keeps_its_queues(compose):
    broker = compose["services"]["broker"]
    options = redis_options(broker)

    assert options["maxmemory-policy"] == "noeviction"
    assert options["appendonly"] == "yes"
    assert options["appendfsync"] in {"everysec", "always"}
    assert any(volume.endswith(":/data") for volume in broker["volumes"])


@pytest.mark.parametrize(
    ("service", "probe"),
    [
        ("postgres", "pg_isready"),
        ("cache", "redis-cli"),
        ("broker", "redis-cli"),
        ("web", "readyz"),
        ("worker", "inspect ping"),
        ("beat", "celerybeat-schedule"),
    ],
)
def test_compose_services_have_health_checks(compose, service, probe):
    check = compose["services"][service]["healthcheck"]

    assert probe in " ".join(check["test"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_services_run_production_settings_against_the_services(compose, service):
    definition = compose["services"][service]
    environment = definition["environment"]

    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    # The cache and the broker on Redis servers of their own (production refuses one for both).
    assert environment["REDIS_URL"].startswith("redis://cache:6379/")
    assert environment["CELERY_BROKER_URL"].startswith("redis://broker:6379/")
    assert definition["env_file"] == ".env"
    for needed in ("postgres", "cache", "broker"):
        assert definition["depends_on"][needed]["condition"] == "service_healthy"


def test_compose_web_migrates_then_serves_with_gunicorn(compose):
    command = " ".join(compose["services"]["web"]["command"])

    assert command.index("migrate") < command.index("collectstatic") < command.index("gunicorn")
    assert "config.wsgi" in command


def test_compose_worker_and_beat_run_celery(compose):
    worker = compose["services"]["worker"]["command"]
    beat = compose["services"]["beat"]["command"]

    assert "celery -A config worker" in worker
    assert "--prefetch-multiplier=1" in worker
    assert "celery -A config beat" in beat
    # Both wait for web, which has applied the migrations by the time it is healthy.
    assert compose["services"]["worker"]["depends_on"]["web"]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", ["web", "beat"])
def test_compose_python_health_checks_are_valid_python(compose, service):
    code = compose["services"][service]["healthcheck"]["test"][-1]

    compile(code, "healthcheck", "exec")


def test_compose_beat_health_check_passes_on_a_fresh_schedule_and_fails_on_a_stale_one(
    compose, tmp_path
):
    code = compose["services"]["beat"]["healthcheck"]["test"][-1]
    code = code.replace("/tmp/celerybeat-schedule", str(tmp_path / "celerybeat-schedule"))

    def run() -> int:
        return subprocess.run(["python3", "-c", code], check=False).returncode

    assert run() == 1  # no schedule yet
    schedule = tmp_path / "celerybeat-schedule.db"
    schedule.write_bytes(b"")
    assert run() == 0
    os.utime(schedule, (time.time() - 600, time.time() - 600))
    assert run() == 1


@pytest.mark.parametrize("profile", [[], ["--profile", "monitoring"]], ids=["stack", "monitoring"])
def test_compose_file_passes_the_compose_cli(tmp_path, profile):
    """`config -q` validates against the Compose schema; it needs no engine."""
    if (
        shutil.which("docker")
        and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        command = ["docker", "compose", *profile, "config", "-q"]
    elif shutil.which("docker-compose"):
        command = ["docker-compose", *profile, "config", "-q"]
    else:
        pytest.skip("no Compose CLI on this machine")
    for name in ("docker-compose.yml", "Dockerfile", ".dockerignore"):
        shutil.copy(BASE_DIR / name, tmp_path / name)
    (tmp_path / "config").mkdir()
    shutil.copy(BASE_DIR / "config" / "Caddyfile", tmp_path / "config" / "Caddyfile")
    shutil.copytree(BASE_DIR / "config" / "monitoring", tmp_path / "config" / "monitoring")
    shutil.copy(BASE_DIR / ".env.example", tmp_path / ".env")

    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr


def test_compose_variables_are_documented(documented):
    text = (BASE_DIR / "docker-compose.yml").read_text()
    used = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", text))

    assert used - documented == set()


def test_every_setting_read_from_the_environment_is_documented(documented):
    read = set()
    for module in (BASE_DIR / "config" / "settings").glob("*.py"):
        read |= set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", module.read_text()))

    assert read, "no env(...) calls found: has the settings reader changed?"
    assert read - documented == set(), "add these to .env.example"


def test_dockerfile_builds_a_non_root_image_with_static_files():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()

    assert re.search(r"^FROM python:3\.11-slim", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^USER (?!root)\w+", dockerfile, flags=re.MULTILINE)
    assert "gettext" in dockerfile
    assert "compilemessages" in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^EXPOSE 8000$", dockerfile, flags=re.MULTILINE)


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (BASE_DIR / ".dockerignore").read_text().split()

    assert {".env", ".venv", ".git", "db.sqlite3*"} <= set(ignored)


def test_healthz_answers_when_the_database_is_reachable(client, db):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("service", ["web", "worker"])
def test_compose_web_and_worker_scale_out(compose, service):
    """`docker compose up --scale web=3 --scale worker=4`: nothing names one container."""
    definition = compose["services"][service]

    assert "container_name" not in definition
    assert "ports" not in definition  # a host port can be bound by one container only
    assert "replicas" not in definition.get("deploy", {})


def test_caddy_balances_over_every_web_container():
    caddyfile = (BASE_DIR / "config" / "Caddyfile").read_text()

    assert re.search(
        r"dynamic a \{\$APP_UPSTREAM_HOST:web\} \{\$APP_UPSTREAM_PORT:8000\}", caddyfile
    )
    assert "lb_policy" in caddyfile and "lb_try_duration" in caddyfile


def test_caddy_keeps_the_metrics_inside_the_network():
    caddyfile = (BASE_DIR / "config" / "Caddyfile").read_text()

    assert re.search(r"handle /metrics\* \{\s*respond 404\s*\}", caddyfile)


def test_compose_scaled_web_containers_migrate_one_at_a_time(compose):
    command = " ".join(compose["services"]["web"]["command"])

    assert "manage.py migrate_locked" in command


def test_the_web_application_keeps_its_loaded_objects_out_of_full_collections():
    """config.wsgi freezes what Django and the views made at start (a full collection walked a
    quarter of a million objects, 80–160 ms a pause) and collects young objects less often."""
    import gc

    import config.wsgi  # noqa: F401

    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == 10_000
