"""The bench's new day: each daily file gains its last day's rows (or column) a day later, the
rest of the file unchanged, and a linked real file is never written through."""

import csv
import io

from bench import new_day

HHS = new_day.LONG_FILES[3].path
OI = "oi_economic_tracker/Womply Revenue - County - Daily.csv"
GLOBAL = new_day.WIDE_FILES[0]


def write(path, content: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_a_long_file_gains_its_last_days_rows_dated_a_day_later(tmp_path):
    real = write(
        tmp_path / "real.csv",
        "\ufeffstate,date,beds\r\n"
        'DE,2020/08/09,"2,441"\r\n'
        'IL,2020/08/10,"1,706"\r\n'
        "DE,2020/08/08,12\r\n"
        'MD,2020/08/10,"10,756"\r\n'.encode(),
    )
    mirror = tmp_path / "mirror"
    (mirror / HHS).parent.mkdir(parents=True)
    (mirror / HHS).symlink_to(real)
    before = real.read_bytes()

    assert new_day.add_day(mirror) == [HHS]

    after = (mirror / HHS).read_bytes()
    assert after.startswith(before) and b"\r\n" in after[len(before) :]
    assert rows(mirror / HHS)[5:] == [["IL", "2020/08/11", "1,706"], ["MD", "2020/08/11", "10,756"]]
    assert real.read_bytes() == before and not (mirror / HHS).is_symlink()


def test_year_month_day_columns_roll_over_the_month_and_year(tmp_path):
    write(
        tmp_path / OI,
        b"year,month,day,countyfips,revenue_all\n2020,12,31,10003,-.08\n2020,12,30,10005,.1",
    )
    new_day.add_day(tmp_path)
    assert rows(tmp_path / OI)[1:] == [
        ["2020", "12", "31", "10003", "-.08"],
        ["2020", "12", "30", "10005", ".1"],
        ["2021", "1", "1", "10003", "-.08"],
    ]


def test_a_wide_time_series_gains_a_column_repeating_its_last(tmp_path):
    write(
        tmp_path / GLOBAL,
        b"Province/State,Country/Region,Lat,Long,12/30/20,12/31/20\n,Chad,15.4,18.7,104,108\n",
    )
    assert new_day.add_day(tmp_path) == [GLOBAL]
    assert rows(tmp_path / GLOBAL) == [
        ["Province/State", "Country/Region", "Lat", "Long", "12/30/20", "12/31/20", "1/1/21"],
        ["", "Chad", "15.4", "18.7", "104", "108", "108"],
    ]


def test_files_the_mirror_lacks_are_left_out(tmp_path):
    assert new_day.add_day(tmp_path) == []
