"""`python -m loaders [TABLE ...]`: load tables without Dagster (all by default).

One line per table loaded; a failure is one line too, naming the table and the cause. A source
whose host cannot be reached is reported once, its other tables not tried; a database that
cannot be reached stops the run (no other table could load either)."""

import argparse
import sys

import psycopg

from loaders.core.errors import DatabaseUnavailable, HostUnreachable, LoadError
from loaders.core.load import LoadResult, load_table
from loaders.registry import TABLES, table
from warehouse.database import server_name, warehouse_dsn
from warehouse.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    parser.add_argument("tables", nargs="*", help="raw table names, e.g. nyt_covid__us_states")
    parser.add_argument("--force", action="store_true", help="reload even if the file is unchanged")
    args = parser.parse_args(argv)
    specs = [table(name) for name in args.tables] or TABLES
    settings = Settings.from_env()
    dsn = warehouse_dsn(settings)
    failed, unreachable = False, {}  # source -> [its failure, tables not tried]
    for position, spec in enumerate(specs):
        if spec.source.name in unreachable:
            unreachable[spec.source.name][1] += 1
            continue
        try:
            for result in load_table(spec, dsn, settings, force=args.force, notify=_say):
                print(_line(result))
                _report(result)
        except HostUnreachable as err:
            failed, unreachable[spec.source.name] = True, [err, 0]
        except DatabaseUnavailable as err:
            rest = len(specs) - position - 1
            _say(f"load failed: {err}" + (f" ({_tables(rest)} not tried)" if rest else ""))
            return 1
        except LoadError as err:
            failed = True
            _say(f"{spec.table}: load failed: {err}")
        except psycopg.Error as err:  # refused by the database: a permission, a full disk
            failed = True
            cause = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            _say(f"{spec.table}: load failed: the database at {server_name(dsn)} said: {cause}")
    for source, (err, skipped) in unreachable.items():
        _say(
            f"{source}: load failed: {err}"
            + (f" ({_tables(skipped)} not tried)" if skipped else "")
        )
    return 1 if failed else 0


def _tables(count: int) -> str:
    return f"{count} more table{'s' if count > 1 else ''}"


def _line(result: LoadResult) -> str:
    return (
        f"{result.table:<48} {result.status:<10} read {result.rows_read:>9,} "
        f"added {result.rows_added:>9,} changed {result.rows_changed:>7,} "
        f"rejected {result.rows_rejected:>5,}  {result.seconds:5.1f}s"
    )


def _report(result: LoadResult) -> None:
    """What a successful load still wants a person to know."""
    if result.extra_columns:
        columns = ", ".join(result.extra_columns)
        _say(
            f"{result.table}: {result.file_name} has columns the contract does not know "
            f"(not loaded): {columns}"
        )
    if result.warning:
        _say(f"{result.table}: warning: {result.warning}")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
