"""The CSV reader: line numbers and raw text of every record, chunks, and structural errors."""

import gzip

import pytest

from loaders.core.errors import StructuralError
from loaders.core.reader import open_text, read_chunks, read_header


def write(tmp_path, content, name="f.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def records(tmp_path, content, name="f.csv"):
    path = write(tmp_path, content, name)
    with open_text(path, name) as stream:
        header, rows = read_header(stream, name)
        return header, list(rows)


def test_records_carry_their_physical_line_and_exact_text(tmp_path):
    content = (
        "\ufeff\r\n"  # BOM, then a blank line before the header
        " a , b \r\n"  # line 2: header cells are trimmed
        '1,"two\r\nlines"\r\n'  # lines 3-4
        "\r\n"  # line 5: blank
        '3,"say ""hi"""\r\n'  # line 6
        "5,6"  # line 7, no final newline
    )
    header, rows = records(tmp_path, content)
    assert header == ["a", "b"]
    assert rows == [
        (3, '1,"two\r\nlines"', ["1", "two\r\nlines"]),
        (6, '3,"say ""hi"""', ["3", 'say "hi"']),
        (7, "5,6", ["5", "6"]),
    ]


def test_gzip_is_read_transparently(tmp_path):
    header, rows = records(tmp_path, gzip.compress("\ufeffa,b\n1,2\n".encode()), "f.csv.gz")
    assert (header, rows) == (["a", "b"], [(2, "1,2", ["1", "2"])])


def test_chunks_keep_line_numbers_and_put_bad_records_aside(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n3\n4,5\n6,7,8\n9,10\n")
    with open_text(path, "f.csv") as stream:
        header, chunks = read_chunks(stream, "f.csv", chunk_rows=2)
        chunks = list(chunks)
    assert [list(c.frame.index) for c in chunks] == [[2, 4], [6]]
    assert chunks[0].frame.to_dict("list") == {"a": ["1", "4"], "b": ["2", "5"]}
    assert chunks[0].raw_lines == {2: "1,2", 4: "4,5"}
    assert chunks[0].bad_records == [(3, "3", "expected 2 fields, found 1")]
    assert chunks[1].bad_records == [(5, "6,7,8", "expected 2 fields, found 3")]


def test_several_unnamed_columns_are_allowed_but_a_repeated_name_is_not(tmp_path):
    header, _ = records(tmp_path, "a,,b,\n1,2,3,4\n")
    assert header == ["a", "", "b", ""]
    with pytest.raises(StructuralError, match=r"found 'b' twice \(columns 2 and 4\)"):
        records(tmp_path, "a,b,c,b\n1,2,3,4\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "f.csv: expected a CSV header line, found an empty file"),
        (",,\n,\n", "f.csv: expected a CSV header line, found an empty file"),
        ("\ufeff  <html>\n", r"f.csv: expected CSV, found an HTML or XML page \(starts '<html>'\)"),
        (
            b"a,b\n1,2\n3,\xff\n",
            r"f.csv: expected UTF-8 text, found undecodable bytes on line 3 \(b'\\xff', invalid "
            r"start byte\)",
        ),
        ('a,b\n1,"2\n3,4\n', "f.csv: .* found one opened on line 2 that runs to the end"),
    ],
)
def test_structural_problems(tmp_path, content, message):
    with pytest.raises(StructuralError, match=message):
        records(tmp_path, content)


def test_a_truncated_or_undecodable_gzip_is_structural(tmp_path):
    whole = gzip.compress(b"a,b\n" + b"1,2\n" * 5000)
    with pytest.raises(StructuralError, match="f.csv.gz: expected a complete gzip file"):
        records(tmp_path, whole[: len(whole) // 2], "f.csv.gz")
    latin = gzip.compress(b"a,b\n1,2\n3,caf\xe9\n")
    with pytest.raises(StructuralError, match="undecodable bytes on line 3"):
        records(tmp_path, latin, "g.csv.gz")


def test_a_literal_quote_after_a_multi_line_field_is_not_an_unclosed_quote(tmp_path):
    _, rows = records(tmp_path, 'a,b,c\n1,"x\ny",5" tall\n')
    assert rows == [(2, '1,"x\ny",5" tall', ["1", "x\ny", '5" tall'])]
