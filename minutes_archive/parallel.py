"""Both cores: run work in this process and in forked processes that inherit its memory.

The parsed archive, the registries, the word list and the Jinja environment are built once
in the parent; forked children see them without pickling. Only the work items (file paths,
job numbers) go to the children, and their results come back a chunk at a time.

The parent does a share of the work itself rather than wait: every process that touches the
archive ends up with a private copy of the memory it touches (reference counts are written
to), so one process fewer is one copy of the archive fewer.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many work items a second process costs more than it saves.
PARALLEL_THRESHOLD = 200
# Neighbouring items (meetings parsed one after another) lie close together in memory, so
# they are handed out in runs: at 10,000 meetings the peak was 1.4 GiB with runs of 25 and
# 1.55-1.6 GiB with items dealt out one by one (two builds each).
RUN = 25
# A child sends its results back in chunks of this many items, so it never holds many.
CHUNK = 250

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters, from glibc's malloc.h

_function: Callable | None = None
_claiming: tuple | None = None  # what map_claiming's processes share: function, fixed work, shared work, claimed count


def return_freed_memory() -> None:
    """Make glibc give large freed blocks back to the system at once. By default it raises
    its threshold for mapping large blocks each time one is freed, after which long pages
    (some megabytes of HTML) are carved from the heap and their memory stays with the
    process: a render process grew by hundreds of MB that way. Elsewhere nothing happens."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 128 * 1024)
        libc.mallopt(M_TRIM_THRESHOLD, 1024 * 1024)
    except (OSError, AttributeError):
        pass


@contextmanager
def collector_restored() -> Iterator[None]:
    """Give the collector back, at the end, what was frozen within (by collector_paused and
    keep_survivors): a process that builds again and again (the live preview) would
    otherwise keep each build's cyclic garbage for good."""
    try:
        yield
    finally:
        gc.unfreeze()


def keep_survivors() -> None:
    """Keep what is alive now out of the collector's full passes (until collector_restored
    ends): map_claiming lets the frozen archive in again when its processes are done, and
    the passes over its millions of objects took 1.4 s of the rest of a build at 10,000
    meetings (after a decision was added)."""
    gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep Python's garbage collector off while the archive is loaded and grouped, then
    freeze what was made. That is millions of objects that all stay, and the collector's
    full passes scan every one of them again and again: at 10,000 meetings loading the
    parsed minutes took 5.4 s with it and 2.5 s without, grouping them 4.2 s and 1.6 s.
    Frozen, they are skipped by later passes (and not written to, see map_chunks). The
    parse processes forked meanwhile run without it too: parsing makes next to no cycles
    (each stayed at about 70 MB at 10,000 meetings)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()  # not after a failure: what it made is garbage then
    finally:
        if was_enabled:
            gc.enable()


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _in_one_process(count: int, workers: int) -> bool:
    """Whether count work items run here: one worker, too few items, or no fork."""
    return workers <= 1 or count < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods()


def map_chunks(function: Callable[[list[Item]], Result], items: Sequence[Item], workers: int) -> list[Result]:
    """function(chunk) for chunks of items, each process a fair share (runs of neighbouring
    items dealt out in turn): results in no particular order. Runs in this process when one
    worker suffices."""
    if _in_one_process(len(items), workers):
        return [function(list(items))]
    runs = [items[start:start + RUN] for start in range(0, len(items), RUN)]
    shares = [[item for run in runs[i::workers] for item in run] for i in range(workers)]
    chunks = [share[start:start + CHUNK] for share in shares[1:] for start in range(0, len(share), CHUNK)]
    global _function
    _function = function
    # Objects made so far stay out of garbage collection, which would otherwise write to
    # every one of them and copy the shared memory page by page (in the children and here).
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            theirs = pool.map_async(_call, chunks, chunksize=1)
            mine = function(shares[0])
            return [mine, *theirs.get()]
    finally:
        gc.unfreeze()
        _function = None


def _call(chunk):
    return _function(chunk)


def map_claiming(function: Callable[[list[Item]], Result], fixed: list[list[Item]], shared: Sequence[Item],
                 workers: int) -> list[Result]:
    """function(chunk) over fixed[i] in process i (this process is 0), then over runs of the
    shared items, each claimed by whichever process is free: results in no particular order.

    Fixed work keeps together what is better done in one process (pages that format the
    same entries fill one cache, not two); the shared work evens out the rest."""
    fixed = [list(share) for share in fixed]
    if _in_one_process(len(shared) + sum(map(len, fixed)), workers):
        return [function([item for share in fixed for item in share] + list(shared))]
    fixed += [[] for _ in range(workers - len(fixed))]
    # Fixed work beyond the processes at hand goes to the last of them.
    fixed = fixed[:workers - 1] + [[item for share in fixed[workers - 1:] for item in share]]
    context = multiprocessing.get_context("fork")
    global _claiming
    _claiming = (function, fixed, shared, context.Value("q", 0))
    gc.freeze()  # see map_chunks
    try:
        with context.Pool(workers - 1) as pool:
            theirs = pool.map_async(_claim, range(1, workers), chunksize=1)
            mine = _claim(0)
            return [*mine, *(result for results in theirs.get() for result in results)]
    finally:
        gc.unfreeze()
        _claiming = None


def _claim(process: int) -> list:
    assert _claiming is not None
    function, fixed, shared, claimed = _claiming
    results = [function(fixed[process])] if fixed[process] else []
    while True:
        with claimed.get_lock():
            start = claimed.value
            claimed.value = start + RUN
        if start >= len(shared):
            return results
        results.append(function(list(shared[start:start + RUN])))
