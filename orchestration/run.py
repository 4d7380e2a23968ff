"""`make run`: start the warehouse, materialize every asset through Dagster, print a summary."""

from __future__ import annotations

import logging
import os
import sys
import time

from orchestration.environment import prepare_environment


def main() -> int:
    started = time.monotonic()
    print("Starting the warehouse database...", flush=True)
    settings = prepare_environment()
    print("Parsing the dbt project...", flush=True)
    from orchestration.defs.project import prepare_manifest

    prepare_manifest()

    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.defs.sensors import send_run_alerts
    from orchestration.progress import progress_logger
    from orchestration.summary import render, summarize
    from publish.dashboard import FILE_NAME

    print("Materializing every asset through Dagster...", flush=True)
    job = defs.resolve_job_def("refresh_all").with_logger_defs({"progress": progress_logger})
    with dg.DagsterInstance.get() as instance:
        # Keep a pooled connection to Dagster's storage (as its webserver does; 0: no statement
        # timeout): by default each of the run's thousand-odd event writes opens its own.
        instance.optimize_for_webserver(statement_timeout=0, pool_recycle=3600, max_overflow=4)
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config={"loggers": {"progress": {}}}
        )
        # No daemon watches an in-process run, so its alerts are sent from here.
        send_run_alerts(instance, result.dagster_run, settings.alert_webhook, _alert_logger())
    rows = summarize(result.all_events)
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
    failed_checks = sum(r.checks_failed for r in rows)
    return 0 if result.success and failed_checks == 0 else 1


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
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
