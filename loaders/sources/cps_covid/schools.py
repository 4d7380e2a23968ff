"""Reshape CPS's wide per-school file `allCpsCovidData.csv` (either layout) into two tables.

Layouts (told apart by their columns, not by date):
- early (2021-01-19, 2021-01-21): `School,Latitude,Longitude,mer_coords_x,mer_coords_y,
  Q3 SY20,Q4 SY20,Summer SY20,Q1 SY21,Q2 SY21,<YYYYMMDD>...` — no ID; per-quarter totals; the
  first dated column (`20210115`) is the Q2 SY21 total to that day (a baseline, not a daily
  count) and `Q2 SY21` = baseline + the daily columns. The cumulative total is the sum of the
  five quarter columns.
- ID (2021-02-10 on): `School,Latitude,Longitude,CPS_School_ID,7Total,14Total,gTotal,
  <YYYYMMDD>...` — `gTotal` is the cumulative total; dated columns are weekly buckets while
  the next column is 7 days later (2020-03-07 .. 2021-01-09), daily after that.
`mer_coords_x/y` (Web Mercator copies of latitude/longitude) are dropped; other unknown
columns pass through, so the ledger reports them.
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from loaders.core.errors import StructuralError
from loaders.core.snapshots import split_capture
from loaders.sources.cps_covid.ids import match_frame

QUARTERS = {
    "Q3 SY20": "cases_q3_sy20",
    "Q4 SY20": "cases_q4_sy20",
    "Summer SY20": "cases_summer_sy20",
    "Q1 SY21": "cases_q1_sy21",
    "Q2 SY21": "cases_q2_sy21",
}
PLACE = ["School", "Latitude", "Longitude"]
ID_LAYOUT = [*PLACE, "CPS_School_ID", "gTotal"]
EARLY_LAYOUT = [*PLACE, *QUARTERS]
KNOWN = {*ID_LAYOUT, *EARLY_LAYOUT, "7Total", "14Total", "mer_coords_x", "mer_coords_y"}
DATE_HEADER = re.compile(r"\d{8}")


def _layout(frame: pd.DataFrame) -> str:
    headers = list(frame.columns)
    if len(set(headers)) != len(headers):
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        raise StructuralError(f"expected unique column names, found {', '.join(repeated)} twice")
    for name, required in (("id", ID_LAYOUT), ("early", EARLY_LAYOUT)):
        if all(h in headers for h in required):
            return name
    raise StructuralError(
        f"expected the columns {', '.join(ID_LAYOUT)} (ID layout) or {', '.join(EARLY_LAYOUT)} "
        f"(early layout); found {', '.join(headers)}"
    )


def _dated(frame: pd.DataFrame) -> list[str]:
    headers = [h for h in frame.columns if DATE_HEADER.fullmatch(h)]
    for header in headers:
        try:
            datetime.strptime(header, "%Y%m%d")
        except ValueError:
            raise StructuralError(
                f"column {header!r} looks like a YYYYMMDD date but is not a valid date"
            ) from None
    return headers


def _passthrough(frame: pd.DataFrame, dated: list[str]) -> list[str]:
    added = ("captured_at", "snapshot_date")  # filled from the capture, not the file
    return [h for h in frame.columns if h not in KNOWN and h not in dated and h not in added]


def _identify(frame: pd.DataFrame, layout: str, reference) -> pd.DataFrame:
    """school_key, school_id and how the ID was found; the key is blank with no school name."""
    if layout == "id":
        ids = frame["CPS_School_ID"].astype(str).str.strip()
        how = pd.Series("file", index=frame.index, dtype=object).mask(ids == "", "")
        found = pd.DataFrame({"school_key": ids, "school_id": ids, "school_id_match": how})
    elif frame.empty:
        found = pd.DataFrame(columns=["school_key", "school_id", "school_id_match"], dtype=object)
    else:
        found = match_frame(frame, reference())
    names = frame["School"].astype(str).str.strip()
    found["school_key"] = found["school_key"].mask(names == "", "")
    return found.set_axis(frame.index)


def school_snapshots(reference):
    """Reshape: one row per school of the snapshot; `reference()` gives the IDs to match
    schools of the early, ID-less layout with (`cps_covid.ids.reference_ids`)."""

    def reshape(frame: pd.DataFrame) -> pd.DataFrame:
        layout = _layout(frame)
        frame = split_capture(frame)
        out = _identify(frame, layout, reference)
        out.insert(0, "snapshot_date", frame["snapshot_date"])
        out.insert(1, "captured_at", frame["captured_at"])
        out["school_name"] = frame["School"].astype(str).str.strip()
        out["latitude"], out["longitude"] = frame["Latitude"], frame["Longitude"]
        for header, name in QUARTERS.items():
            out[name] = frame[header] if header in frame.columns else ""
        if layout == "id":
            out["cases_cumulative"], out["cumulative_basis"] = frame["gTotal"], "gTotal"
        else:
            out["cases_cumulative"], out["cumulative_basis"] = _quarter_sum(frame), "quarter_sum"
        out["cases_7day"] = frame["7Total"] if "7Total" in frame.columns else ""
        out["cases_14day"] = frame["14Total"] if "14Total" in frame.columns else ""
        extra = _passthrough(frame, _dated(frame))
        return pd.concat([out, frame[extra]], axis=1)

    return reshape


def _quarter_sum(frame: pd.DataFrame) -> pd.Series:
    """Sum of the quarter totals as text; blank when one is not an integer (it is rejected)."""
    parts = pd.DataFrame(
        {h: pd.to_numeric(frame[h].astype(str).str.strip(), errors="coerce") for h in QUARTERS},
        index=frame.index,
    )
    whole = parts.notna().all(axis=1) & (parts.fillna(0) % 1 == 0).all(axis=1)
    total = parts.sum(axis=1).round().astype("int64").astype(str)
    return total.where(whole, "").astype(object)


def school_case_counts(reference):
    """Reshape: one row per school per dated column (unpivoted), with the count's kind."""

    def reshape(frame: pd.DataFrame) -> pd.DataFrame:
        layout = _layout(frame)
        dated = _dated(frame)
        frame = split_capture(frame)
        ids = _identify(frame, layout, reference)
        extra = _passthrough(frame, dated)
        wide = pd.concat(
            [frame[["snapshot_date", "captured_at"]], ids[["school_key"]], frame[extra + dated]],
            axis=1,
        )
        long = wide.reset_index().melt(
            id_vars=["_line", "snapshot_date", "captured_at", "school_key", *extra],
            value_vars=dated,
            var_name="report_date",
            value_name="cases",
        )
        long["count_kind"] = long["report_date"].map(_count_kinds(layout, dated)).astype(object)
        long = long.sort_values(["_line"], kind="stable").set_index("_line")
        columns = ["snapshot_date", "captured_at", "school_key", "report_date", "count_kind"]
        return long[[*columns, "cases", *extra]]

    return reshape


def _count_kinds(layout: str, dated: list[str]) -> dict[str, str]:
    if layout == "early":
        return {h: "baseline" if i == 0 else "daily" for i, h in enumerate(dated)}
    days = [datetime.strptime(h, "%Y%m%d") for h in dated]
    kinds = {}
    for i, header in enumerate(dated):
        weekly = i + 1 < len(days) and (days[i + 1] - days[i]).days == 7
        kinds[header] = "weekly" if weekly else "daily"
    return kinds
