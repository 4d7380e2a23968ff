from orchestration.defs.project import dbt_project

# Parse the dbt project before the test modules import the definitions, so the asset graph
# reflects the models on disk rather than a manifest left by an earlier run.
dbt_project.preparer.prepare(dbt_project)
