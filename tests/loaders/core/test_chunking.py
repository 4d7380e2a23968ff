"""Chunks are bounded by fields as well as records, so a wide file is read in bounded memory."""

from loaders.core.reader import open_text, read_chunks
from loaders.sources.jhu_csse.time_series import DEATHS_US


def chunk_shapes(tmp_path, width: int, records: int, chunk_rows: int, chunk_cells: int | None):
    header = ",".join(f"c{i}" for i in range(width))
    body = "".join(",".join(str(r) for _ in range(width)) + "\n" for r in range(records))
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n" + body)
    with open_text(path, "wide.csv") as stream:
        _, chunks = read_chunks(stream, "wide.csv", chunk_rows, chunk_cells)
        return [chunk.frame.shape for chunk in chunks]


def test_a_wide_file_gets_fewer_records_per_chunk(tmp_path):
    assert chunk_shapes(tmp_path, 10, 25, 50_000, 100) == [(10, 10), (10, 10), (5, 10)]
    assert chunk_shapes(tmp_path, 100, 25, 50_000, 1_000) == [(10, 100), (10, 100), (5, 100)]


def test_records_stay_whole_and_the_row_cap_still_holds(tmp_path):
    assert chunk_shapes(tmp_path, 300, 3, 50_000, 100) == [(1, 300)] * 3  # wider than the budget
    assert chunk_shapes(tmp_path, 2, 7, 3, 1_000) == [(3, 2), (3, 2), (1, 2)]


def test_the_jhu_series_chunk_by_fields_not_by_places(tmp_path):
    days = 3_500  # the 10x bench file's width
    header = "UID,FIPS,Admin2,Province_State,Country_Region,Population," + ",".join(
        f"1/{1 + d % 28}/{10 + d // 28:02d}" for d in range(days)
    )
    row = "1,1001.0,A,B,US,5," + ",".join("0" for _ in range(days)) + "\n"
    path = tmp_path / "us.csv"
    path.write_text(header + "\n" + row * 400)
    with open_text(path, "us.csv") as stream:
        _, chunks = DEATHS_US.read(stream, "us.csv")
        sizes = [chunk.frame.size for chunk in chunks]
    assert max(sizes) <= DEATHS_US.chunk_cells
    assert sum(sizes) == 400 * (days + 6)
