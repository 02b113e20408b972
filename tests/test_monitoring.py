"""The monitoring profile: Prometheus' configuration and alert rules (checked and unit-tested
with promtool), Grafana's provisioned dashboard, and that every metric they name is one the
application exports."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from prometheus_client.metrics import MetricWrapperBase

from config.metrics import DatabaseCollector
from core import metrics

BASE_DIR = Path(settings.BASE_DIR)
MONITORING = BASE_DIR / "config" / "monitoring"
DASHBOARD = MONITORING / "grafana" / "dashboards" / "sneakerstock.json"
METRIC_NAME = re.compile(r"\bsneakerstock_[a-z_]+")


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.skip("promtool is not installed (apt-get install prometheus)")
    return found


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker) -> set[str]:
    """Every series name the application exports: the event metrics' samples and the
    database's figures."""
    names: set[str] = set()
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            for family in value.describe():
                if family.type == "counter":
                    names.add(f"{family.name}_total")
                elif family.type == "histogram":
                    names |= {f"{family.name}_{end}" for end in ("bucket", "count", "sum")}
                else:
                    names.add(family.name)
    with django_db_blocker.unblock():
        names |= {family.name for family in DatabaseCollector().collect()}
    return names


def test_alert_rules_pass_promtool_check():
    result = subprocess.run(
        [promtool(), "check", "rules", "alerts.yml"],
        cwd=MONITORING,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 6 rules found" in result.stdout


def test_alert_rules_fire_on_their_trouble_and_only_then():
    """alerts_test.yml: each of the five troubles, and a quiet time before it."""
    result = subprocess.run(
        [promtool(), "test", "rules", "alerts_test.yml"],
        cwd=MONITORING,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    tested = yaml.safe_load((MONITORING / "alerts_test.yml").read_text())
    names = {case["alertname"] for test in tested["tests"] for case in test["alert_rule_test"]}
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    assert names == {rule["alert"] for group in rules["groups"] for rule in group["rules"]}


def test_prometheus_configuration_passes_promtool_check(tmp_path):
    text = (MONITORING / "prometheus.yml").read_text()
    text = text.replace("/etc/prometheus/alerts.yml", str(MONITORING / "alerts.yml"))
    text = text.replace("/tmp/metrics-token", str(tmp_path / "token"))
    (tmp_path / "token").write_text("a-token")
    (tmp_path / "prometheus.yml").write_text(text)

    result = subprocess.run(
        [promtool(), "check", "config", str(tmp_path / "prometheus.yml")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_scrapes_every_web_and_worker_container():
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}

    assert jobs["web"]["dns_sd_configs"][0]["names"] == ["web"]
    assert jobs["web"]["authorization"]["type"] == "Bearer"
    assert jobs["worker"]["dns_sd_configs"][0]["port"] == 9808


def test_alert_rules_name_only_exported_metrics(exported):
    named = set(METRIC_NAME.findall((MONITORING / "alerts.yml").read_text()))

    assert named and named <= exported, named - exported


def test_dashboard_loads_and_every_panel_charts_exported_metrics(exported):
    dashboard = json.loads(DASHBOARD.read_text())

    assert dashboard["uid"] and dashboard["title"]
    panels = dashboard["panels"]
    assert len(panels) >= 10
    charted = set()
    for panel in panels:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            charted |= set(METRIC_NAME.findall(target["expr"]))
    assert charted - exported == set()
    # Every metric the application exports is on the dashboard, bar the histograms' parts
    # a quantile does not read.
    charted_or_parts = charted | {n for n in exported if n.endswith(("_sum", "_count"))}
    assert exported - charted_or_parts == set()


def test_grafana_provisioning_points_at_prometheus_and_the_dashboard_folder():
    provisioning = MONITORING / "grafana" / "provisioning"
    source = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())
    provider = yaml.safe_load((provisioning / "dashboards" / "dashboards.yml").read_text())

    assert source["datasources"][0]["url"] == "http://prometheus:9090"
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"


def test_compose_monitoring_profile_mounts_files_that_exist():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]

    for name in ("prometheus", "grafana"):
        assert services[name]["profiles"] == ["monitoring"]
        for volume in services[name]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (BASE_DIR / source).exists(), source
        # Reached over SSH, not from the internet.
        assert all(port.startswith("127.0.0.1:") for port in services[name]["ports"])
    for name in ("web", "worker", "beat", "postgres"):
        assert "profiles" not in services[name]
    assert services["worker"]["environment"]["WORKER_METRICS_PORT"] == 9808


def test_ci_installs_promtool():
    assert "promtool" in (BASE_DIR / ".ci" / "run").read_text()
