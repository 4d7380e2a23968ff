"""Give CPS schools from the early, ID-less snapshots their `CPS_School_ID`.

The reference is every snapshot of allCpsCovidData.csv that has a `CPS_School_ID` column
(read from the same place the loader reads: the mirror's snapshots and current file, or the
official current file). A school is matched
1. by name: upper-cased, spaces collapsed, trailing `HS`/`ES` spelt out (the publisher's own
   abbreviations); the earliest ID-bearing snapshot that has the name wins, as the one closest
   in time to the early snapshots (a name used for two IDs in that snapshot is not matched);
2. else by location: latitude/longitude rounded to 6 decimals (about 10 cm), when exactly one
   ID has that location across the reference (this keeps a school renamed later as one school);
3. else it is unmatched: its key becomes `name:<normalised name>` and the row is flagged.
SchoolLocations.csv carries no ID, so it cannot serve as a reference.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.core.fetch import fetch
from loaders.core.reader import open_text, read_header
from loaders.core.spec import SourceFile
from warehouse.settings import Mirror

ID_COLUMN = "CPS_School_ID"
ABBREVIATIONS = {"HS": "HIGH SCHOOL", "ES": "ELEMENTARY SCHOOL"}


def normalise_name(name: str) -> str:
    words = name.upper().split()
    if words and words[-1] in ABBREVIATIONS:
        words[-1] = ABBREVIATIONS[words[-1]]
    return " ".join(words)


def location_key(latitude: str, longitude: str) -> tuple[float, float] | None:
    try:
        return round(float(latitude), 6), round(float(longitude), 6)
    except ValueError:
        return None


@dataclass
class SchoolIds:
    by_name: dict[str, str] = field(default_factory=dict)
    by_location: dict[tuple[float, float], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )

    def add_snapshot(self, rows: list[tuple[str, str, str, str]]) -> None:
        """Rows of (school, latitude, longitude, id) from one ID-bearing snapshot."""
        ids_by_name = defaultdict(set)
        for school, latitude, longitude, school_id in rows:
            if not re.fullmatch(r"\d+", school_id):
                continue
            ids_by_name[normalise_name(school)].add(school_id)
            key = location_key(latitude, longitude)
            if key is not None:
                self.by_location[key].add(school_id)
        for name, ids in ids_by_name.items():
            if name and len(ids) == 1 and name not in self.by_name:
                self.by_name[name] = next(iter(ids))

    def match(self, school: str, latitude: str, longitude: str) -> tuple[str, str, str]:
        """(school_key, school_id, how) for one school of an ID-less snapshot."""
        name = normalise_name(school)
        if name in self.by_name:
            return self.by_name[name], self.by_name[name], "name"
        ids = self.by_location.get(location_key(latitude, longitude), set())
        if len(ids) == 1:
            school_id = next(iter(ids))
            return school_id, school_id, "location"
        return f"name:{name}", "", "unmatched"


def reference_ids(mirror: Mirror, source: str, files: list[SourceFile]) -> SchoolIds:
    """The name and location -> ID reference from every file of `files` that has IDs."""
    reference = SchoolIds()
    for source_file in files:
        location = mirror.location(source, source_file.relative_path, source_file.official_url)
        fetched = fetch(location, remedy=mirror.remedy(location))
        try:
            reference.add_snapshot(_id_rows(Path(fetched.path), source_file.relative_path))
        finally:
            fetched.discard()
    return reference


def _id_rows(path: Path, display: str) -> list[tuple[str, str, str, str]]:
    with open_text(path, display) as stream:
        header, records = read_header(stream, display)
        if ID_COLUMN not in header:
            return []
        wanted = [header.index(c) for c in ("School", "Latitude", "Longitude", ID_COLUMN)]
        return [
            tuple(fields[i].strip() for i in wanted)
            for _, _, fields in records
            if len(fields) == len(header)
        ]


def match_frame(frame: pd.DataFrame, reference: SchoolIds) -> pd.DataFrame:
    """school_key, school_id, school_id_match for each row of an ID-less chunk."""
    matched = [
        reference.match(school, latitude, longitude)
        for school, latitude, longitude in zip(
            frame["School"].astype(str),
            frame["Latitude"].astype(str),
            frame["Longitude"].astype(str),
            strict=True,
        )
    ]
    columns = ["school_key", "school_id", "school_id_match"]
    return pd.DataFrame(matched or None, columns=columns, index=frame.index, dtype=object)
