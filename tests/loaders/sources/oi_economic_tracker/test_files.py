"""Which Policy Milestones files a load lists: a folder mirror's earlier vintage first, then
the current file (the only one a URL offers)."""

from loaders.core.spec import SourceFile
from loaders.sources.oi_economic_tracker.policy import POLICY_MILESTONES_STATE as POLICY
from tests.loaders.sources.oi_economic_tracker.files import VINTAGE_PATH, WIDE
from warehouse.settings import Settings


def test_policy_files_list_the_mirror_vintage_first(mirror, monkeypatch):
    official = POLICY.official_url
    assert POLICY.files(Settings.from_env()) == [
        SourceFile(POLICY.file_name, official)
    ]  # no vintage folder
    mirror.put("oi_economic_tracker", VINTAGE_PATH, WIDE)
    [vintage, now] = POLICY.files(Settings.from_env())
    assert (vintage.relative_path, vintage.vintage) == (VINTAGE_PATH, "2020-11-13")
    assert "ba81ca353805e948b9420ccec5e7b4860ccb46e6" in vintage.official_url
    assert now == SourceFile(POLICY.file_name, official)
    for elsewhere in ("http://mirror.example/data", ""):
        monkeypatch.setenv("WAREHOUSE_SOURCES", elsewhere)
        assert POLICY.files(Settings.from_env()) == [SourceFile(POLICY.file_name, official)]
