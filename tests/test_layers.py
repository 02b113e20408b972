"""The layers contract in pyproject.toml (`lint-imports`): each app imports only the apps below
it, and an upward import fails the check."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "Apps import only the layers below them"


def config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]


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
    (contract,) = config()["contracts"]

    assert contract["type"] == "layers"
    assert contract["layers"] == [
        "config",
        "demo",
        "storefront",
        "insights",
        "reviews",
        "notifications",
        "inventory",
        "catalog",
        "core",
    ]


def test_lint_imports_passes_on_the_project(tmp_path):
    result = lint_imports(copy_project(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{CONTRACT} KEPT" in result.stdout


def test_lint_imports_fails_when_catalog_imports_inventory(tmp_path):
    project = copy_project(tmp_path)
    models = project / "catalog" / "models.py"
    models.write_text(models.read_text() + "\nimport inventory  # noqa\n")

    result = lint_imports(project)

    assert result.returncode != 0
    assert f"{CONTRACT} BROKEN" in result.stdout
    assert "catalog is not allowed to import inventory" in result.stdout
    assert "catalog.models -> inventory" in result.stdout
