"""deploy/k8s: the Dagster webserver, daemon and code location on Kubernetes, checked with no
cluster. Every manifest validates against the Kubernetes API schemas in strict mode (unknown
fields fail) with `kubernetes-validate`; the pieces refer to each other correctly (services to
pods, the workspace to the code location, the run launcher to its ConfigMap and service
account); secrets come only from the `warehouse-secrets` Secret; the instance's
K8sRunLauncher configuration is valid for dagster-k8s."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from warehouse.settings import VARIABLES

K8S = ROOT / "deploy" / "k8s"
NAMESPACE = "covid-warehouse"
SECRET = "warehouse-secrets"
# Variables that hold a credential: never a literal in a manifest.
SECRET_VARIABLES = {
    "WAREHOUSE_DSN",
    "DAGSTER_POSTGRES_URL",
    "WAREHOUSE_BI_READER_PASSWORD",
    "WAREHOUSE_ALERT_WEBHOOK",
}
DAGSTER_DEPLOYMENTS = ("code-location", "dagster-webserver", "dagster-daemon")


def manifests() -> list[Path]:
    return sorted(K8S.glob("*.yaml"))


@pytest.fixture(scope="module")
def resources() -> dict[tuple[str, str], dict]:
    found = {}
    for path in manifests():
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                found[(document["kind"], document["metadata"]["name"])] = document
    return found


def container(resources, name) -> dict:
    [only] = resources[("Deployment", name)]["spec"]["template"]["spec"]["containers"]
    return only


def test_every_manifest_validates_strictly_offline():
    result = subprocess.run(
        [Path(sys.executable).with_name("kubernetes-validate"), "--strict", "--quiet"]
        + [str(path) for path in manifests()],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_an_unknown_field(tmp_path):
    """The strict check is not a no-op: a typo in a field name fails it."""
    broken = yaml.safe_load((K8S / "60-daemon.yaml").read_text())
    broken["spec"]["template"]["spec"]["containers"][0]["comand"] = ["dagster-daemon"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken))
    result = subprocess.run(
        [Path(sys.executable).with_name("kubernetes-validate"), "--strict", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "comand" in result.stdout + result.stderr


def test_everything_is_in_the_namespace(resources):
    assert ("Namespace", NAMESPACE) in resources
    for (kind, name), resource in resources.items():
        if kind != "Namespace":
            assert resource["metadata"]["namespace"] == NAMESPACE, (kind, name)


def test_services_select_their_deployments(resources):
    for (kind, name), service in resources.items():
        if kind != "Service" or service["spec"].get("type") == "ExternalName":
            continue
        deployment = resources[("Deployment", name)]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items()
        ports = {p["name"] for p in container(resources, name).get("ports", [])}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= ports


def test_the_workspace_reaches_the_code_location(resources):
    workspace = yaml.safe_load(
        resources[("ConfigMap", "dagster-workspace")]["data"]["workspace.yaml"]
    )
    [grpc] = [entry["grpc_server"] for entry in workspace["load_from"]]
    service = resources[("Service", grpc["host"])]
    assert [p["port"] for p in service["spec"]["ports"]] == [grpc["port"]]
    command = container(resources, "code-location")["command"]
    assert command[command.index("-p") + 1] == str(grpc["port"])
    assert command[command.index("-m") + 1] == "orchestration.definitions"


def test_the_dagster_processes_share_one_image_instance_and_secret(resources):
    images = {container(resources, name)["image"] for name in DAGSTER_DEPLOYMENTS}
    assert len(images) == 1
    # The run launcher starts each run's Job from the code location's image.
    env = {e["name"]: e.get("value") for e in container(resources, "code-location")["env"]}
    assert env["DAGSTER_CURRENT_IMAGE"] in images
    for name in DAGSTER_DEPLOYMENTS:
        sources = container(resources, name)["envFrom"]
        assert {"secretRef": {"name": SECRET}} in sources
        mounts = {m["mountPath"] for m in container(resources, name)["volumeMounts"]}
        assert "/opt/dagster/home/dagster.yaml" in mounts
        assert (
            resources[("Deployment", name)]["spec"]["template"]["spec"]["serviceAccountName"]
            == "dagster"
        )


def instance(resources) -> dict:
    return yaml.safe_load(resources[("ConfigMap", "dagster-instance")]["data"]["dagster.yaml"])


def test_the_instance_launches_runs_as_kubernetes_jobs(resources):
    from dagster._config import process_config
    from dagster_k8s import K8sRunLauncher

    config = instance(resources)
    launcher = config["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", "K8sRunLauncher")
    processed = process_config(K8sRunLauncher.config_type(), launcher["config"])
    assert processed.success, processed.errors
    settings = launcher["config"]
    assert ("ConfigMap", settings["instance_config_map"]) in resources
    assert settings["job_namespace"] == NAMESPACE
    assert settings["env_secrets"] == [SECRET]
    for name in settings["env_config_maps"]:
        assert ("ConfigMap", name) in resources
    # The run pods may be created by the service account the launcher names.
    binding = resources[("RoleBinding", "dagster-run-launcher")]
    assert {
        "kind": "ServiceAccount",
        "name": settings["service_account_name"],
        "namespace": NAMESPACE,
    } in binding["subjects"]
    role = resources[("Role", binding["roleRef"]["name"])]
    assert any("jobs" in r["resources"] and "create" in r["verbs"] for r in role["rules"])


def test_the_instance_keeps_the_repository_storage(resources):
    """Runs, events and schedules in Postgres at DAGSTER_POSTGRES_URL, as in dagster.yaml."""
    repository = yaml.safe_load((ROOT / "dagster.yaml").read_text())
    config = instance(resources)
    assert config["storage"] == repository["storage"]
    assert config["run_coordinator"] == repository["run_coordinator"]


def test_no_secret_is_written_in_a_manifest(resources):
    assert ("Secret", SECRET) not in resources  # created by the operator (see README)
    for (kind, name), resource in resources.items():
        if kind == "ConfigMap":
            assert not SECRET_VARIABLES & set(resource["data"]), name
        if kind == "Deployment":
            for env in container(resources, name).get("env", []):
                assert env["name"] not in SECRET_VARIABLES, (name, env["name"])


def test_settings_are_documented_variables(resources):
    settings = resources[("ConfigMap", "warehouse-settings")]["data"]
    assert set(settings) <= set(VARIABLES) | SECRET_VARIABLES
    postgres = resources[("Service", "postgres")]
    assert postgres["spec"]["type"] == "ExternalName"
