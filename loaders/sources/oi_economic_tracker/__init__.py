"""Opportunity Insights Economic Tracker: small-business revenue and merchants open (Womply),
consumer card spending (Affinity), COVID-19 by state, geographic crosswalks (GeoIDs) and
state policy milestones.

URL:      https://github.com/OpportunityInsights/EconomicTracker (files under data/)
Licence:  no licence file; "anyone is welcome to use this data", citing Chetty, Friedman,
          Hendren, Stepner & the OI Team (2020) and naming the data provider (Womply,
          Affinity Solutions, ...)
Cadence:  weekly, revising history
Columns:  see docs/oi_tracker_data_dictionary.md upstream

Files (raw table = raw.oi_economic_tracker__<name>):
  Womply Revenue - State - Daily.csv, ...Merchants...  womply_revenue_state_daily, ...
  Womply Revenue - County - Daily.csv, ...Merchants... womply_revenue_county_daily, ...
  Affinity - State - Daily.csv                         affinity_state_daily
  Affinity - County - Weekly.csv                       affinity_county_weekly
  COVID - State - Daily.csv                            covid_state_daily
  GeoIDs - State.csv, ...County..., ...City...         geoids_state, _county, _city
  Policy Milestones - State.csv (+ vintage_<date>/)    policy_milestones_state

Quirks handled (details in the oi_economic_tracker_*.py modules):
- dates are split into unpadded integer columns year, month, day (`day_endofweek` in
  Affinity county weekly); they are joined into one date;
- missing values are a literal `.`; decimals have no leading zero (`-.256`, `.0000543`);
- FIPS are integers without leading zeros (kept as integers; staging pads them);
- values are changes against a January 2020 baseline (fractions), not levels;
- history is revised between vintages: the raw table keeps a version per change;
- columns get inserted mid-row over time: columns are matched by header, columns only some
  vintages have are optional, unknown ones are reported in meta.load_log.extra_columns;
- Affinity County Weekly has CRLF line endings, the 2020 Policy Milestones a BOM and CRLF;
- Policy Milestones changed from a wide to a long layout: both load into one table.
"""

from loaders.sources.oi_economic_tracker.geoids import GEOIDS_CITY, GEOIDS_COUNTY, GEOIDS_STATE
from loaders.sources.oi_economic_tracker.policy import POLICY_MILESTONES_STATE
from loaders.sources.oi_economic_tracker.series import (
    AFFINITY_COUNTY_WEEKLY,
    AFFINITY_STATE_DAILY,
    COVID_STATE_DAILY,
    WOMPLY_MERCHANTS_COUNTY_DAILY,
    WOMPLY_MERCHANTS_STATE_DAILY,
    WOMPLY_REVENUE_COUNTY_DAILY,
    WOMPLY_REVENUE_STATE_DAILY,
)
from loaders.sources.oi_economic_tracker.source import MISSING, SOURCE

__all__ = ["MISSING", "SOURCE", "TABLES"]

# Reference tables first, so a run that stops midway still has its crosswalks.
TABLES = [
    GEOIDS_STATE,
    GEOIDS_COUNTY,
    GEOIDS_CITY,
    WOMPLY_REVENUE_STATE_DAILY,
    WOMPLY_MERCHANTS_STATE_DAILY,
    WOMPLY_REVENUE_COUNTY_DAILY,
    WOMPLY_MERCHANTS_COUNTY_DAILY,
    AFFINITY_STATE_DAILY,
    AFFINITY_COUNTY_WEEKLY,
    COVID_STATE_DAILY,
    POLICY_MILESTONES_STATE,
]
