"""Shared parts of the Opportunity Insights loaders: the source, its URLs, its common quirks.

See `loaders/sources/oi_economic_tracker/__init__.py` for provenance and the list of tables.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from loaders.core.contract import Column, Contract
from loaders.core.quirks import date_from_parts
from loaders.core.spec import Source, SourceFile, TableSpec
from warehouse.settings import Mirror

REPOSITORY = "https://raw.githubusercontent.com/OpportunityInsights/EconomicTracker"
SOURCE = Source(
    name="oi_economic_tracker",
    homepage="https://github.com/OpportunityInsights/EconomicTracker",
    licence="no licence; free use with citation of Chetty et al. (2020) and the data provider",
    cadence="weekly",
    warn_after_days=10,
    error_after_days=21,
)
# OI writes a literal `.` for a missing value; blank cells appear only in GeoIDs and the
# 2020 Policy Milestones layout.
MISSING = (".", "")
VINTAGE_FOLDER = re.compile(r"vintage_(\d{4}-\d{2}-\d{2})")


def url(file_name: str, ref: str = "main") -> str:
    """The raw GitHub URL of `data/<file_name>` at a branch or commit."""
    return f"{REPOSITORY}/{ref}/data/{quote(file_name)}"


def series_table(
    name: str,
    file_name: str,
    *,
    geography: Column,
    measures: tuple[Column, ...],
    day: str = "day",
    date_column: str = "date",
) -> TableSpec:
    """A time series keyed on (date, geography) whose date is split into year, month, `day`."""
    return TableSpec(
        source=SOURCE,
        name=name,
        file_name=file_name,
        official_url=url(file_name),
        reshape=date_from_parts("year", "month", day, target=date_column),
        contract=Contract(
            columns=(Column(date_column, "date", not_future=True), geography, *measures),
            natural_key=(date_column, geography.name),
            null_markers=MISSING,
            ends_with_newline=True,  # the publisher's files end with one
        ),
    )


def mirror_vintages(mirror: Mirror, file_name: str, commits: dict[str, str]) -> list[SourceFile]:
    """Earlier versions kept in a folder mirror as `vintage_<YYYY-MM-DD>/<file>`, oldest first.

    Only a local folder can be listed: the official site and an HTTP mirror serve the current
    file alone, so there this returns nothing. `commits` maps a vintage to the upstream commit
    that published it (for the ledger's official URL); unknown vintages point at `main`.
    """
    folder = mirror.folder(SOURCE.name)
    if folder is None:
        return []
    found = []
    for path in sorted(folder.iterdir()):
        match = VINTAGE_FOLDER.fullmatch(path.name)
        has_file = (path / file_name).is_file() or (path / f"{file_name}.gz").is_file()
        if match and has_file:
            vintage = match.group(1)
            found.append(
                SourceFile(
                    relative_path=f"{path.name}/{file_name}",
                    official_url=url(file_name, commits.get(vintage, "main")),
                    vintage=vintage,
                )
            )
    return found
