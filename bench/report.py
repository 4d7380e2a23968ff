"""The bench's figures, their medians and ratios against the targets, as a Markdown report."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench import spark_build
from bench.server import psql_path, server_version

__all__ = ["Figures", "machine", "render", "server_version"]

TARGETS = {
    "loader": ("loader rows/s vs `\\copy` rows/s at {n}x", ">=", 0.8),
    "rss": ("peak RSS at {n}x vs at 1x", "<=", 1.3),
    "dbt": ("incremental one-day build vs full build at {n}x", "<=", 0.05),
    "republished": ("file republished with one more day vs its first load at {n}x", "<=", 0.8),
    "dagster": ("Dagster overhead, share of wall time at {n}x", "<=", 0.15),
    "unchanged": ("unchanged-file refresh vs first load (1x)", "<=", 0.02),
}
# The daily cycle (`make run`), per size: (label, what, key, sign, wanted, relative to first run)
CYCLE_TARGETS = [
    ("`make run` when nothing changed, s", "unchanged", "seconds", "<=", 15.0, False),
    ("start-up before the first step (unchanged run), s", "unchanged", "startup", "<=", 10, False),
    ("`make run` after one new day vs a first run", "new_day", "seconds", "<=", 0.25, True),
]


@dataclass
class Figures:
    sizes: list[int]
    runs: int
    table: str
    runs_by: dict = field(default_factory=dict)  # (size, what) -> list of run dicts
    machine: dict = field(default_factory=dict)
    dbt: dict | None = None
    spark: dict | None = None
    cycle: dict = field(default_factory=dict)  # size -> bench.daily_cycle.measure's figures
    profile: dict | None = None
    total_seconds: float = 0.0

    @property
    def largest(self) -> int:
        return self.sizes[-1]

    def add(self, size: int, what: str, run: dict) -> None:
        self.runs_by.setdefault((size, what), []).append(run)

    def values(self, size: int, what: str, key: str = "seconds") -> list[float]:
        return [run[key] for run in self.runs_by.get((size, what), [])]

    def median(self, size: int, what: str, key: str = "seconds") -> float | None:
        values = self.values(size, what, key)
        return statistics.median(values) if values else None

    def rows(self, size: int) -> int:
        return self.runs_by[(size, "load")][0]["rows"]

    def rate(self, size: int, what: str) -> float | None:
        seconds = self.median(size, what)
        rows = self.runs_by[(size, what)][0].get("rows", self.rows(size)) if seconds else 0
        return rows / seconds if seconds else None

    def ratios(self) -> dict[str, float | None]:
        n = self.largest
        direct, dagster = self.median(n, "load"), self.median(n, "dagster")
        ratios = {
            "loader": _divide(self.rate(n, "load"), self.rate(n, "copy")),
            "rss": _divide(
                self.median(n, "load", "peak_rss_mib"), self.median(1, "load", "peak_rss_mib")
            ),
            "dagster": _divide(dagster - direct, dagster) if direct and dagster else None,
            "unchanged": _divide(
                self.median(1, "load", "unchanged_seconds"), self.median(1, "load")
            ),
            "dbt": None,
            "republished": None,
        }
        if self.dbt and self.dbt.get("full"):
            ratios["dbt"] = _divide(
                statistics.median(self.dbt["incremental"]), statistics.median(self.dbt["full"])
            )
        if self.dbt and self.dbt.get("load_one_more_day"):
            ratios["republished"] = _divide(
                statistics.median(self.dbt["load_one_more_day"]), direct
            )
        return ratios

    def loader_target_met(self) -> bool:
        ratio = self.ratios()["loader"]
        return ratio is not None and ratio >= TARGETS["loader"][2]


def _divide(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _proc_field(path: str, prefix: str) -> str:
    with open(path) as lines:
        found = (line.split(":", 1)[1].strip() for line in lines if line.startswith(prefix))
        return next(found, "")


def machine() -> dict:
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor()
    memory = _proc_field("/proc/meminfo", "MemTotal").split()[0]
    psql = subprocess.run([psql_path(), "--version"], capture_output=True, text=True)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(int(memory) / 1024**2, 1),
        "python": platform.python_version(),
        "psql": psql.stdout.strip(),
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def _paired(copies: list[float], loads: list[float]) -> str:
    return ", ".join(f"{c / s:.2f}" for c, s in zip(copies, loads, strict=False))


def _runs(values: list[float], unit: str = "s") -> str:
    return ", ".join(f"{v:.2f}" for v in values) + f" {unit}" if values else "-"


def render(f: Figures) -> str:
    m = f.machine
    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {m['date']}, in {f.total_seconds / 60:.1f} minutes; "
        f"medians of {f.runs} runs.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; Python {m['python']}; "
        f"PostgreSQL {m.get('postgres', '?')} (embedded, default settings); {m['psql']}. "
        f"Load average when it started: {m['load_average']} (the machine is shared).",
        "",
        "Input: `jhu_csse/time_series_covid19_deaths_US.csv.gz` (real, 1x) and versions of it "
        "GENERATED for the bench with 3x and 10x the days (each copy of the day columns moved "
        "back by the file's span; see `bench/inputs.py`). Table `raw." + f.table + "`.",
        "",
        "## Loads",
        "",
        "| input | rows | loader s | loader rows/s | `\\copy` s | `\\copy` rows/s | ratio | "
        "peak RSS MiB | unchanged s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n in f.sizes:
        loader, copy = f.rate(n, "load"), f.rate(n, "copy")
        out.append(
            f"| {n}x{' (generated)' if n > 1 else ''} | {f.rows(n):,} | {f.median(n, 'load'):.2f} "
            f"| {loader:,.0f} | {f.median(n, 'copy'):.2f} | {copy:,.0f} | {loader / copy:.2f} "
            f"| {f.median(n, 'load', 'peak_rss_mib'):.0f} "
            f"| {f.median(n, 'load', 'unchanged_seconds'):.3f} |"
        )
    out += ["", "Every run:", ""]
    for n in f.sizes:
        out.append(
            f"- {n}x: loader {_runs(f.values(n, 'load'))}; `\\copy` {_runs(f.values(n, 'copy'))} "
            f"(ratio run by run: {_paired(f.values(n, 'copy'), f.values(n, 'load'))}); "
            f"peak RSS {_runs(f.values(n, 'load', 'peak_rss_mib'), 'MiB')}; unchanged "
            f"{_runs(f.values(n, 'load', 'unchanged_seconds'))}"
        )
    out += _peers(f) + _to_sql(f) + _dagster(f) + _dbt(f) + spark_build.render(f.spark) + _cycle(f)
    out += _targets(f) + _profile(f)
    return "\n".join(out) + "\n"


def _peers(f: Figures) -> list[str]:
    """Each way of landing the file, as a ratio to `\\copy` and to this loader (rows/s)."""
    out = [
        "",
        "## Peers: the same rows into the same Postgres",
        "",
        "`psql \\copy` of the loader's final rows into an unindexed table (the physical "
        "reference); `dlt` 1.x, Postgres destination, Arrow batches as Parquet loaded by ADBC "
        "(its fastest documented format), from the same final rows (spared the reshaping the "
        "loader does); pandas `to_sql` (below). The loader itself reads the wide file, "
        "validates, versions and records the load.",
        "",
        "| size | way | rows | s | rows/s | vs `\\copy` | vs this loader |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in f.sizes:
        copy, loader = f.rate(n, "copy"), f.rate(n, "load")
        ways = [("this loader", "load"), ("`psql \\copy`", "copy"), ("dlt (parquet, ADBC)", "dlt")]
        for name, what in ways:
            if not f.values(n, what):
                continue
            rate = f.rate(n, what)
            rows = f.runs_by[(n, what)][0].get("rows", f.rows(n))
            out.append(
                f"| {n}x | {name} | {rows:,} | {f.median(n, what):.2f} | {rate:,.0f} "
                f"| {rate / copy:.2f} | {rate / loader:.2f} |"
            )
    return out + _republished(f)


def _republished(f: Figures) -> list[str]:
    """The daily re-load of the file republished with one more day: dlt's merge and ours."""
    n = f.largest
    merge = f.runs_by.get((n, "dlt_merge"))
    ours = (f.dbt or {}).get("load_one_more_day")
    if not merge and not ours:
        return []
    out = ["", f"The file republished with one more day, loaded into what was loaded at {n}x:", ""]
    if ours:
        seconds = statistics.median(ours)
        out.append(
            f"- this loader (a staged merge of every row, new versions only for changed rows): "
            f"{seconds:.2f} s, {f.ratios()['republished']:.2f}x its first load"
        )
    if merge:
        seconds = f.median(n, "dlt_merge")
        line = (
            f"- dlt, `merge` write disposition (delete-insert on the natural key): "
            f"{seconds:.2f} s, {seconds / f.median(n, 'dlt'):.2f}x its first load"
        )
        if ours:
            line += f", {seconds / statistics.median(ours):.2f}x this loader's re-load"
        out.append(line)
    return out


def _to_sql(f: Figures) -> list[str]:
    runs = f.runs_by.get((1, "to_sql"))
    if not runs:
        return []
    rate = runs[0]["rows"] / f.median(1, "to_sql")
    return [
        "",
        "## `DataFrame.to_sql` (what the replaced systems did)",
        "",
        f"The first {runs[0]['rows']:,} final rows of the 1x file (psycopg2, default method): "
        f"{rate:,.0f} rows/s, {rate / f.rate(1, 'copy'):.3f}x `\\copy`, "
        f"{rate / f.rate(1, 'load'):.3f}x the loader. Runs: {_runs(f.values(1, 'to_sql'))}.",
    ]


def _dagster(f: Figures) -> list[str]:
    n = f.largest
    if not f.values(n, "dagster"):
        return []
    return [
        "",
        f"## Dagster vs direct at {n}x",
        "",
        f"`dagster.materialize` of `raw/{f.table}` (the project's definitions and resources, "
        f"ephemeral instance): {f.median(n, 'dagster'):.2f} s; `load_table` called directly: "
        f"{f.median(n, 'load'):.2f} s. Runs: {_runs(f.values(n, 'dagster'))}. Both on a new "
        "database each time; the materialization also counts the table's rows and takes a "
        "preview for the asset's metadata.",
    ]


def _dbt(f: Figures) -> list[str]:
    out = ["", f"## dbt: full vs incremental build at {f.largest}x", ""]
    if not f.dbt or not f.dbt.get("full"):
        reason = (f.dbt or {}).get("not_measured", "not run")
        return [*out, f"Not measured: {reason}."]
    return [
        *out,
        f"{f.dbt['command']}. Full: {_runs(f.dbt['full'])}; incremental after appending one "
        f"day: {_runs(f.dbt['incremental'])}.",
        "",
        f.dbt.get("note", ""),
        *_dbt_gap(f),
    ]


def _dbt_gap(f: Figures) -> list[str]:
    """Where an incremental build's time goes, when it misses its target."""
    ratio = f.ratios()["dbt"]
    if ratio is None or ratio <= TARGETS["dbt"][2]:
        return []
    wall = statistics.median(f.dbt["incremental"])
    inside = statistics.median(f.dbt["incremental_in_dbt"])
    full_inside = statistics.median(f.dbt.get("full_in_dbt") or f.dbt["full"])
    return [
        "",
        f"Target missed ({ratio:.3f}). Of an incremental build's {wall:.1f} s, {wall - inside:.1f} "
        f"s are dbt starting (process, project and manifest) before it runs a node, the same "
        f"for a full build, and {inside:.1f} s its nodes (slowest above): the work itself is "
        f"{inside / full_inside:.3f} of the full build's {full_inside:.1f} s in dbt. What would "
        "close the gap: fewer nodes in a daily build (only the incremental facts: their "
        "upstream views and seeds do not change from day to day), or a dbt process kept warm "
        "between builds, so the start-up is not paid per build.",
    ]


def _cycle(f: Figures) -> list[str]:
    if not f.cycle:
        return []
    out = [
        "",
        "## The daily cycle: `make run` on a new warehouse",
        "",
        "Every source from the real mirror; the JHU US deaths file at the size given (generated "
        "above 1x). A first run, a run with nothing changed, and a run after one more day in "
        "every daily file (`bench/daily_cycle.py`, `bench/new_day.py`). Start-up: until the "
        "first step starts. CPU: the run's process and what it waited for (dbt). One run each.",
        "",
        "| size | run | wall s | start-up s | loader steps s | dbt step s | rest s | CPU s "
        "| load avg |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n, runs in sorted(f.cycle.items()):
        if "not_measured" in runs:
            out.append(f"| {n}x | not measured: {runs['not_measured']} | | | | | | | |")
            continue
        for what in ("first", "unchanged", "new_day"):
            r = runs[what]
            rest = r["seconds"] - r["startup"] - r["loaders"] - r["dbt"]
            out.append(
                f"| {n}x | {what.replace('_', ' ')} | {r['seconds']:.1f} | {r['startup']:.1f} "
                f"| {r['loaders']:.1f} | {r['dbt']:.1f} | {rest:.1f} | {r['cpu_seconds']:.1f} "
                f"| {r['load']:.1f} |"
            )
    files = next((r["new_day"].get("files") for r in f.cycle.values() if "new_day" in r), None)
    if files:
        out += ["", f"The new day's files ({len(files)}): " + ", ".join(f"`{p}`" for p in files)]
    return out


def cycle_targets(f: Figures) -> list[tuple[str, float | None, str, float, str]]:
    """(target at size, measured, sign, wanted, where the time went) per daily-cycle target."""
    rows = []
    for n, runs in sorted(f.cycle.items()):
        for label, what, key, sign, wanted, relative in CYCLE_TARGETS:
            if "not_measured" in runs:
                rows.append((f"{label} at {n}x", None, sign, wanted, ""))
                continue
            run = runs[what]
            value = run[key] / runs["first"]["seconds"] if relative else run[key]
            rest = run["seconds"] - run["startup"] - run["loaders"] - run["dbt"]
            where = (
                f"start-up {run['startup']:.1f} s, loader steps {run['loaders']:.1f} s, dbt "
                f"{run['dbt']:.1f} s, the rest {rest:.1f} s; CPU {run['cpu_seconds']:.1f} s of "
                f"{run['seconds']:.1f} s wall at load average {run['load']:.1f}"
            )
            rows.append((f"{label} at {n}x", value, sign, wanted, where))
    return rows


def _targets(f: Figures) -> list[str]:
    out = ["", "## Targets", "", "| target | measured | wanted | |", "|---|---|---|---|"]
    missed = []
    for text, value, sign, wanted, where in cycle_targets(f):
        if value is None:
            out.append(f"| {text} | not measured | {sign} {wanted:g} | - |")
            continue
        met = value >= wanted if sign == ">=" else value <= wanted
        out.append(f"| {text} | {value:.3f} | {sign} {wanted:g} | {'met' if met else 'MISSED'} |")
        if not met:
            missed.append(f"- {text}: missed; where the time went: {where}.")
    for name, ratio in f.ratios().items():
        text, sign, wanted = TARGETS[name]
        if ratio is None:
            out.append(f"| {text.format(n=f.largest)} | not measured | {sign} {wanted:g} | - |")
            continue
        met = ratio >= wanted if sign == ">=" else ratio <= wanted
        out.append(
            f"| {text.format(n=f.largest)} | {ratio:.3f} | {sign} {wanted:g} "
            f"| {'met' if met else 'MISSED'} |"
        )
    return out + (["", "Missed daily-cycle targets:", "", *missed] if missed else [])


def _profile(f: Figures) -> list[str]:
    if not f.profile:
        return []
    return [
        "",
        f"## Profile of a {f.largest}x load (target missed)",
        "",
        "```",
        f.profile["profile"].strip(),
        "```",
    ]
