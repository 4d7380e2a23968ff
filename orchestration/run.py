"""`make run`: start the warehouse, materialize every asset through Dagster, print a summary."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
    except KeyboardInterrupt:  # before or after the run itself (Dagster handles it within)
        print("\nStopped (Ctrl-C).")
        return 130
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
    try:
        settings = prepare_environment()
    except DatabaseUnreachable as error:  # the embedded server's port is taken
        print(error, file=sys.stderr)
        return 1
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
    loggers = {"loggers": {"progress": {}, "details": {}}}
    log_path = _log_path(settings)
    selection = engine_selection(defs, settings)
    with dg.DagsterInstance.get() as instance:
        # Keep a pooled connection to Dagster's storage (as its webserver does; 0: no statement
        # timeout): by default each of the run's thousand-odd event writes opens its own.
        instance.optimize_for_webserver(statement_timeout=0, pool_recycle=3600, max_overflow=4)
        # Progress lines go to the terminal; everything else (dbt's lines) to the log file.
        with (
            _output_to(log_path),
            dg.execute_job(
                job,
                instance=instance,
                raise_on_error=False,
                run_config=loggers,
                asset_selection=selection,
            ) as result,
        ):
            events = result.all_events
        run = instance.get_run_by_id(result.run_id)
        if _interrupted(run):
            # Ctrl-C: Dagster stopped the step (dbt's queries are canceled, its transactions
            # rolled back) and the steps after it; the run was stopped, not failed.
            instance.report_run_canceled(run, message="Stopped by Ctrl-C in `make run`.")
            print(f"\nStopped (Ctrl-C): run {result.run_id} canceled. Details: {log_path}")
            return 130
        # No daemon watches a run started here, so its alerts are sent from here.
        send_run_alerts(
            instance,
            result.dagster_run,
            settings.alert_webhook,
            _alert_logger(),
            settings.alert_mute,
        )
    rows = summarize(events, planned_assets(defs, selection))
    print()
    print(render(rows))
    print(
        f"\nRun {result.run_id} {'succeeded' if result.success else 'FAILED'} "
        f"in {time.monotonic() - started:.0f}s."
    )
    print(f"Details (dbt's output, every step's log): {log_path}")
    print("Next: `make ui` opens the Dagster UI on http://127.0.0.1:3000 (this run is there);")
    print("      `make docs` serves the dbt docs on http://127.0.0.1:8080;")
    report = settings.reports / FILE_NAME
    if any(row.asset == "reports/dashboard" and row.materialized for row in rows):
        print(f"      open {report} in a browser (the report, works offline);")
    else:
        print(f"      the report was not rebuilt this run (see above); {report} is the last one;")
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


def engine_selection(defs, settings) -> list | None:
    """Every asset on Postgres (None); on Spark, the loads and the dbt graph only: the forecast,
    report and exports read the marts from Postgres, where a Spark build does not write."""
    if settings.engine != "spark":
        return None
    import dagster as dg

    from orchestration.defs.dbt import dbt_models

    print("WAREHOUSE_ENGINE=spark: loads, then the dbt graph on Spark.", flush=True)
    selection = dg.AssetSelection.assets(dbt_models).upstream()
    return sorted(selection.resolve(defs.resolve_asset_graph()))


def refresh_all_job():
    """The job `make run` executes: `refresh_all`, printing its progress to the terminal."""
    from orchestration.definitions import defs
    from orchestration.progress import details_logger, progress_logger

    return defs.resolve_job_def("refresh_all").with_logger_defs(
        {"progress": progress_logger, "details": details_logger}
    )


def _interrupted(run) -> bool:
    """Whether Dagster ended `run` on an interrupt (SIGINT, i.e. Ctrl-C, or SIGTERM)."""
    return run is not None and run.tags.get("dagster/failure_reason") == "UNEXPECTED_TERMINATION"


@contextmanager
def _output_to(log_path: Path) -> Iterator[None]:
    """This process's stdout and stderr, and those of every process it starts (dbt, Dagster's
    helpers), go to `log_path`; progress lines still reach the terminal."""
    from orchestration import progress

    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    progress.terminal = os.fdopen(os.dup(1), "w", buffering=1)
    with open(log_path, "a", encoding="utf-8") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            progress.terminal.close()
            progress.terminal = None


def _log_path(settings: Settings) -> Path:
    folder = settings.home.resolve() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"run-{time.strftime('%Y%m%d-%H%M%S')}.log"


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
    code = main()
    # Everything is written, closed and flushed: skip the interpreter's teardown of the loaded
    # libraries, which takes seconds and does nothing this process needs.
    logging.shutdown()
    if "multiprocessing" in sys.modules:
        # Its exit handlers: semaphores made by a step are unlinked here, else its resource
        # tracker prints a warning about them after this process is gone.
        import multiprocessing.util

        multiprocessing.util._exit_function()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
