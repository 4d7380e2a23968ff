"""Opportunity Insights state policy milestones, in both layouts the file has had.

- long (current; the 2022-07-26 vintage): one row per state per policy event, with a free-text
  `policy_description` (quoted, contains commas) and three 0/1 "first" flags;
- wide (2020; the 2020-11-13 vintage): one row per state, one date column per milestone
  (`schools_closed`, `nonessential_biz_closed`, `stayathome_start`, ...), blank when none.

Both land in one table through one contract. A wide file is unpivoted to the long columns:
one row per non-blank milestone cell, `policy_description` = "<statename> <what happened>
[<milestone column>]" (e.g. "Delaware closed public schools [schools_closed]"), and the first
flags set where a milestone is that event (schools_closed -> schools_first_closed,
nonessential_biz_closed -> nonessential_biz_first_closed, stayathome_start ->
stayathome_first_start: each wide column holds one date and re-closures have columns of their
own), false otherwise.

`layout` ('long' or 'wide') says which layout a row came from. The two layouts describe the
same events in different words, so their keys never meet: a long row does not supersede a
wide one, and both stay current in raw (the wide rows are what was known in 2020). Staging of
the current table reads `layout = 'long'` only.

Dates are not checked against the load date. The current vintage (committed 2022-07-26) has
`Tennessee, 2022-12-20`, almost certainly a typo for 2020-12-20: it is kept as published (it is
not in the future, and correcting it would be a guess). A not-in-the-future check would have
rejected it had the file been loaded on its publication day and accepts it now: the same file
would load differently depending on the day, so policy dates get none.
"""

import pandas as pd

from loaders.core.contract import Column, Contract
from loaders.core.quirks import require_headers
from loaders.core.spec import SourceFile, TableSpec
from loaders.sources.oi_economic_tracker.source import MISSING, SOURCE, mirror_vintages, url
from warehouse.settings import Settings

FILE_NAME = "Policy Milestones - State.csv"
# Upstream commits of the earlier vintages a mirror may hold (vintage_<date>/<file>).
VINTAGE_COMMITS = {"2020-11-13": "ba81ca353805e948b9420ccec5e7b4860ccb46e6"}
LONG, WIDE = "long", "wide"
FIRST_FLAGS = ("schools_first_closed", "nonessential_biz_first_closed", "stayathome_first_start")
# Wide milestone column -> (what happened, the first flag it sets).
MILESTONES = {
    "schools_closed": ("closed public schools", "schools_first_closed"),
    "nonessential_biz_closed": (
        "ordered closed all non-essential businesses",
        "nonessential_biz_first_closed",
    ),
    "stayathome_start": ("issued stay at home order", "stayathome_first_start"),
    "regional_biz_opened": ("reopened businesses in some regions", None),
    "regional_stayathome_end": ("ended stay at home order in some regions", None),
    "statewide_biz_opened": ("reopened businesses statewide", None),
    "statewide_stayathome_end": ("ended stay at home order statewide", None),
    "regional_biz_reclosed": ("closed businesses again in some regions", None),
    "statewide_biz_reclosed": ("closed businesses again statewide", None),
}


def reshape_policy_milestones(frame: pd.DataFrame) -> pd.DataFrame:
    """Either layout -> the long columns plus `layout`."""
    milestones = [m for m in MILESTONES if m in frame.columns]
    if "policy_description" in frame.columns or not milestones:
        return frame.assign(layout=LONG)  # the contract reports any missing long column
    return _unpivot_wide(frame, milestones)


def _unpivot_wide(frame: pd.DataFrame, milestones: list[str]) -> pd.DataFrame:
    require_headers(frame, ["statefips", "statename"])
    kept = [c for c in frame.columns if c not in MILESTONES]  # unknown ones are reported
    parts = []
    for milestone in milestones:
        happened, flag = MILESTONES[milestone]
        dates = frame[milestone].astype(str).str.strip()
        held = ~dates.isin(MISSING)
        part = frame.loc[held, kept].copy()
        part["date"] = dates[held]
        names = frame.loc[held, "statename"].astype(str).str.strip()
        part["policy_description"] = names + f" {happened} [{milestone}]"
        for first in FIRST_FLAGS:
            part[first] = "1" if first == flag else "0"
        part["layout"] = WIDE
        parts.append(part)
    return pd.concat(parts).sort_index(kind="stable")  # by line, milestones in column order


def _files(spec: TableSpec, settings: Settings) -> list[SourceFile]:
    """Earlier vintages a folder mirror holds (oldest first), then the current file."""
    current = SourceFile(spec.file_name, spec.official_url)
    return [*mirror_vintages(settings.sources, spec.file_name, VINTAGE_COMMITS), current]


POLICY_MILESTONES_STATE = TableSpec(
    source=SOURCE,
    name="policy_milestones_state",
    file_name=FILE_NAME,
    official_url=url(FILE_NAME),
    reshape=reshape_policy_milestones,
    list_files=_files,
    contract=Contract(
        columns=(
            Column("statefips", "int", nullable=False),
            Column("statename", "text"),
            Column("date", "date"),
            Column("policy_description", "text", nullable=False),
            Column("schools_first_closed", "bool", required=False),
            Column("nonessential_biz_first_closed", "bool", required=False),
            Column("stayathome_first_start", "bool", required=False),
            Column("layout", "text", nullable=False),
        ),
        natural_key=("statefips", "date", "policy_description"),
        null_markers=MISSING,
    ),
)

TABLES = [POLICY_MILESTONES_STATE]
