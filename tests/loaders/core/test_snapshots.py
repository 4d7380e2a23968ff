"""Captures of a file its publisher overwrites: the mirror's snapshots oldest first, each with
its capture stamp, and the current file only when it differs from the newest snapshot."""

import gzip
from datetime import datetime

import pytest

from loaders.core.snapshots import snapshot_files
from warehouse.settings import Mirror

FILE = "counts.csv"
EARLIER = "school,cases\nA,1\nB,2\n"
NEWEST = "school,cases\nA,3\nB,2\n"


def test_root_file_is_a_new_capture_only_when_it_differs_from_the_newest_snapshot(mirror):
    now = datetime(2021, 9, 1, 7, 30)
    mirror.put("toy", f"snapshots/2021-03-28_{FILE}", NEWEST)
    mirror.put("toy", f"snapshots/2021-02-10_{FILE}", EARLIER)
    mirror.put("toy", f"snapshots/2021-02-10_{FILE}.txt", "not a capture")
    mirror.put("toy", FILE, gzip.compress(NEWEST.encode()))  # same content, gzipped

    def listed():
        return [
            (f.relative_path, f.vintage)
            for f in snapshot_files(mirror.settings.sources, "toy", FILE, "u", now)
        ]

    assert listed() == [
        (f"snapshots/2021-02-10_{FILE}", "2021-02-10"),
        (f"snapshots/2021-03-28_{FILE}", "2021-03-28"),
    ]
    mirror.put("toy", FILE, NEWEST + "C,0\n")
    assert listed()[-1] == (FILE, "2021-09-01T07:30:00")


def test_a_second_capture_of_a_day_is_stamped_with_its_time(mirror):
    mirror.put("toy", f"snapshots/2021-03-28T1830_{FILE}", NEWEST)
    mirror.put("toy", f"snapshots/2021-03-28_{FILE}", EARLIER)
    mirror.put("toy", f"snapshots/2021-03-28T090015_{FILE}", EARLIER)
    assert [f.vintage for f in snapshot_files(mirror.settings.sources, "toy", FILE, "u")] == [
        "2021-03-28",
        "2021-03-28T09:00:15",
        "2021-03-28T18:30:00",
    ]


@pytest.mark.parametrize("mirror_setting", [None, "http://mirror.example/data"])
def test_without_a_folder_every_fetch_of_the_current_file_is_a_capture(mirror_setting):
    where = Mirror(mirror_setting)
    [current] = snapshot_files(where, "toy", FILE, "https://x/a.csv", datetime(2021, 9, 1))
    assert (current.relative_path, current.vintage) == (FILE, "2021-09-01T00:00:00")
