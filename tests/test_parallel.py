import gc
import os

from minutes_archive import parallel
from minutes_archive.bounded import BoundedCache


def _who_did_what(chunk):
    return os.getpid(), chunk


def test_every_item_is_done_once_and_this_process_does_a_share(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 1)
    items = list(range(1000))
    results = parallel.map_chunks(_who_did_what, items, workers=2)
    assert sorted(item for _, chunk in results for item in chunk) == items
    done_here = [item for pid, chunk in results if pid == os.getpid() for item in chunk]
    assert len(done_here) == 500
    # Neighbouring items go to one process in runs: they share memory pages.
    assert done_here[: parallel.RUN] == list(range(parallel.RUN))
    assert all(len(chunk) <= parallel.CHUNK for pid, chunk in results if pid != os.getpid())


def test_one_worker_or_few_items_run_here(monkeypatch):
    assert parallel.map_chunks(_who_did_what, [1, 2, 3], workers=2) == [(os.getpid(), [1, 2, 3])]
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 1)
    assert parallel.map_chunks(_who_did_what, [1, 2, 3], workers=1) == [(os.getpid(), [1, 2, 3])]


def test_a_bounded_cache_starts_over_when_full():
    cache = BoundedCache(size=2)
    assert cache.put("a", 1) == 1
    cache.put("b", 2)
    assert (cache.get("a"), cache.get("b"), len(cache)) == (1, 2, 2)
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("c"), len(cache)) == (None, 3, 1)


def test_claiming_does_fixed_work_where_it_is_fixed_and_shared_work_once(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 1)
    here, there, shared = list(range(0, 50)), list(range(50, 60)), list(range(100, 1100))
    results = parallel.map_claiming(_who_did_what, [here, there], shared, workers=2)
    assert sorted(item for _, chunk in results for item in chunk) == here + there + shared
    by_process = {}
    for pid, chunk in results:
        by_process.setdefault(pid, []).extend(chunk)
    assert set(here) <= set(by_process[os.getpid()])
    [child] = [pid for pid in by_process if pid != os.getpid()]
    assert set(there) <= set(by_process[child])
    # Shared work is claimed in runs of neighbours.
    assert all(len(chunk) <= parallel.RUN for _, chunk in results if chunk and chunk[0] >= 100)


def test_claiming_in_one_process_does_everything_here(monkeypatch):
    assert parallel.map_claiming(_who_did_what, [[1], [2]], [3, 4], workers=1) == [(os.getpid(), [1, 2, 3, 4])]
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 1)
    results = parallel.map_claiming(_who_did_what, [[1], [2], [3]], list(range(10, 300)), workers=2)
    assert sorted(item for _, chunk in results for item in chunk) == [1, 2, 3, *range(10, 300)]


def test_the_collector_is_paused_and_what_was_made_frozen():
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with parallel.collector_paused():
            assert not gc.isenabled()
            kept = [[n] for n in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
    try:
        with parallel.collector_paused():
            raise ValueError("a content error")
    except ValueError:
        pass
    assert gc.isenabled() and gc.get_freeze_count() == 0
