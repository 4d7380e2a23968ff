"""Contracts of the CPS tables (columns after schools.py reshapes them)."""

from loaders.core.contract import Column, Contract

YYYYMMDD = ("%Y%m%d",)
CAPTURE = (
    Column("snapshot_date", "date", nullable=False),
    Column(
        "captured_at",
        "text",
        nullable=False,
    ),
)

SCHOOL_SNAPSHOTS = Contract(
    columns=(
        *CAPTURE,
        Column("school_name", "text", nullable=False),
        Column("school_key", "text"),
        Column("school_id", "int"),
        Column("school_id_match", "text"),
        Column("latitude", "float"),
        Column("longitude", "float"),
        Column("cases_q3_sy20", "int", non_negative=True),
        Column("cases_q4_sy20", "int", non_negative=True),
        Column("cases_summer_sy20", "int", non_negative=True),
        Column("cases_q1_sy21", "int", non_negative=True),
        Column("cases_q2_sy21", "int", non_negative=True),
        Column("cases_cumulative", "int", nullable=False, non_negative=True),
        Column("cumulative_basis", "text"),
        Column("cases_7day", "int"),
        Column("cases_14day", "int"),
    ),
    natural_key=("snapshot_date", "school_key"),
)

SCHOOL_CASE_COUNTS = Contract(
    columns=(
        *CAPTURE,
        Column("school_key", "text"),
        Column("report_date", "date", not_future=True, date_formats=YYYYMMDD),
        Column("count_kind", "text", nullable=False),
        Column("cases", "int", nullable=False),
    ),
    natural_key=("snapshot_date", "school_key", "report_date"),
)

DISTRICT_TOTALS = Contract(
    columns=(
        *CAPTURE,
        Column("report_date", "date", header="date", not_future=True, date_formats=YYYYMMDD),
        Column("cases_daily", "int", header="daily", nullable=False),
        Column("cases_running", "int", header="running", nullable=False, non_negative=True),
        Column("cases_7day_legacy", "float", header="7day", required=False),
        Column("cases_7day_sum", "int", header="7DaySum", required=False),
        Column("cases_7day_avg", "float", header="7DayAvg", required=False),
        Column("cases_14day_sum", "int", header="14DaySum", required=False),
        Column("cases_14day_avg", "float", header="14DayAvg", required=False),
    ),
    natural_key=("snapshot_date", "report_date"),
)

SCHOOL_LOCATIONS = Contract(
    columns=(
        Column("school_name", "text", header="School"),
        Column("school_slug", "text", header="SchoolHyphen"),
        Column("latitude", "float", header="Latitude", nullable=False),
        Column("longitude", "float", header="Longitude", nullable=False),
    ),
    natural_key=("school_name",),
)
