"""Replace files all at once: readers see the old version or the new one, never half of one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(*targets: Path) -> Iterator[list[Path]]:
    """Yields a temporary path beside each target; on success each replaces its target.

    The temporary files are in the target's own folder, so `os.replace` is an atomic rename.
    If the block raises, they are deleted and every target is left as it was.
    """
    temporaries = []
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporaries.append(target.with_name(f".{target.name}.{os.getpid()}.tmp"))
    try:
        yield temporaries
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
