"""`python -m loaders [TABLE ...]`: load tables without Dagster (all by default)."""

import argparse
import sys

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.registry import TABLES, table
from warehouse.database import warehouse_dsn
from warehouse.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    parser.add_argument("tables", nargs="*", help="raw table names, e.g. nyt_covid__us_states")
    parser.add_argument("--force", action="store_true", help="reload even if the file is unchanged")
    args = parser.parse_args(argv)
    specs = [table(name) for name in args.tables] or TABLES
    settings = Settings.from_env()
    dsn = warehouse_dsn(settings)
    failed = False
    for spec in specs:
        try:
            for result in load_table(spec, dsn, settings, force=args.force):
                print(
                    f"{result.table:<48} {result.status:<10} read {result.rows_read:>9,} "
                    f"added {result.rows_added:>9,} changed {result.rows_changed:>7,} "
                    f"rejected {result.rows_rejected:>5,}  {result.seconds:5.1f}s"
                )
        except LoadError as err:
            failed = True
            print(f"{spec.table}: load failed: {err}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
