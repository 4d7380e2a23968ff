"""The daily cycle as `make run` runs it, on a new warehouse: a first run, a run when nothing
changed, and a run after one more day in every daily file (`bench/new_day.py`).

Every source comes from the real mirror (links); at sizes above 1x the JHU US deaths file is
the generated one (see `bench/inputs.py`). Each run is `python -m orchestration.run` in a new
process, as `make run` starts it; its start-up is the time until the first step starts, its
CPU seconds those of the process and everything it waited for (dbt among them).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench import inputs, new_day
from bench.server import fresh_database
from warehouse.settings import child_environment

ROOT = Path(__file__).resolve().parents[1]
STEP = re.compile(r"^\[\s*[\d.]+s\] running (\S+)")


def measure(admin: str, real_mirror: Path, real_file: Path, size: int, work: Path) -> dict:
    mirror = _mirror(real_mirror, real_file, size, work / f"mirror_cycle_{size}x")
    name = f"bench_cycle_{size}x"
    with fresh_database(admin, name) as dsn, fresh_database(admin, f"{name}_dagster") as dagster:
        env = environment(dsn, dagster, mirror, work / f"warehouse_{size}x")
        figures = {"first": _run(env, "first")}
        figures["unchanged"] = _run(env, "unchanged")
        target = mirror / inputs.SOURCE / inputs.FILE
        target.unlink()  # a link to the real file at 1x: never write through it
        inputs.longer(real_file, size, mirror, extra_days=1)
        changed = [f"{inputs.SOURCE}/{inputs.FILE}", *new_day.add_day(mirror)]
        figures["new_day"] = _run(env, "one new day") | {"files": changed}
    return figures


def environment(dsn: str, dagster: str, mirror: Path, home: Path) -> dict[str, str]:
    """`make run`'s environment: the bench's databases and mirror, and a warehouse home of its
    own, so the settings file `make run` writes is not the user's (`.warehouse/settings.env`)."""
    return child_environment(
        {
            "WAREHOUSE_DSN": dsn,
            "DAGSTER_POSTGRES_URL": dagster,
            "WAREHOUSE_SOURCES": str(mirror),
            "WAREHOUSE_HOME": str(home),
            "DAGSTER_HOME": str(home / "dagster_home"),
            "WAREHOUSE_REPORTS": str(home / "reports"),
            "WAREHOUSE_EXPORTS": str(home / "exports"),
            "PYTHONPATH": str(ROOT),
        }
    )


def _mirror(real_mirror: Path, real_file: Path, size: int, mirror: Path) -> Path:
    """Links to the real mirror's files; the JHU US deaths file generated at `size`."""
    for source in sorted(p for p in real_mirror.iterdir() if p.is_dir()):
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            link = mirror / source.name / path.relative_to(source)
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(path.resolve())
    target = mirror / inputs.SOURCE / inputs.FILE
    target.unlink(missing_ok=True)
    if size == 1:
        target.symlink_to(real_file)
    else:
        inputs.longer(real_file, size, mirror)
    return mirror


def _run(env: dict, label: str) -> dict:
    """One `make run`: wall and CPU seconds, start-up, and the seconds of each step."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "orchestration.run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    startup, steps, tail = None, [], []
    for line in process.stdout:
        now = time.perf_counter() - started
        tail = [*tail[-40:], line]
        if match := STEP.match(line):
            startup = now if startup is None else startup
            steps.append((match.group(1), now))
    code = process.wait()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if code != 0:
        raise RuntimeError(f"`make run` ({label}) exited {code}:\n{''.join(tail)}")
    ends = [at for _, at in steps[1:]] + [wall]
    durations = {name: end - at for (name, at), end in zip(steps, ends, strict=True)}
    loaders = sum(s for name, s in durations.items() if name.startswith("raw__"))
    print(f"    make run ({label}): {wall:.1f} s, start-up {startup:.1f} s", flush=True)
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "startup": startup or wall,
        "loaders": loaders,
        "dbt": durations.get("dbt_models", 0.0),
        "steps": len(steps),
        "load": os.getloadavg()[0],
    }
