"""How the PHAC file is read, with no database: day-first dates, the kind of each region,
columns matched by header, and the exact reason of each bad row or file."""

from datetime import date

import pytest

from loaders.core.errors import StructuralError
from loaders.core.parse import parse
from loaders.sources.phac_canada.tables import COVID19
from tests.loaders.parsed import rows
from tests.loaders.sources.phac_canada.files import GOOD, HEADER

D = date


def test_dates_are_day_first_and_non_provinces_are_flagged():
    parsed = parse(
        COVID19,
        HEADER + "24,Quebec,Québec,05-03-2020,,2,0,0,2,1\n"
        "11,Prince Edward Island,Île-du-Prince-Édouard,12-03-2020,,1,0,0,1,1\n"
        "60,Yukon,Yukon,12-03-2020,,0,0,0,0,0\n"
        "1,Canada,Canada,12-03-2020,,120,3,1,123,-2\n"
        "99,Repatriated travellers,Voyageurs rapatriés,12-03-2020,,9,0,0,9,0\n"
        "98,Somewhere new,Ailleurs,12-03-2020,,0,0,0,0,0\n",
    )
    assert (len(parsed.rows), parsed.rejects) == (6, [])
    columns = "pruid, date, region_kind, prname_fr, numtotal, numtoday"
    assert rows(parsed, columns, order_by="pruid") == [
        (1, D(2020, 3, 12), "country", "Canada", 123, -2),  # a negative daily count: a correction
        (11, D(2020, 3, 12), "province", "Île-du-Prince-Édouard", 1, 1),
        (24, D(2020, 3, 5), "province", "Québec", 2, 1),  # 5 March, not 3 May
        (60, D(2020, 3, 12), "territory", "Yukon", 0, 0),
        (98, D(2020, 3, 12), "unknown", "Ailleurs", 0, 0),
        (99, D(2020, 3, 12), "repatriated", "Voyageurs rapatriés", 9, 0),
    ]
    assert rows(parsed, "update_flag, numtested") == [(None, None)] * 6  # blank, then absent


def test_malformed_rows_are_rejected_with_their_reason():
    parsed = parse(
        COVID19,
        HEADER + "35,Ontario,Ontario,31-01-2020,,3,0,0,3,3\n"
        "35,Ontario,Ontario,2/1/2020,,3,0,0,3,0\n"
        "35,Ontario,Ontario,32-01-2020,,3,0,0,3,0\n"
        "59,British Columbia,Colombie-Britannique,31-01-2020,,1,0,0,one,1\n"
        ",Alberta,Alberta,31-01-2020,,0,0,0,0,0\n"
        "35,Ontario,Ontario,31-01-2020,,4,0,0,4,1\n"
        "48,Alberta,Alberta,31-01-2020,,-1,0,0,0,0\n",
    )
    assert (parsed.rows_read, len(parsed.rows), len(parsed.rejects)) == (7, 1, 6)
    assert rows(parsed, "pruid, date, numconf") == [(35, D(2020, 1, 31), 3)]
    date_expected = "date: date %d-%m-%Y or %Y-%m-%d expected, found "
    assert parsed.rejects == [
        (3, "35,Ontario,Ontario,2/1/2020,,3,0,0,3,0", date_expected + "2/1/2020"),
        (4, "35,Ontario,Ontario,32-01-2020,,3,0,0,3,0", date_expected + "32-01-2020"),
        (
            5,
            "59,British Columbia,Colombie-Britannique,31-01-2020,,1,0,0,one,1",
            "numtotal: an integer expected, found one",
        ),
        (6, ",Alberta,Alberta,31-01-2020,,0,0,0,0,0", "missing pruid"),
        (
            7,
            "35,Ontario,Ontario,31-01-2020,,4,0,0,4,1",
            "duplicate key (pruid, date): first seen on line 2",
        ),
        (8, "48,Alberta,Alberta,31-01-2020,,-1,0,0,0,0", "negative numconf: -1"),
    ]


def test_columns_are_matched_by_header_and_unknown_ones_reported():
    parsed = parse(
        COVID19,
        "pruid,prname,prnameFR,date,numconf,raterecovered,numprob,numdeaths,numtotal,numtested\n"
        "35,Ontario,Ontario,2020-04-01,1,0.5,2,3,3,40\n",
    )
    assert parsed.extra_columns == ["raterecovered"]
    assert rows(parsed, "numconf, numprob, numdeaths, numtested, date") == [
        (1, 2, 3, 40, D(2020, 4, 1))
    ]


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        (GOOD + "35,Ontario,Ontario,3/16/2020,,1,0,0,1,1\n", (7, "date: date %d-%m-%Y")),
        (GOOD + "10,P10,P10,31-01-2020,,2,0,0,2,1\n", (7, "duplicate key (pruid, date)")),
        (GOOD + "x,P,P,31-01-2020,,1,0,0,1,1\n", (7, "pruid: an integer expected")),
        (GOOD.replace("numprob,", "", 1).replace(",0,0,1,1", ",0,1,1"), "missing column 'numprob'"),
        (HEADER.encode() + b"24,Quebec,Qu\xe9bec,01-03-2020,,1,0,0,1,1\n", "UTF-8"),
        ("<html><head><title>503</title></head></html>\n", "found an HTML or XML page"),
        (HEADER, None),  # a header and no rows: nothing read
    ],
)
def test_bad_files(content, outcome):
    if isinstance(outcome, str):
        with pytest.raises(StructuralError, match=outcome):
            parse(COVID19, content)
        return
    parsed = parse(COVID19, content)
    if outcome is None:
        assert (parsed.rows_read, len(parsed.rows), parsed.rejects) == (0, 0, [])
    else:
        [(line, _, reason)] = parsed.rejects
        assert line == outcome[0] and reason.startswith(outcome[1])
        assert len(parsed.rows) == 5
