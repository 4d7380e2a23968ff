"""The dbt manifest is parsed once per version of the code, not on every start."""

from pathlib import Path
from types import SimpleNamespace

from orchestration.defs import project


def fake_project(tmp_path: Path, monkeypatch) -> list[str]:
    """A dbt project and seeds folder in tmp_path, and a `dbt parse` that records its calls."""
    (tmp_path / "dbt_project" / "models").mkdir(parents=True)
    (tmp_path / "dbt_project" / "models" / "m.sql").write_text("select 1")
    (tmp_path / "dbt_project" / "target").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "s.csv").write_text("a\n1\n")
    manifest = tmp_path / "dbt_project" / "target" / "manifest.json"
    parses: list[str] = []

    class Cli:
        def cli(self, args, target_path):
            parses.append(args[0])
            manifest.write_text(f'{{"parse": {len(parses)}}}')
            return SimpleNamespace(wait=lambda: None)

    monkeypatch.setattr(project, "DBT_PROJECT_DIR", tmp_path / "dbt_project")
    monkeypatch.setattr(project, "SEEDS_DIR", tmp_path / "seeds")
    monkeypatch.setattr(project, "dbt_project", SimpleNamespace(manifest_path=manifest))
    monkeypatch.setattr(project, "dbt_cli", Cli)
    return parses


def test_an_unchanged_project_is_parsed_once(tmp_path, monkeypatch):
    parses = fake_project(tmp_path, monkeypatch)
    project.prepare_manifest()
    project.prepare_manifest()
    assert parses == ["parse"]


def test_a_changed_model_seed_or_database_name_parses_again(tmp_path, monkeypatch):
    parses = fake_project(tmp_path, monkeypatch)
    project.prepare_manifest()
    (tmp_path / "dbt_project" / "models" / "m.sql").write_text("select 2")
    project.prepare_manifest()
    (tmp_path / "seeds" / "s.csv").write_text("a\n2\n")
    project.prepare_manifest()
    monkeypatch.setenv("WAREHOUSE_DSN", "postgresql://u@localhost/another")
    project.prepare_manifest()
    assert len(parses) == 4
    # what dbt itself writes under target/ is not code
    (tmp_path / "dbt_project" / "target" / "run_results.json").write_text("{}")
    project.prepare_manifest()
    assert len(parses) == 4


def test_a_manifest_rewritten_by_another_parse_is_parsed_again(tmp_path, monkeypatch):
    parses = fake_project(tmp_path, monkeypatch)
    manifest = project.prepare_manifest()
    manifest.write_text('{"parsed": "elsewhere, maybe with other settings"}')
    project.prepare_manifest()
    assert len(parses) == 2
