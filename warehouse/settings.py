"""Every setting of the warehouse, read from the environment in this module and nowhere else.

`Settings.from_env()` reads them once; the result is passed explicitly to what needs it. Each
variable is listed once in `VARIABLES` (the README's settings table shows the same list; a test
keeps the two in step). A value that cannot be used fails here, naming the variable.

`make run` writes the settings it was given to `$WAREHOUSE_HOME/settings.env`
(`persist_settings`); every later process of the warehouse (`make ui`, its daemon and
schedules, `make docs`, a run started from the UI) reads that file under its own environment,
so a setting given once to `make run` holds for them all. Secrets are never written there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]
OFFICIAL_REMEDY = "set WAREHOUSE_SOURCES=<dir or base URL> to read a local mirror instead"

# name -> what it means (its default is in the dataclass fields below).
VARIABLES = {
    "WAREHOUSE_SOURCES": "a folder or base URL laid out as <source>/<file name>: a local mirror",
    "WAREHOUSE_DSN": "an existing Postgres to load into instead of the embedded one",
    "DAGSTER_POSTGRES_URL": "where Dagster keeps runs, events and schedules",
    "WAREHOUSE_HOME": "where the embedded Postgres and DAGSTER_HOME live",
    "WAREHOUSE_PORT": "the TCP port the embedded Postgres listens on, on 127.0.0.1",
    "DAGSTER_HOME": "Dagster's instance folder",
    "WAREHOUSE_HTTP_TIMEOUT": "seconds to connect and between received bytes",
    "WAREHOUSE_HTTP_RETRIES": "attempts after the first on timeouts, dropped connections, 5xx",
    "WAREHOUSE_HTTP_BACKOFF": "seconds before the first retry, doubling after each",
    "WAREHOUSE_ALERT_WEBHOOK": "a Slack-compatible webhook for alerts",
    "WAREHOUSE_ALERT_MUTE": "checks that never alert: comma-separated `asset:check` or names",
    "WAREHOUSE_BI_READER_PASSWORD": "lets the read-only bi_reader role log in",
    "WAREHOUSE_REPORTS": "where the HTML report is written",
    "WAREHOUSE_EXPORTS": "where the mart exports are written",
    "JHU_CSSE_DAILY_REPORT_DAYS": "how many of JHU's last daily state reports to fetch, or all",
    "DELAWARE_ZIP_CODES": "Delaware ZIP codes whose per-ZIP download to fetch",
    "DAGSTER_UI_HOST": "the address `make ui` binds",
    "DAGSTER_UI_PORT": "the port `make ui` listens on",
    "DBT_DOCS_HOST": "the address `make docs` binds",
    "DBT_DOCS_PORT": "the port `make docs` listens on",
    "WAREHOUSE_API_HOST": "the address `make api` binds",
    "WAREHOUSE_API_PORT": "the port `make api` listens on",
    "WAREHOUSE_ENGINE": "where dbt builds the models: postgres, or spark",
    "SPARK_THRIFT_URL": "a Spark Thrift server (thrift://host:port) instead of a local session",
    "SPARK_RAW_LOCATION": "where raw tables are exported as Parquet for Spark (folder or URI)",
}

ENGINES = ("postgres", "spark")


# Not written to the settings file: secrets, and the variable that says where the file is.
NOT_PERSISTED = ("WAREHOUSE_HOME", "WAREHOUSE_ALERT_WEBHOOK", "WAREHOUSE_BI_READER_PASSWORD")
SETTINGS_FILE_NAME = "settings.env"
DEFAULT_HOME = PROJECT_ROOT / ".warehouse"


class SettingsError(ValueError):
    """A variable holds a value the warehouse cannot use."""


@dataclass(frozen=True)
class Mirror:
    """Where source files are read: `<root>/<source>/<relative path>` when a mirror is set,
    else each file's official URL. The root is a local folder or an http(s) base URL."""

    root: str | None = None

    @property
    def is_local(self) -> bool:
        """The one rule for "is this a folder on this machine?"."""
        return bool(self.root) and not self.root.startswith(("http://", "https://"))

    def folder(self, source: str) -> Path | None:
        """The source's folder in a local mirror; None for URLs or when the mirror lacks it."""
        if not self.is_local:
            return None
        folder = Path(self.root).resolve() / source
        return folder if folder.is_dir() else None

    def lacks(self, source: str, relative_path: str) -> bool:
        """True when a local mirror holds no copy of the file (nor a `.gz` of it)."""
        if not self.is_local:
            return False
        path = Path(self.root).resolve() / source / relative_path
        return not (path.is_file() or path.with_name(path.name + ".gz").is_file())

    def location(self, source: str, relative_path: str, official_url: str) -> str:
        """Where to read `relative_path` of `source`: a path, a mirror URL or the official URL."""
        if not self.root:
            return official_url
        if self.is_local:
            return str(Path(self.root).resolve() / source / relative_path)
        return f"{self.root.rstrip('/')}/{quote(source)}/{quote(relative_path)}"

    def remedy(self, location: str) -> str:
        """What a user can do when `location` cannot be read."""
        if self.root and (self.is_local or location.startswith(self.root.rstrip("/"))):
            return (
                f"check the mirror WAREHOUSE_SOURCES={self.root}, or unset it to use the "
                "official URL"
            )
        return OFFICIAL_REMEDY


@dataclass(frozen=True)
class HttpPolicy:
    """Timeouts and retries of every download."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 3
    backoff_seconds: float = 1.0


@dataclass(frozen=True)
class Settings:
    sources: Mirror = field(default_factory=Mirror)
    dsn: str | None = None  # None: the embedded Postgres under `home`
    dagster_postgres_url: str | None = None  # None: a `dagster` database beside the warehouse
    home: Path = DEFAULT_HOME
    dagster_home: Path | None = None  # None: `home`/dagster_home
    embedded_port: int = 5433
    http: HttpPolicy = field(default_factory=HttpPolicy)
    alert_webhook: str | None = None
    alert_mute: tuple[str, ...] = ()  # check patterns that never alert, e.g. raw/*:newest_data
    bi_reader_password: str | None = None
    reports: Path = PROJECT_ROOT / "reports"
    exports: Path = PROJECT_ROOT / "exports"
    jhu_daily_report_days: int | None = 7  # None: every report
    delaware_zip_codes: tuple[str, ...] = ()
    ui_host: str = "127.0.0.1"
    ui_port: int = 3000
    docs_host: str = "127.0.0.1"
    docs_port: int = 8080
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    engine: str = "postgres"
    spark_thrift_url: str | None = None  # None: a local Spark session under `home`/spark
    spark_raw_location: str | None = None  # None: `home`/spark/raw

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """From `environ`; by default this process's environment over the settings file."""
        env = _Reader(persisted_environment() if environ is None else environ)
        default = cls()
        timeout = env.number("WAREHOUSE_HTTP_TIMEOUT", float, None)
        http = HttpPolicy(
            connect_timeout=min(default.http.connect_timeout, timeout or 1e9),
            read_timeout=timeout or default.http.read_timeout,
            retries=env.number("WAREHOUSE_HTTP_RETRIES", int, default.http.retries),
            backoff_seconds=env.number(
                "WAREHOUSE_HTTP_BACKOFF", float, default.http.backoff_seconds
            ),
        )
        home = env.path("WAREHOUSE_HOME", default.home)
        return cls(
            sources=Mirror(env.text("WAREHOUSE_SOURCES")),
            dsn=env.text("WAREHOUSE_DSN"),
            dagster_postgres_url=env.text("DAGSTER_POSTGRES_URL"),
            home=home,
            dagster_home=env.path("DAGSTER_HOME", None),
            embedded_port=env.number("WAREHOUSE_PORT", int, default.embedded_port),
            http=http,
            alert_webhook=env.text("WAREHOUSE_ALERT_WEBHOOK"),
            alert_mute=env.items("WAREHOUSE_ALERT_MUTE"),
            bi_reader_password=env.text("WAREHOUSE_BI_READER_PASSWORD"),
            reports=env.path("WAREHOUSE_REPORTS", default.reports),
            exports=env.path("WAREHOUSE_EXPORTS", default.exports),
            jhu_daily_report_days=env.days("JHU_CSSE_DAILY_REPORT_DAYS", 7),
            delaware_zip_codes=env.items("DELAWARE_ZIP_CODES"),
            ui_host=env.text("DAGSTER_UI_HOST") or default.ui_host,
            ui_port=env.number("DAGSTER_UI_PORT", int, default.ui_port),
            docs_host=env.text("DBT_DOCS_HOST") or default.docs_host,
            docs_port=env.number("DBT_DOCS_PORT", int, default.docs_port),
            api_host=env.text("WAREHOUSE_API_HOST") or default.api_host,
            api_port=env.number("WAREHOUSE_API_PORT", int, default.api_port),
            engine=env.choice("WAREHOUSE_ENGINE", ENGINES),
            spark_thrift_url=env.thrift_url("SPARK_THRIFT_URL"),
            spark_raw_location=env.text("SPARK_RAW_LOCATION"),
        )

    @property
    def dagster_home_path(self) -> Path:
        return (self.dagster_home or self.home / "dagster_home").resolve()

    @property
    def spark_home(self) -> Path:
        """The local Spark session's metastore and tables."""
        return (self.home / "spark").resolve()

    @property
    def spark_raw(self) -> str:
        """Where the raw tables are exported for Spark (a folder, or a URI Arrow can write)."""
        return self.spark_raw_location or str(self.spark_home / "raw")


@dataclass(frozen=True)
class _Reader:
    environ: Mapping[str, str]

    def text(self, name: str) -> str | None:
        _known(name)
        value = self.environ.get(name, "").strip()
        return value or None

    def path(self, name: str, default: Path | None) -> Path | None:
        value = self.text(name)
        return Path(value).resolve() if value else default

    def number(self, name: str, kind: type, default):
        text = self.text(name)
        if text is None:
            return default
        try:
            value = kind(text)
        except ValueError:
            value = -1
        if value < 0:
            raise SettingsError(f"{name} must be a non-negative {kind.__name__}, found {text!r}")
        return value

    def days(self, name: str, default: int) -> int | None:
        text = (self.text(name) or str(default)).lower()
        if text == "all":
            return None
        if not text.isdigit() or int(text) < 1:
            raise SettingsError(f"{name}: expected a number of days or 'all', found {text!r}")
        return int(text)

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        value = (self.text(name) or choices[0]).lower()
        if value not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, found {value!r}")
        return value

    def thrift_url(self, name: str) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        parts = urlsplit(value)
        try:
            port = parts.port
        except ValueError:
            port = None
        if parts.scheme != "thrift" or not parts.hostname or port is None:
            raise SettingsError(f"{name} must read thrift://host:port, found {value!r}")
        return value

    def items(self, name: str) -> tuple[str, ...]:
        return tuple(item.strip() for item in (self.text(name) or "").split(",") if item.strip())


def _known(name: str) -> None:
    if name not in VARIABLES:
        raise KeyError(f"{name} is not a documented setting: add it to VARIABLES")


def settings_file(environ: Mapping[str, str] | None = None) -> Path:
    """`$WAREHOUSE_HOME/settings.env`: the settings `make run` was last given."""
    home = (os.environ if environ is None else environ).get("WAREHOUSE_HOME", "").strip()
    return (Path(home).resolve() if home else DEFAULT_HOME) / SETTINGS_FILE_NAME


def read_settings_file(path: Path) -> dict[str, str]:
    """The `NAME=value` lines of a settings file (none when it does not exist)."""
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in VARIABLES and name.strip() not in NOT_PERSISTED:
            values[name.strip()] = value.strip()
    return values


def persisted_environment() -> dict[str, str]:
    """This process's environment over the settings file: a variable set here wins."""
    return {**read_settings_file(settings_file()), **os.environ}


def persist_settings(environ: Mapping[str, str] | None = None) -> Path:
    """Write the settings in `environ` (this process's by default), secrets excepted, to the
    settings file, replacing it: a variable not given is no longer set for later processes."""
    env = os.environ if environ is None else environ
    Settings.from_env(env)  # a value that cannot be used fails now, before it is written
    path = settings_file(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{name}={env[name].strip()}"
        for name in VARIABLES
        if name not in NOT_PERSISTED and env.get(name, "").strip()
    ]
    header = "# Written by `make run`: the settings it was given, read by every later process.\n"
    partial = path.with_name(path.name + ".partial")
    partial.write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    partial.chmod(0o600)  # a WAREHOUSE_DSN may hold a password
    partial.replace(path)
    return path


def export_environment(variables: Mapping[str, str]) -> None:
    """Set `variables` for this process and the ones it starts (dbt reads its connection from
    the environment). Only entry points call it, before anything else runs."""
    os.environ.update(variables)


def child_environment(variables: Mapping[str, str]) -> dict[str, str]:
    """This process's environment with `variables` set: for a process it starts."""
    return {**os.environ, **variables}
