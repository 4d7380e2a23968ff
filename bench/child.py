"""One measurement in a process of its own, so that runs share no memory or caches in Python:
`python -m bench.child <task> <dsn> <mirror folder>`. Prints one JSON line.

Tasks: `load` (the loader end to end, then again on the unchanged file), `dagster` (the same load
materialized as the asset through Dagster), `profile` (`load` under cProfile: where time goes).
Seconds are measured around the call alone: not the interpreter's start nor the imports.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import sys
import time

from loaders.core.load import load_table
from loaders.sources.jhu_csse.time_series import DEATHS_US
from warehouse.settings import Mirror, Settings


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (VmHWM)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def load(dsn: str, settings: Settings) -> dict:
    started = time.perf_counter()
    [first] = load_table(DEATHS_US, dsn, settings)
    seconds = time.perf_counter() - started
    peak = peak_rss_mib()
    started = time.perf_counter()
    [again] = load_table(DEATHS_US, dsn, settings)
    return {
        "seconds": seconds,
        "rows": first.rows_loaded,
        "status": first.status,
        "peak_rss_mib": peak,
        "unchanged_seconds": time.perf_counter() - started,
        "unchanged_status": again.status,
    }


def dagster(dsn: str, settings: Settings) -> dict:
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.defs.resources import resources

    key = dg.AssetKey(["raw", DEATHS_US.table])
    with dg.DagsterInstance.ephemeral() as instance:
        started = time.perf_counter()
        result = dg.materialize(
            defs.assets, selection=[key], resources=resources(settings), instance=instance
        )
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "success": result.success}


def profile(dsn: str, settings: Settings) -> dict:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(load_table, DEATHS_US, dsn, settings)
    seconds = time.perf_counter() - started
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(r"loaders|psycopg/connection|pgpq|queue", 25)
    return {"seconds": seconds, "profile": text.getvalue()}


TASKS = {"load": load, "dagster": dagster, "profile": profile}

if __name__ == "__main__":
    task, dsn, mirror = sys.argv[1:4]
    settings = Settings(sources=Mirror(mirror), dsn=dsn)
    print(json.dumps(TASKS[task](dsn, settings)))
