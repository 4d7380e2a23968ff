"""Small reusable fix-ups for publishers' quirks, applied to chunks of strings."""

from __future__ import annotations

import pandas as pd

from loaders.core.errors import StructuralError


def require_headers(frame: pd.DataFrame, headers: list[str]) -> None:
    missing = [h for h in headers if h not in frame.columns]
    if missing:
        raise StructuralError(
            f"missing column {', '.join(repr(m) for m in missing)} "
            f"(found {', '.join(map(str, frame.columns))})"
        )


def date_from_parts(year: str, month: str, day: str, target: str = "date"):
    """OI splits dates into unpadded integer columns; join them into an ISO date string."""

    def reshape(frame: pd.DataFrame) -> pd.DataFrame:
        require_headers(frame, [year, month, day])
        parts = [frame[c].astype(str).str.strip() for c in (year, month, day)]
        joined = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
        blank = (parts[0] == "") | (parts[1] == "") | (parts[2] == "")
        frame = frame.drop(columns=[year, month, day])
        frame.insert(0, target, joined.mask(blank, ""))
        return frame

    return reshape
