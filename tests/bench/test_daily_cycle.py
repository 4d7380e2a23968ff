"""The bench's `make run`s keep to the bench: the settings file they write, their logs and
Dagster's home are under the bench's folder, never the user's warehouse home."""

from bench.daily_cycle import environment
from warehouse.settings import DEFAULT_HOME, Settings, settings_file


def test_the_runs_settings_and_state_stay_in_the_bench_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("WAREHOUSE_HOME", raising=False)
    env = environment("dbname=cycle", "dbname=cycle_dagster", tmp_path / "mirror", tmp_path / "wh")

    settings = Settings.from_env(env)
    assert settings_file(env).is_relative_to(tmp_path)
    assert not settings_file(env).is_relative_to(DEFAULT_HOME)
    for folder in (settings.home, settings.dagster_home, settings.reports, settings.exports):
        assert folder.is_relative_to(tmp_path)
    assert settings.dsn == "dbname=cycle" and settings.sources.root == str(tmp_path / "mirror")
