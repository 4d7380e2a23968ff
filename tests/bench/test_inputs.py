"""The bench's generated inputs: n copies of the days, moved back a span each, same values."""

import gzip

import pandas as pd

from bench.inputs import FILE, SOURCE, longer, shifted_header

HEADER = "UID,Admin2,Population,1/30/20,1/31/20,2/1/20\n"
ROWS = '1,"Kent, DE",10,0,1,2\n2,Sussex,20,3,,5\n'


def test_the_header_tiles_the_days_backwards_ending_on_the_real_last_day():
    header = shifted_header(HEADER.strip().split(","), 3)
    assert header[:3] == ["UID", "Admin2", "Population"]
    assert header[3:] == [
        "1/24/20", "1/25/20", "1/26/20",
        "1/27/20", "1/28/20", "1/29/20",
        "1/30/20", "1/31/20", "2/1/20",
    ]  # fmt: skip


def test_a_3x_file_repeats_every_place_s_values_and_is_labelled(tmp_path):
    real = tmp_path / "real.csv.gz"
    real.write_bytes(gzip.compress((HEADER + ROWS).encode()))
    mirror = longer(real, 3, tmp_path / "mirror")
    assert "GENERATED" in (mirror / "GENERATED.txt").read_text()
    generated = pd.read_csv(mirror / SOURCE / FILE, dtype=str, keep_default_na=False)
    original = pd.read_csv(real, dtype=str, keep_default_na=False)
    assert generated.shape == (2, 3 + 9)
    days = original.columns[3:]
    for copy in range(3):
        part = generated.iloc[:, 3 + 3 * copy : 6 + 3 * copy]
        assert part.to_numpy().tolist() == original[days].to_numpy().tolist()
    assert generated.iloc[:, :3].equals(original.iloc[:, :3])


def test_extra_days_follow_the_last_day_and_repeat_its_values(tmp_path):
    real = tmp_path / "real.csv.gz"
    real.write_bytes(gzip.compress((HEADER + ROWS).encode()))
    mirror = longer(real, 1, tmp_path / "mirror", extra_days=2)
    generated = pd.read_csv(mirror / SOURCE / FILE, dtype=str, keep_default_na=False)
    assert list(generated.columns[3:]) == ["1/30/20", "1/31/20", "2/1/20", "2/2/20", "2/3/20"]
    assert generated["2/3/20"].tolist() == generated["2/1/20"].tolist() == ["2", "5"]
