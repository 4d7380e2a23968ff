"""US HHS: COVID-19 Reported Patient Impact and Hospital Capacity by State Timeseries.

URL:      https://healthdata.gov/Hospital/COVID-19-Reported-Patient-Impact-and-Hospital-Capa/g62h-syeh
          (CSV export: https://healthdata.gov/api/views/g62h-syeh/rows.csv?accessType=DOWNLOAD)
Licence:  US federal government data (HHS / healthdata.gov), public domain
Cadence:  daily while hospital reporting was required (the period this file covers)
Columns:  state, date and eleven of the dataset's measures (a 13-column export); the full
          export's other columns load as reported extras

Quirks handled here:
- the header starts with a UTF-8 byte-order mark (the reader strips it);
- dates are YYYY/MM/DD; rows come in no particular order (nothing here relies on order);
- numbers of 1000 and over are quoted with thousands separators (`"3,415"`): the separators
  are removed only where they group digits by three, so `3,41` is rejected, not read as 341;
- missing values are empty strings; `state` is the two-letter postal code (no FIPS).
"""

import pandas as pd

from loaders.core.contract import Column, Contract
from loaders.core.spec import Source, TableSpec

SOURCE = Source(
    name="hhs_hospital",
    homepage="https://healthdata.gov/Hospital/COVID-19-Reported-Patient-Impact-and-Hospital-Capa/g62h-syeh",
    licence="US federal government data (HHS / healthdata.gov), public domain",
    cadence="daily",
    warn_after_days=2,
    error_after_days=7,
)
MEASURES = (
    "critical_staffing_shortage_today_yes",
    "inpatient_beds",
    "inpatient_beds_used",
    "previous_day_admission_adult_covid_confirmed",
    "previous_day_admission_pediatric_covid_confirmed",
    "staffed_icu_adult_patients_confirmed_covid",
    "total_adult_patients_hospitalized_confirmed_covid",
    "total_pediatric_patients_hospitalized_confirmed_covid",
    "inpatient_beds_utilization_numerator",
    "inpatient_beds_utilization_denominator",
    "deaths_covid",
)
GROUPED_THOUSANDS = r"-?\d{1,3}(,\d{3})+"


def _without_thousands_separators(frame: pd.DataFrame) -> pd.DataFrame:
    """`3,415` -> `3415` where the commas group digits by three; other text is left to fail."""
    fixed = {}
    for name in MEASURES:
        if name in frame.columns:
            values = frame[name].astype(str).str.strip()
            grouped = values.str.fullmatch(GROUPED_THOUSANDS)
            fixed[name] = values.mask(grouped, values.str.replace(",", "", regex=False))
    return frame.assign(**fixed)


PATIENT_IMPACT_STATE = TableSpec(
    source=SOURCE,
    name="patient_impact_state",
    file_name="COVID-19_Reported_Patient_Impact_and_Hospital_Capacity_by_State_Timeseries.csv",
    official_url="https://healthdata.gov/api/views/g62h-syeh/rows.csv?accessType=DOWNLOAD",
    full_republication=True,
    reshape=_without_thousands_separators,
    contract=Contract(
        columns=(
            Column("state", nullable=False),
            Column("date", "date", not_future=True, date_formats=("%Y/%m/%d", "%Y-%m-%d")),
            *(Column(name, "int", non_negative=True) for name in MEASURES),
        ),
        natural_key=("state", "date"),
        ends_with_newline=True,  # the publisher's files end with one
    ),
)

TABLES = [PATIENT_IMPACT_STATE]
