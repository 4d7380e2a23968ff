"""docker-compose.yml: services that reference each other correctly, localhost ports, no
secret in the repository, Dagster storage in Postgres from the environment.

The structural checks read the files with PyYAML. `docker-compose config` validates the file
too: `make system-deps` installs docker-compose (Debian's package validates without an engine);
without it those two tests skip, except under CI where they fail.
"""

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, require_binary

COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DAGSTER_SERVICES = ("code-location", "dagster-webserver", "dagster-daemon")
SECRET_NAME = re.compile(r"PASSWORD|PASS$|SECRET|TOKEN|WEBHOOK|_KEY$")
REFERENCE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


@pytest.fixture(scope="module")
def compose() -> dict:
    return load(COMPOSE)


def services(compose) -> dict:
    return compose["services"]


def environment(service: dict) -> dict:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def env_example() -> dict[str, str]:
    lines = ENV_EXAMPLE.read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def test_the_six_services_and_their_dependencies_exist(compose):
    names = set(services(compose))
    assert names == {"postgres", "metabase", "api", *DAGSTER_SERVICES}
    for name, service in services(compose).items():
        depends_on = service.get("depends_on", {})
        for target in depends_on:
            assert target in names, f"{name} depends on unknown service {target}"
        if name != "postgres":
            assert depends_on["postgres"]["condition"] == "service_healthy", name
    assert "healthcheck" in services(compose)["postgres"]
    for name in ("dagster-webserver", "dagster-daemon"):
        assert "code-location" in services(compose)[name]["depends_on"]


def test_every_port_is_bound_to_localhost(compose):
    published = [
        (name, port) for name, s in services(compose).items() for port in s.get("ports", [])
    ]
    assert published, "nothing is published"
    for name, port in published:
        assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond localhost"


def test_dagster_services_reach_postgres_and_the_code_location(compose):
    postgres = environment(services(compose)["postgres"])
    init_sql = (ROOT / "deploy" / "postgres-init.sql").read_text().lower()
    databases = {postgres["POSTGRES_DB"], *re.findall(r"create database (\w+)", init_sql)}
    for name in DAGSTER_SERVICES:
        env = environment(services(compose)[name])
        for variable, scheme in (
            ("WAREHOUSE_DSN", "postgresql"),
            ("DAGSTER_POSTGRES_URL", "postgresql+psycopg2"),
        ):
            url = env[variable]
            assert url.startswith(f"{scheme}://"), f"{name} {variable}"
            host, database = re.search(r"@([\w-]+):5432/(\w+)$", url).groups()
            assert host == "postgres" and database in databases, f"{name} {variable}: {url}"
        for variable in ("WAREHOUSE_ALERT_WEBHOOK", "WAREHOUSE_BI_READER_PASSWORD"):
            assert variable in env, f"{name} does not pass {variable} through"
    code_location = services(compose)["code-location"]["command"]
    port = code_location[code_location.index("-p") + 1]
    [grpc] = [
        entry["grpc_server"] for entry in load(ROOT / "deploy" / "workspace.yaml")["load_from"]
    ]
    assert (grpc["host"], str(grpc["port"])) == ("code-location", port)
    api = services(compose)["api"]
    assert api["command"] == ["python", "-m", "api"]
    assert re.search(r"@postgres:5432/warehouse$", environment(api)["WAREHOUSE_DSN"])
    assert environment(api)["WAREHOUSE_API_PORT"] == api["ports"][0].rsplit(":", 1)[1]
    metabase = environment(services(compose)["metabase"])
    assert metabase["MB_DB_HOST"] == "postgres" and metabase["MB_DB_DBNAME"] in databases


def test_dagster_keeps_its_storage_in_postgres_named_by_the_environment(compose):
    settings = load(ROOT / "dagster.yaml")
    assert settings["storage"]["postgres"]["postgres_url"] == {"env": "DAGSTER_POSTGRES_URL"}
    for name in DAGSTER_SERVICES:
        env = environment(services(compose)[name])
        mounts = services(compose)[name].get("volumes", [])
        assert any(m.endswith(f"{env['DAGSTER_HOME']}/dagster.yaml:ro") for m in mounts), name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"COPY dagster.yaml {env['DAGSTER_HOME']}/dagster.yaml" in dockerfile


def test_no_secret_is_written_in_the_repository(compose):
    for name, service in services(compose).items():
        for variable, value in environment(service).items():
            masked = REFERENCE.sub("${}", value)  # each reference to the environment
            for url_password in re.findall(r"://[^:/@]*:([^@]*)@", masked):
                assert url_password == "${}", f"{name} {variable} holds a password"
            if SECRET_NAME.search(variable):
                match = REFERENCE.fullmatch(value)
                assert match, f"{name} {variable} is not taken from the environment"
                assert not match.group(3) or match.group(2) == ":?", f"{name} {variable} default"
    for variable, value in env_example().items():
        if SECRET_NAME.search(variable):
            assert value == "", f".env.example gives {variable} a value"


def test_env_example_lists_every_variable_compose_requires():
    text = COMPOSE.read_text()
    required = {name for name, op, _ in REFERENCE.findall(text) if op in ("", ":?", "?")}
    used = {name for name, _, _ in REFERENCE.findall(text)}
    assert "POSTGRES_PASSWORD" in required
    assert required <= set(env_example()), "compose needs variables .env.example lacks"
    assert set(env_example()) <= used, ".env.example lists variables compose does not use"


@pytest.fixture
def docker_compose():
    return require_binary("docker-compose", "docker-compose")


def run_config(binary: str, env_file: Path) -> subprocess.CompletedProcess:
    command = [binary, "--env-file", str(env_file), "-f", str(COMPOSE), "config", "--quiet"]
    # A clean environment: only the env file provides the variables.
    return subprocess.run(
        command,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_docker_compose_accepts_the_file(docker_compose, tmp_path):
    filled = tmp_path / "filled.env"
    filled.write_text(ENV_EXAMPLE.read_text().replace("POSTGRES_PASSWORD=", "POSTGRES_PASSWORD=t0"))
    result = run_config(docker_compose, filled)
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_start_without_a_password(docker_compose):
    result = run_config(docker_compose, ENV_EXAMPLE)
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_the_image_holds_every_package_the_project_installs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = [p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in packages:
        assert f"COPY {package} {package}" in dockerfile, f"the image lacks {package}/"
