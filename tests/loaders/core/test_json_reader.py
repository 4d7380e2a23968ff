"""A JSON object (`{"<key>": [v1, v2], ...}`) read into the chunks of strings the CSV reader
yields: one record per entry, numbered by its position, malformed entries put aside."""

import pytest

from loaders.core.errors import StructuralError
from loaders.core.json_reader import read_json_object


def test_json_object_becomes_rows_and_bad_entries(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"19701": [39.5, -75.6], "19702": [1.0], "19703": [2, "x"]}')
    with path.open() as stream:
        header, chunks = read_json_object(stream, "m.json", "zip", ("lat", "lon"), 2)
        chunks = list(chunks)
    assert header == ["zip", "lat", "lon"]
    assert [c.frame.reset_index().values.tolist() for c in chunks] == [
        [[1, "19701", "39.5", "-75.6"]],
        [[3, "19703", "2", "x"]],
    ]
    assert chunks[0].bad_records == [
        (2, '"19702": [1.0]', "expected 2 scalar values, found a list of 1")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "expected a JSON object, found an empty file"),
        ("<html><body>Not found</body></html>", "expected a JSON object, found an HTML"),
        ('{"19701": [39.5, -75.6]', "expected a JSON object, found invalid JSON"),
        ("[[39.5, -75.6]]", "expected a JSON object of key -> values, found a list"),
    ],
)
def test_json_structural_problems_fail_with_what_was_found(tmp_path, content, message):
    path = tmp_path / "m.json"
    path.write_text(content)
    with path.open() as stream, pytest.raises(StructuralError, match=message):
        read_json_object(stream, "m.json", "zip", ("lat", "lon"), 10)
