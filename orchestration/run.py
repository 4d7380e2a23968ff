"""`make run`: start the warehouse, materialize every asset through Dagster, print a summary."""

from __future__ import annotations

import logging
import sys
import time

from orchestration.environment import prepare_environment
from warehouse.control import write_pid
from warehouse.database import DatabaseUnreachable, bi_reader_uri, check_reachable
from warehouse.settings import Settings, persist_settings, settings_file


def main() -> int:
    started = time.monotonic()
    # Before anything else: the settings given here hold for `make ui`, its schedules, ...
    persist_settings()
    given = Settings.from_env()  # before the embedded server's DSN is exported
    pid = write_pid(given, "run")
    try:
        return _run(given, started)
    finally:
        pid.unlink(missing_ok=True)


def _run(given: Settings, started: float) -> int:
    if given.dsn:
        try:
            check_reachable(given.dsn)
        except DatabaseUnreachable as error:
            print(error, file=sys.stderr)
            return 1
        print("Connecting to the warehouse database (WAREHOUSE_DSN)...", flush=True)
    else:
        print("Starting the warehouse database...", flush=True)
    settings = prepare_environment()
    print("Parsing the dbt project...", flush=True)
    from orchestration.defs.project import prepare_manifest

    prepare_manifest()

    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.defs.sensors import send_run_alerts
    from orchestration.summary import planned_assets, render, summarize
    from publish.dashboard import FILE_NAME

    print("Materializing every asset through Dagster...", flush=True)
    job = dg.build_reconstructable_job("orchestration.run", "refresh_all_job")
    with dg.DagsterInstance.get() as instance:
        with dg.execute_job(
            job, instance=instance, raise_on_error=False, run_config={"loggers": {"progress": {}}}
        ) as result:
            events = result.all_events
        # No daemon watches a run started here, so its alerts are sent from here.
        send_run_alerts(instance, result.dagster_run, settings.alert_webhook, _alert_logger())
    rows = summarize(events, planned_assets(defs))
    print()
    print(render(rows))
    print(
        f"\nRun {result.run_id} {'succeeded' if result.success else 'FAILED'} "
        f"in {time.monotonic() - started:.0f}s."
    )
    print("Next: `make ui` opens the Dagster UI on http://127.0.0.1:3000 (this run is there);")
    print("      `make docs` serves the dbt docs on http://127.0.0.1:8080;")
    print(f"      open {settings.reports / FILE_NAME} in a browser (the report, works offline);")
    print(f"      {settings.exports}/ holds every mart as CSV and Parquet (latest/: last rows).")
    print(f"BI tools (psql, Metabase): {bi_reader_uri(given, settings.dsn)}")
    if settings.bi_reader_password:
        print("      password: the value of WAREHOUSE_BI_READER_PASSWORD; SELECT on marts only.")
    else:
        print(
            "      bi_reader cannot log in yet: set WAREHOUSE_BI_READER_PASSWORD=<password> "
            "and `make run` again."
        )
    print(f"Settings for `make ui` and the schedules: {settings_file()} (written by this run).")
    failed_checks = sum(r.checks_failed for r in rows)
    return 0 if result.success and failed_checks == 0 else 1


def refresh_all_job():
    """The job `make run` executes: `refresh_all`, printing its progress to the terminal."""
    from orchestration.definitions import defs
    from orchestration.progress import progress_logger

    return defs.resolve_job_def("refresh_all").with_logger_defs({"progress": progress_logger})


def _alert_logger() -> logging.Logger:
    logger = logging.getLogger("warehouse.alerts")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("alert: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


if __name__ == "__main__":
    sys.exit(main())
