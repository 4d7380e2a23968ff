"""Snapshots of a file its publisher overwrites in place: one vintage per capture.

A folder mirror keeps earlier captures as `snapshots/<YYYY-MM-DD>_<file>`; a second capture on
the same day is `snapshots/<YYYY-MM-DD>T<HHMM[SS]>_<file>` (an untimed capture is the day's
first). Each capture's vintage is its stamp (`2021-02-10` or `2021-02-10T18:30:00`), so captures
load in time order and a later capture of a day can win over an earlier one.

The file at the folder root is the current one. In a mirror it is normally a copy of the newest
snapshot: it is skipped when its content equals that snapshot's, otherwise it is a capture made
now. Without a folder (official URL or HTTP mirror) only the current file can be fetched, and
every fetch is a capture made now (an unchanged file is skipped by the load, as always).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from loaders.core.errors import StructuralError
from loaders.core.spec import SourceFile
from warehouse.settings import Mirror

SNAPSHOT_FOLDER = "snapshots"
SNAPSHOT_NAME = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2})(?:T(?P<time>\d{4}(?:\d{2})?))?_(?P<file>.+)"
)


def snapshot_files(
    mirror: Mirror, source: str, file_name: str, official_url: str, now: datetime | None = None
) -> list[SourceFile]:
    """Every capture of `file_name` to load, oldest first, each with its capture stamp."""
    stamp_now = (now or datetime.now()).isoformat(timespec="seconds")
    folder = mirror.folder(source)
    if folder is None:
        return [SourceFile(file_name, official_url, stamp_now)]
    captures = sorted(_captures(folder / SNAPSHOT_FOLDER, file_name))
    files = [
        SourceFile(f"{SNAPSHOT_FOLDER}/{path.name}", official_url, stamp)
        for _, stamp, path in captures
    ]
    current = _existing(folder / file_name)
    if current is not None:
        newest = captures[-1][2] if captures else None
        if newest is None or content_sha256(current) != content_sha256(newest):
            files.append(SourceFile(file_name, official_url, stamp_now))
    return files


def _captures(folder: Path, file_name: str):
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        match = SNAPSHOT_NAME.fullmatch(path.name)
        if not match or match["file"] not in (file_name, f"{file_name}.gz"):
            continue
        time = match["time"] or ""
        stamp = match["day"]
        if time:
            stamp += f"T{time[:2]}:{time[2:4]}:{time[4:6] or '00'}"
        yield (match["day"], time, path.name), stamp, path


def _existing(path: Path) -> Path | None:
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def content_sha256(path: Path) -> str:
    """Checksum of the decompressed content, so `<file>` and `<file>.gz` compare equal."""
    with path.open("rb") as raw:
        is_gzip = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if is_gzip else open
    digest = hashlib.sha256()
    with opener(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def split_capture(frame: pd.DataFrame, column: str = "captured_at") -> pd.DataFrame:
    """From a capture stamp column (the vintage), add `snapshot_date` and a full timestamp."""
    stamps = frame[column].astype(str)
    bad = ~stamps.str.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?")
    if bad.any():
        raise StructuralError(
            f"expected a capture stamp YYYY-MM-DD[THH:MM:SS], found {stamps[bad].iloc[0]!r}"
        )
    full = stamps.where(stamps.str.len() > 10, stamps + "T00:00:00")
    return frame.assign(snapshot_date=stamps.str[:10], **{column: full})
