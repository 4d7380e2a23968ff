"""Opportunity Insights geographic crosswalks: states, counties and the 53 tracked cities,
with their 2019 populations (Census Bureau estimates).

FIPS stay integers as published (`1`, `1001`); staging pads them. `GeoIDs - County.csv`
leaves `cityid`/`cityname` blank for counties outside the tracked cities, and `cz`/`czname`
blank for Kalawao, Hawaii: blanks are nulls here.
"""

from loaders.core.contract import Column, Contract
from loaders.core.spec import TableSpec
from loaders.sources.oi_economic_tracker.source import MISSING, SOURCE, url


def _geoids(name: str, file_name: str, columns: tuple[Column, ...]):
    return TableSpec(
        source=SOURCE,
        name=name,
        file_name=file_name,
        official_url=url(file_name),
        contract=Contract(
            columns=columns,
            natural_key=(columns[0].name,),
            null_markers=MISSING,
            ends_with_newline=True,  # the publisher's files end with one
        ),
    )


GEOIDS_STATE = _geoids(
    "geoids_state",
    "GeoIDs - State.csv",
    (
        Column("statefips", "int", nullable=False),
        Column("statename", "text", nullable=False),
        Column("stateabbrev", "text", nullable=False),
        Column("state_pop2019", "int", non_negative=True),
    ),
)
GEOIDS_COUNTY = _geoids(
    "geoids_county",
    "GeoIDs - County.csv",
    (
        Column("countyfips", "int", nullable=False),
        Column("countyname", "text", nullable=False),
        Column("cityid", "int"),
        Column("cityname", "text"),
        Column("cz", "int"),
        Column("czname", "text"),
        Column("statename", "text", nullable=False),
        Column("statefips", "int", nullable=False),
        Column("stateabbrev", "text", nullable=False),
        Column("county_pop2019", "int", non_negative=True),
    ),
)
GEOIDS_CITY = _geoids(
    "geoids_city",
    "GeoIDs - City.csv",
    (
        Column("cityid", "int", nullable=False),
        Column("cityname", "text", nullable=False),
        Column("stateabbrev", "text", nullable=False),
        Column("statename", "text", nullable=False),
        Column("statefips", "int", nullable=False),
        Column("lat", "float"),
        Column("lon", "float"),
        Column("city_pop2019", "int", non_negative=True),
    ),
)

TABLES = [GEOIDS_STATE, GEOIDS_COUNTY, GEOIDS_CITY]
