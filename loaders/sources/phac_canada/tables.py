"""Public Health Agency of Canada (Health Infobase): COVID-19 cases, deaths and tests per
province and territory, with Canada and repatriated travellers beside them.

URL:      https://health-infobase.canada.ca/src/data/covidLive/covid19.csv (later renamed
          covid19-download.csv, with another layout)
Licence:  Open Government Licence - Canada
Cadence:  daily in 2020 (the period this layout covers)
Columns:  39 in this 2020 layout: pruid, prname, prnameFR, date, update, numconf, numprob,
          numdeaths, numtotal, numtested, ..., avgratedeaths_last7 (see the contract)

Quirks handled here:
- dates are DD-MM-YYYY (`31-01-2020`) and are never read as M/D: a `3/16/2020` from the
  re-encoded copies in circulation is rejected, not guessed; ISO dates (later files) load;
- prnameFR is UTF-8 French (`Québec`, `Île-du-Prince-Édouard`); a mis-encoded file fails;
- pruid 1 (Canada) and 99 (Repatriated travellers) sit beside the provinces and territories:
  they are kept and `region_kind` says which is which, so province sums can leave them out;
- blanks are empty strings (null); counts of the day (`numtoday`, ...) may be negative
  (corrections), cumulative counts may not;
- later versions add columns: columns are matched by header, only the core ones are required.
"""

import pandas as pd

from loaders.core.contract import Column, Contract
from loaders.core.quirks import require_headers
from loaders.core.spec import Source, TableSpec

SOURCE = Source(
    name="phac_canada",
    homepage="https://health-infobase.canada.ca/covid-19/",
    licence="Open Government Licence - Canada",
    cadence="daily",
    warn_after_days=2,
    error_after_days=7,
)
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d")  # day first; never month first
NATIONAL, REPATRIATED = "1", "99"
TERRITORIES = {"60", "61", "62"}  # Yukon, Northwest Territories, Nunavut
PROVINCES = {"10", "11", "12", "13", "24", "35", "46", "47", "48", "59"}


def _region_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """Name what each pruid is: `country`, `province`, `territory`, `repatriated` or `unknown`."""
    require_headers(frame, ["pruid"])
    pruid = frame["pruid"].astype(str).str.strip()
    kind = pd.Series("unknown", index=frame.index, dtype=object)
    kind = kind.mask(pruid.isin(PROVINCES), "province").mask(pruid.isin(TERRITORIES), "territory")
    kind = kind.mask(pruid == NATIONAL, "country").mask(pruid == REPATRIATED, "repatriated")
    return frame.assign(region_kind=kind)


def _count(name: str, *, required: bool = False, cumulative: bool = False) -> Column:
    return Column(name, "int", required=required, non_negative=cumulative)


def _measure(name: str) -> Column:
    return Column(name, "float", required=False)


COVID19 = TableSpec(
    source=SOURCE,
    name="covid19",
    file_name="covid19.csv",
    official_url="https://health-infobase.canada.ca/src/data/covidLive/covid19.csv",
    full_republication=True,
    reshape=_region_kind,
    contract=Contract(
        columns=(
            Column("pruid", "int", nullable=False),
            Column("region_kind", nullable=False),
            Column("prname"),
            Column("prname_fr", header="prnameFR"),
            Column("date", "date", not_future=True, date_formats=DATE_FORMATS),
            Column("update_flag", "int", header="update", required=False),
            _count("numconf", required=True, cumulative=True),
            _count("numprob", required=True, cumulative=True),
            _count("numdeaths", required=True, cumulative=True),
            _count("numtotal", required=True, cumulative=True),
            _count("numtested", cumulative=True),
            _count("numtests", cumulative=True),
            _count("numrecover", cumulative=True),
            _measure("percentrecover"),
            _measure("ratetested"),
            _measure("ratetests"),
            _count("numtoday"),
            _measure("percentoday"),
            _measure("ratetotal"),
            _measure("ratedeaths"),
            _count("numdeathstoday"),
            _measure("percentdeath"),
            _count("numtestedtoday"),
            _count("numteststoday"),
            _count("numrecoveredtoday"),
            _measure("percentactive"),
            _count("numactive"),
            _measure("rateactive"),
            _count("numtotal_last14"),
            _measure("ratetotal_last14"),
            _count("numdeaths_last14"),
            _measure("ratedeaths_last14"),
            _count("numtotal_last7"),
            _measure("ratetotal_last7"),
            _count("numdeaths_last7"),
            _measure("ratedeaths_last7"),
            _measure("avgtotal_last7"),
            _measure("avgincidence_last7"),
            _measure("avgdeaths_last7"),
            _measure("avgratedeaths_last7"),
        ),
        natural_key=("pruid", "date"),
    ),
)

TABLES = [COVID19]
