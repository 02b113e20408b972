"""The contracts in pyproject.toml (`lint-imports`): each app imports only the apps below it, and
an upward import fails the check; Celery is imported only by tasks modules and the Celery app,
Twilio only by the notifications backend."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "Apps import only the layers below them"
CELERY_CONTRACT = "Celery is imported only by tasks modules and the Celery app"
TWILIO_CONTRACT = "Twilio is imported only by the notifications backend"


def config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]


def contract(name: str) -> dict:
    (found,) = [c for c in config()["contracts"] if c["name"] == name]
    return found


def copy_project(to: Path) -> Path:
    """The project's packages and pyproject.toml, code only, in a folder of their own."""
    for package in config()["root_packages"]:
        shutil.copytree(
            ROOT / package,
            to / package,
            ignore=shutil.ignore_patterns("__pycache__", "locale", "templates", "static"),
        )
    shutil.copy(ROOT / "pyproject.toml", to / "pyproject.toml")
    return to


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_layers_contract_lists_the_apps_top_to_bottom():
    layers = contract(CONTRACT)

    assert layers["type"] == "layers"
    assert layers["layers"] == [
        "config",
        "demo",
        "storefront",
        "insights",
        "reviews",
        "demand",
        "notifications",
        "inventory",
        "catalog",
        "core",
    ]


def test_lint_imports_passes_on_the_project(tmp_path):
    result = lint_imports(copy_project(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{CONTRACT} KEPT" in result.stdout
    assert f"{CELERY_CONTRACT} KEPT" in result.stdout
    assert f"{TWILIO_CONTRACT} KEPT" in result.stdout


def test_lint_imports_fails_when_catalog_imports_inventory(tmp_path):
    project = copy_project(tmp_path)
    models = project / "catalog" / "models.py"
    models.write_text(models.read_text() + "\nimport inventory  # noqa\n")

    result = lint_imports(project)

    assert result.returncode != 0
    assert f"{CONTRACT} BROKEN" in result.stdout
    assert "catalog is not allowed to import inventory" in result.stdout
    assert "catalog.models -> inventory" in result.stdout


def test_celery_and_twilio_contracts_watch_every_root_package():
    for name in (CELERY_CONTRACT, TWILIO_CONTRACT):
        assert sorted(contract(name)["source_modules"]) == sorted(config()["root_packages"])


def test_lint_imports_fails_when_catalog_imports_twilio(tmp_path):
    project = copy_project(tmp_path)
    models = project / "catalog" / "models.py"
    models.write_text(models.read_text() + "\nimport twilio  # noqa\n")

    result = lint_imports(project)

    assert result.returncode != 0
    assert f"{TWILIO_CONTRACT} BROKEN" in result.stdout
    assert "catalog is not allowed to import twilio" in result.stdout
    assert "catalog.models -> twilio" in result.stdout


def test_lint_imports_fails_when_inventory_models_import_celery(tmp_path):
    project = copy_project(tmp_path)
    models = project / "inventory" / "models" / "stock.py"
    models.write_text(models.read_text() + "\nimport celery  # noqa\n")

    result = lint_imports(project)

    assert result.returncode != 0
    assert f"{CELERY_CONTRACT} BROKEN" in result.stdout
    assert "inventory is not allowed to import celery" in result.stdout
    assert "inventory.models.stock -> celery" in result.stdout


def test_lint_imports_fails_when_notifications_import_demand(tmp_path):
    project = copy_project(tmp_path)
    outbox = project / "notifications" / "services" / "outbox.py"
    outbox.write_text(outbox.read_text() + "\nfrom demand.models import WaitlistEntry  # noqa\n")

    result = lint_imports(project)

    assert result.returncode != 0
    assert f"{CONTRACT} BROKEN" in result.stdout
    assert "notifications is not allowed to import demand" in result.stdout
    assert "notifications.services.outbox -> demand.models" in result.stdout


def test_lint_imports_fails_when_a_webhook_imports_twilio_itself(tmp_path):
    project = copy_project(tmp_path)
    webhooks = project / "notifications" / "webhooks.py"
    webhooks.write_text(webhooks.read_text() + "\nimport twilio  # noqa\n")

    result = lint_imports(project)

    assert result.returncode != 0
    assert f"{TWILIO_CONTRACT} BROKEN" in result.stdout
    assert "notifications.webhooks -> twilio" in result.stdout
