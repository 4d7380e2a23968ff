"""Every data file in the real mirror is listed by some loader table: nothing is forgotten.

Each source's own integration test loads its files and checks counts and rejects; this one
only checks that the registry, pointed at the mirror, covers every file there.
"""

import hashlib
from pathlib import Path

import pytest

from loaders.registry import TABLES
from warehouse.settings import Settings

pytestmark = pytest.mark.integration

NOT_DATA = {"SOURCES.md"}
IGNORED_FOLDERS = {"slices", "docs"}  # subsets for quick tests; publisher documentation


def mirror_files(root: Path) -> set[str]:
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file()
        and path.name not in NOT_DATA
        and not IGNORED_FOLDERS.intersection(path.relative_to(root).parts)
    }


def listed_files(root: Path) -> set[str]:
    listed = set()
    for spec in TABLES:
        for source_file in spec.files(Settings.from_env()):
            path = root / spec.source.name / source_file.relative_path
            if not path.exists() and path.with_name(path.name + ".gz").exists():
                path = path.with_name(path.name + ".gz")
            listed.add(str(path.relative_to(root)))
    return listed


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_mirror_file_is_listed_by_a_loader_table(shared_data, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(shared_data))
    listed = listed_files(shared_data)
    unlisted = mirror_files(shared_data) - listed
    # A current file that is a byte copy of a listed snapshot (CPS) holds nothing new.
    listed_digests = {digest(shared_data / name) for name in listed}
    missing = {name for name in unlisted if digest(shared_data / name) not in listed_digests}
    assert missing == set(), f"files in the mirror no loader lists: {sorted(missing)}"
    assert len(listed) >= 30
