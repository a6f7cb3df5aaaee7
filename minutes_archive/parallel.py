"""Both cores: run work in forked processes that inherit the parent's memory.

The parsed archive, the registries, the word list and the Jinja environment are built once
in the parent; forked children see them without pickling. Only the work items (file paths,
job numbers) go to the children, and only small results come back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many work items a second process costs more than it saves.
PARALLEL_THRESHOLD = 200

_function: Callable | None = None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def map_chunks(function: Callable[[list[Item]], Result], items: Sequence[Item], workers: int) -> list[Result]:
    """function(chunk) for chunks of items, interleaved so each process gets a fair share
    (items 0, 2, 4, … and 1, 3, 5, …): results in chunk order, not item order. Runs in this
    process when one worker suffices."""
    if workers <= 1 or len(items) < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        return [function(list(items))]
    chunks = [list(items[i::workers]) for i in range(workers)]
    global _function
    _function = function
    # Objects the parent made stay out of the children's garbage collection, which would
    # otherwise write to every one of them and copy the parent's memory page by page.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_call, chunks, chunksize=1)
    finally:
        gc.unfreeze()
        _function = None


def _call(chunk):
    return _function(chunk)
