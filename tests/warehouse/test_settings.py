"""The one reader of the environment: every variable documented, bad values named, one rule for
"is the mirror a local folder"."""

from __future__ import annotations

import re

import pytest

from warehouse.settings import PROJECT_ROOT, VARIABLES, Mirror, Settings, SettingsError

README = PROJECT_ROOT / "README.md"


def _readme_settings_table() -> set[str]:
    """Variable names in the first column of the README's settings table."""
    text = README.read_text()
    section = text[text.index("### Settings") :]
    section = section[: section.index("\n\n", section.index("|"))]
    names = set()
    for row in section.splitlines():
        if row.startswith("| `"):
            first_cell = row.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_the_readme_table_lists_every_variable_once():
    assert _readme_settings_table() == set(VARIABLES)


def test_only_documented_variables_are_read():
    """from_env asks only for names in VARIABLES (an undocumented name raises KeyError)."""
    asked = []

    class Recording(dict):
        def get(self, name, default=None):
            asked.append(name)
            return super().get(name, default)

    Settings.from_env(Recording())
    assert set(asked) == set(VARIABLES)


def test_defaults_without_any_variable():
    settings = Settings.from_env({})
    assert settings.sources == Mirror(None)
    assert settings.dsn is None
    assert settings.jhu_daily_report_days == 7
    assert settings.delaware_zip_codes == ()
    assert settings.ui_host == settings.docs_host == "127.0.0.1"
    assert settings.dagster_home_path == (PROJECT_ROOT / ".warehouse" / "dagster_home").resolve()


def test_values_are_read_and_typed(tmp_path):
    settings = Settings.from_env(
        {
            "WAREHOUSE_SOURCES": str(tmp_path),
            "WAREHOUSE_HOME": str(tmp_path / "home"),
            "WAREHOUSE_HTTP_TIMEOUT": "5",
            "WAREHOUSE_HTTP_RETRIES": "0",
            "JHU_CSSE_DAILY_REPORT_DAYS": "ALL",
            "DELAWARE_ZIP_CODES": " 19901, ,19702 ",
            "DAGSTER_UI_PORT": "3100",
        }
    )
    assert settings.sources.is_local
    assert settings.http.read_timeout == 5.0 and settings.http.connect_timeout == 5.0
    assert settings.http.retries == 0
    assert settings.jhu_daily_report_days is None
    assert settings.delaware_zip_codes == ("19901", "19702")
    assert settings.ui_port == 3100
    assert settings.dagster_home_path == (tmp_path / "home" / "dagster_home").resolve()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WAREHOUSE_HTTP_RETRIES", "three"),
        ("WAREHOUSE_HTTP_TIMEOUT", "-1"),
        ("DAGSTER_UI_PORT", "80.5"),
        ("JHU_CSSE_DAILY_REPORT_DAYS", "0"),
        ("JHU_CSSE_DAILY_REPORT_DAYS", "a week"),
    ],
)
def test_an_unusable_value_fails_naming_the_variable(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


@pytest.mark.parametrize(
    ("root", "is_local"),
    [
        (None, False),
        ("", False),
        ("../shared/data", True),
        ("/srv/mirror", True),
        ("http://127.0.0.1:8000/mirror", False),
        ("https://example.org/mirror/", False),
    ],
)
def test_one_rule_says_whether_the_mirror_is_local(root, is_local):
    assert Mirror(root).is_local is is_local


def test_a_mirror_locates_files_by_source_and_name(tmp_path):
    (tmp_path / "nyt_covid").mkdir()
    (tmp_path / "nyt_covid" / "us.csv.gz").write_bytes(b"")
    local = Mirror(str(tmp_path))
    assert local.location("nyt_covid", "us.csv", "https://x/us.csv") == str(
        tmp_path / "nyt_covid" / "us.csv"
    )
    assert not local.lacks("nyt_covid", "us.csv")  # a .gz copy counts
    assert local.lacks("nyt_covid", "us-states.csv")
    assert local.folder("nyt_covid") == tmp_path / "nyt_covid"
    assert local.folder("cps_covid") is None

    remote = Mirror("http://127.0.0.1:9/m/")
    assert remote.location("oi economic", "a b.csv", "https://x") == (
        "http://127.0.0.1:9/m/oi%20economic/a%20b.csv"
    )
    assert not remote.lacks("nyt_covid", "anything.csv")
    assert Mirror(None).location("nyt_covid", "us.csv", "https://x/us.csv") == "https://x/us.csv"


def test_the_remedy_points_at_the_mirror_only_when_the_mirror_failed():
    mirror = Mirror("http://127.0.0.1:9/m")
    assert "WAREHOUSE_SOURCES=http://127.0.0.1:9/m" in mirror.remedy("http://127.0.0.1:9/m/x/y")
    assert "to read a local mirror instead" in Mirror(None).remedy("https://x/y")


def test_settings_given_to_make_run_reach_later_processes_but_secrets_do_not(tmp_path, monkeypatch):
    """`make run` writes the settings file; a process started later without the variables
    (the UI, its daemon, a schedule) reads them from it; its own environment wins."""
    from warehouse.settings import persist_settings, settings_file

    home = tmp_path / "home"
    given = {
        "WAREHOUSE_HOME": str(home),
        "WAREHOUSE_SOURCES": str(tmp_path / "mirror"),
        "JHU_CSSE_DAILY_REPORT_DAYS": "all",
        "WAREHOUSE_BI_READER_PASSWORD": "s3cret",
        "WAREHOUSE_ALERT_WEBHOOK": "https://hooks.example.org/T0/B0/x",
    }
    path = persist_settings(given)
    assert path == settings_file(given) == home / "settings.env"
    assert "s3cret" not in path.read_text() and "hooks.example.org" not in path.read_text()
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only

    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WAREHOUSE_HOME", str(home))
    later = Settings.from_env()
    assert later.sources == Mirror(str(tmp_path / "mirror"))
    assert later.jhu_daily_report_days is None
    assert later.bi_reader_password is None
    monkeypatch.setenv("JHU_CSSE_DAILY_REPORT_DAYS", "3")
    assert Settings.from_env().jhu_daily_report_days == 3  # the process's own value wins

    # The next `make run` without WAREHOUSE_SOURCES: official URLs again, for everyone.
    persist_settings({"WAREHOUSE_HOME": str(home)})
    monkeypatch.delenv("JHU_CSSE_DAILY_REPORT_DAYS")
    assert Settings.from_env().sources == Mirror(None)


def test_a_bad_value_is_refused_before_it_is_written(tmp_path):
    from warehouse.settings import persist_settings

    home = tmp_path / "home"
    with pytest.raises(SettingsError, match="WAREHOUSE_HTTP_RETRIES"):
        persist_settings({"WAREHOUSE_HOME": str(home), "WAREHOUSE_HTTP_RETRIES": "many"})
    assert not (home / "settings.env").exists()
