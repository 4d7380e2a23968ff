"""Opportunity Insights Economic Tracker: small-business revenue and merchants open, and
state policy milestones.

URL:      https://github.com/OpportunityInsights/EconomicTracker (files under data/)
Licence:  no licence file; "anyone is welcome to use this data", citing Chetty, Friedman,
          Hendren, Stepner & the OI Team (2020) and naming the data provider (Womply)
Cadence:  weekly, revising history
Columns:  see docs/oi_tracker_data_dictionary.md upstream

Quirks handled here:
- dates are split into unpadded integer columns year, month, day;
- missing values are a literal `.`; decimals have no leading zero (`-.256`);
- FIPS are integers without leading zeros;
- values are changes against a January 2020 baseline (fractions), not levels;
- history is revised between vintages: the raw table keeps a version per change;
- columns get inserted mid-row over time: columns are matched by header.
"""

from urllib.parse import quote

from loaders.base import Source, TableSpec
from loaders.contract import Column, Contract
from loaders.quirks import date_from_parts

BASE_URL = "https://raw.githubusercontent.com/OpportunityInsights/EconomicTracker/main/data"
SOURCE = Source(
    name="oi_economic_tracker",
    homepage="https://github.com/OpportunityInsights/EconomicTracker",
    licence="no licence; free use with citation of Chetty et al. (2020) and the data provider",
    cadence="weekly",
    warn_after_days=10,
    error_after_days=21,
)
MISSING = (".", "")
SEGMENTS = ("all", "inchigh", "inclow", "incmiddle", "ss40", "ss60", "ss65", "ss70")


def _url(file_name: str) -> str:
    return f"{BASE_URL}/{quote(file_name)}"


def _womply_state(name: str, measure: str, file_name: str, description: str) -> TableSpec:
    return TableSpec(
        source=SOURCE,
        name=name,
        file_name=file_name,
        official_url=_url(file_name),
        description=description,
        reshape=date_from_parts("year", "month", "day"),
        contract=Contract(
            columns=(
                Column("date", "date", not_future=True),
                Column("statefips", "int", nullable=False),
                *(
                    Column(f"{measure}_{segment}", "float", required=segment == "all")
                    for segment in SEGMENTS
                ),
            ),
            natural_key=("date", "statefips"),
            null_markers=MISSING,
        ),
    )


WOMPLY_REVENUE_STATE_DAILY = _womply_state(
    "womply_revenue_state_daily",
    "revenue",
    "Womply Revenue - State - Daily.csv",
    "Small-business revenue change vs January 2020 (seven-day average), per state per day.",
)
WOMPLY_MERCHANTS_STATE_DAILY = _womply_state(
    "womply_merchants_state_daily",
    "merchants",
    "Womply Merchants - State - Daily.csv",
    "Change in small businesses open vs January 2020 (seven-day average), per state per day.",
)

POLICY_MILESTONES_STATE = TableSpec(
    source=SOURCE,
    name="policy_milestones_state",
    file_name="Policy Milestones - State.csv",
    official_url=_url("Policy Milestones - State.csv"),
    description="State COVID-19 policy events (closures, reopenings, orders), one row per event.",
    contract=Contract(
        columns=(
            Column("statefips", "int", nullable=False),
            Column("statename", "text"),
            Column("date", "date"),
            Column("policy_description", "text", nullable=False),
            Column("schools_first_closed", "bool", required=False),
            Column("nonessential_biz_first_closed", "bool", required=False),
            Column("stayathome_first_start", "bool", required=False),
        ),
        natural_key=("statefips", "date", "policy_description"),
        null_markers=MISSING,
    ),
)

TABLES = [WOMPLY_REVENUE_STATE_DAILY, WOMPLY_MERCHANTS_STATE_DAILY, POLICY_MILESTONES_STATE]
