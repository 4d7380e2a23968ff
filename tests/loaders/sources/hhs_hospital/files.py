"""Small HHS hospital files shared by the parse and load tests."""

from loaders.sources.hhs_hospital.tables import MEASURES

HEADER = "\ufeffstate,date," + ",".join(MEASURES) + "\n"


def row(state, day, *values):
    """A data line: the first measures from `values`, the rest 0."""
    cells = [*values, *(["0"] * (len(MEASURES) - len(values)))]
    return ",".join([state, day, *cells]) + "\n"


GOOD = HEADER + "".join(
    row(s, "2021/01/01", "1", '"1,000"') for s in ("DE", "IL", "MD", "NJ", "PA")
)
