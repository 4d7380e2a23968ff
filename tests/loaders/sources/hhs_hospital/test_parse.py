"""How the HHS hospital file is read, with no database: the BOM, quoted thousands separators,
blanks, unsorted rows, and the exact reason of each bad row or file."""

from datetime import date

import pytest

from loaders.core.errors import StructuralError
from loaders.core.parse import parse
from loaders.sources.hhs_hospital.tables import MEASURES, PATIENT_IMPACT_STATE
from tests.loaders.parsed import rows
from tests.loaders.sources.hhs_hospital.files import GOOD, HEADER, row


def test_bom_quoted_thousands_blanks_and_unsorted_rows():
    parsed = parse(
        PATIENT_IMPACT_STATE,
        HEADER
        + row("PA", "2021/04/15", "1", '"33,373"', '"27,410"', "371")
        + row("DE", "2020/03/02", "0", '"1,234,567"', "", "")
        + row("DE", "2020/03/01", "2", "999", "12"),
    )
    assert (len(parsed.rows), parsed.rejects) == (3, [])
    assert parsed.extra_columns == []  # the BOM does not hide the first header
    columns = (
        "state, date, critical_staffing_shortage_today_yes, inpatient_beds, "
        "inpatient_beds_used, previous_day_admission_adult_covid_confirmed"
    )
    assert rows(parsed, columns, order_by="state, date") == [
        ("DE", date(2020, 3, 1), 2, 999, 12, 0),
        ("DE", date(2020, 3, 2), 0, 1234567, None, None),
        ("PA", date(2021, 4, 15), 1, 33373, 27410, 371),
    ]


def test_malformed_rows_are_rejected_with_their_reason():
    parsed = parse(
        PATIENT_IMPACT_STATE,
        HEADER
        + row("MD", "2021/06/10", "1", '"11,914"')
        + row("MD", "2021/13/01", "1", "5")
        + row("MD", "2021/06/11", "1", '"3,41"')
        + row("MD", "2021/06/12", "1", "12.5")
        + row("", "2021/06/10", "1", "5")
        + row("MD", "2021/06/10", "1", "6")
        + row("NJ", "2021/06/10", "-1", "5"),
    )
    assert (parsed.rows_read, len(parsed.rows), len(parsed.rejects)) == (7, 1, 6)
    assert rows(parsed, "state, date, inpatient_beds") == [("MD", date(2021, 6, 10), 11914)]
    zeros = ",0" * (len(MEASURES) - 2)
    assert parsed.rejects == [
        (
            3,
            f"MD,2021/13/01,1,5{zeros}",
            "date: date %Y/%m/%d or %Y-%m-%d expected, found 2021/13/01",
        ),
        (4, f'MD,2021/06/11,1,"3,41"{zeros}', "inpatient_beds: an integer expected, found 3,41"),
        (5, f"MD,2021/06/12,1,12.5{zeros}", "inpatient_beds: an integer expected, found 12.5"),
        (6, f",2021/06/10,1,5{zeros}", "missing state"),
        (7, f"MD,2021/06/10,1,6{zeros}", "duplicate key (state, date): first seen on line 2"),
        (
            8,
            f"NJ,2021/06/10,-1,5{zeros}",
            "negative critical_staffing_shortage_today_yes: -1",
        ),
    ]


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        (GOOD + row("DE", "01/02/2021", "1"), (7, "date: date %Y/%m/%d")),
        (GOOD + row("DE", "2021/01/01", "1"), (7, "duplicate key (state, date)")),
        (GOOD + row("DE", "2021/01/02", "1", '"10,00"'), (7, "inpatient_beds: an integer")),
        (GOOD + row("DE", "2099/01/01", "1"), (7, "date in the future")),
        (GOOD.replace(",deaths_covid", "", 1), "missing column 'deaths_covid'"),
        ("<html><body>Service Unavailable</body></html>", "found an HTML or XML page"),
        ("\ufeff", "expected a CSV header line, found an empty file"),
    ],
)
def test_bad_files(content, outcome):
    if isinstance(outcome, tuple):
        parsed = parse(PATIENT_IMPACT_STATE, content)
        [(line, _, reason)] = parsed.rejects
        assert line == outcome[0] and reason.startswith(outcome[1])
        assert len(parsed.rows) == 5
    else:
        with pytest.raises(StructuralError, match=outcome):
            parse(PATIENT_IMPACT_STATE, content)
