"""Every table the loaders fill, in load order: one line per source."""

from loaders.core.spec import TableSpec
from loaders.sources import (
    cps_covid,
    delaware_dhss,
    hhs_hospital,
    jhu_csse,
    nyt_covid,
    oi_economic_tracker,
    phac_canada,
)

TABLES: list[TableSpec] = [
    *nyt_covid.TABLES,
    *jhu_csse.TABLES,
    *oi_economic_tracker.TABLES,
    *delaware_dhss.TABLES,
    *phac_canada.TABLES,
    *hhs_hospital.TABLES,
    *cps_covid.TABLES,
]


def table(name: str) -> TableSpec:
    """A table by its raw name, e.g. `nyt_covid__us_states`."""
    for spec in TABLES:
        if spec.table == name:
            return spec
    known = ", ".join(s.table for s in TABLES)
    raise KeyError(f"no loader table named {name!r}; known: {known}")
