"""Opportunity Insights daily and weekly series: Womply, Affinity and COVID, state and county.

Every file splits its date into year, month, day (Affinity county weekly: `day_endofweek`) and
is keyed on (date, FIPS). A column that only some vintages carry is optional (`required=False`):
older files load without it, and a column no contract knows is reported in the ledger.
"""

from loaders.core.contract import Column
from loaders.sources.oi_economic_tracker.source import series_table

STATE = Column("statefips", "int", nullable=False)
COUNTY = Column("countyfips", "int", nullable=False)
WOMPLY_SEGMENTS = ("all", "inchigh", "inclow", "incmiddle", "ss40", "ss60", "ss65", "ss70")


def _changes(names, required=("all",), prefix=""):
    """Float columns of changes vs January 2020; only those in `required` must be present."""
    return tuple(Column(f"{prefix}{name}", "float", required=name in required) for name in names)


WOMPLY_REVENUE_STATE_DAILY = series_table(
    "womply_revenue_state_daily",
    "Womply Revenue - State - Daily.csv",
    geography=STATE,
    measures=_changes(WOMPLY_SEGMENTS, prefix="revenue_"),
)
WOMPLY_MERCHANTS_STATE_DAILY = series_table(
    "womply_merchants_state_daily",
    "Womply Merchants - State - Daily.csv",
    geography=STATE,
    measures=_changes(WOMPLY_SEGMENTS, prefix="merchants_"),
)
WOMPLY_REVENUE_COUNTY_DAILY = series_table(
    "womply_revenue_county_daily",
    "Womply Revenue - County - Daily.csv",
    geography=COUNTY,
    measures=_changes(("all",), prefix="revenue_"),
)
WOMPLY_MERCHANTS_COUNTY_DAILY = series_table(
    "womply_merchants_county_daily",
    "Womply Merchants - County - Daily.csv",
    geography=COUNTY,
    measures=_changes(("all",), prefix="merchants_"),
)

# Affinity categories and income groups as of the 2021 vintages; later ones add more (reported).
AFFINITY_SERIES = (
    "all", "aap", "acf", "aer", "apg", "durables", "nondurables", "grf", "gen", "hic", "hcs",
    "inpersonmisc", "remoteservices", "sgh", "tws", "retail_w_grocery", "retail_no_grocery",
    "all_incmiddle", "all_q1", "all_q2", "all_q3", "all_q4",
)  # fmt: skip
# `freq` and `provisional` are values, not key: (date, statefips) is unique in the file, and
# a provisional or weekly row is revised into its final value by a later vintage.
AFFINITY_STATE_DAILY = series_table(
    "affinity_state_daily",
    "Affinity - State - Daily.csv",
    geography=STATE,
    measures=(
        Column("freq", "text", required=False, nullable=False),
        *_changes(AFFINITY_SERIES, prefix="spend_"),
        Column("provisional", "bool", required=False),
    ),
)
AFFINITY_COUNTY_WEEKLY = series_table(
    "affinity_county_weekly",
    "Affinity - County - Weekly.csv",
    geography=COUNTY,
    measures=_changes(("all",), prefix="spend_"),
    day="day_endofweek",
    date_column="date_endofweek",
)

# Counts and rates are seven-day averages or sums, so floats. Only cases and deaths are
# required: vaccinations, boosters and hospitalisations were added over time (mid-row).
# Cumulative series cannot be negative; daily new ones can (corrections).
COVID_COUNTS = ("case", "death", "test", "vaccine", "fullvaccine", "booster_first")
COVID_STATE_DAILY = series_table(
    "covid_state_daily",
    "COVID - State - Daily.csv",
    geography=STATE,
    measures=tuple(
        Column(
            f"{new}{measure}_{unit}",
            "float",
            required=measure in ("case", "death"),
            non_negative=not new,
        )
        for measure in COVID_COUNTS
        for new in ("new_", "")
        for unit in ("count", "rate")
    )
    + (
        Column("hospitalized_count", "float", required=False, non_negative=True),
        Column("hospitalized_rate", "float", required=False, non_negative=True),
    ),
)

TABLES = [
    WOMPLY_REVENUE_STATE_DAILY,
    WOMPLY_MERCHANTS_STATE_DAILY,
    WOMPLY_REVENUE_COUNTY_DAILY,
    WOMPLY_MERCHANTS_COUNTY_DAILY,
    AFFINITY_STATE_DAILY,
    AFFINITY_COUNTY_WEEKLY,
    COVID_STATE_DAILY,
]
