"""Python's cycle collector paused while a step builds many objects that hold no cycles (大量の行を作る処理).

The collector runs after every 700 new container objects (tuples, lists, dicts…) and, every so often,
walks every object the process holds. A step that builds a hundred thousand rows and records sets it
off thousands of times to find nothing: the 全銀 export of a large batch (its lines, one transfer per
payee, the file's records) spent a sixth of its time there, a year's invoice import (each invoice read,
checked and stored) a tenth. Inside ``collector_paused()`` every object is still freed by reference
counting the moment it is no longer used; only the search for cycles waits until the block ends (the
import's peak memory did not move).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; it resumes after it only if it was running before."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
