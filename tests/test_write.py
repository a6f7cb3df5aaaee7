"""Write stage: staging folder, safe paths, and the swap that never loses the old site."""

import shutil
import threading

import pytest

from minutes_archive.render import Page
from minutes_archive.write import (WriteError, exchange, freed_meanwhile, move_into, publish, refuse_duplicates, safe_relative_path, staging_folder, write_page,
                                    write_spliced)


def test_pages_are_written_and_swapped_in(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old")
    with staging_folder(site) as staging:
        for page in [Page("/", "hem"), Page("/kommuner/", "k"), Page("/404.html", "nf")]:
            write_page(page, staging)
        publish(staging, site)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == ["404.html", "index.html", "kommuner/index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_failure_while_writing_leaves_the_old_site_and_no_staging(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("published")

    def pages():
        yield Page("/", "new")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        with staging_folder(site) as staging:
            for page in pages():
                write_page(page, staging)
            publish(staging, site)
    assert (site / "index.html").read_text() == "published"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_stale_staging_folders_from_a_killed_build_are_removed(tmp_path):
    site = tmp_path / "site"
    (tmp_path / ".site.tmp-abc").mkdir()
    (tmp_path / ".site.old-def").mkdir()
    with staging_folder(site) as staging:
        publish(staging, site)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_build_beside_another_leaves_its_staging_folder_alone(tmp_path):
    with staging_folder(tmp_path / "site") as staging:
        (staging / "index.html").write_text("being built", encoding="utf-8")
        with staging_folder(tmp_path / "preview") as other:
            publish(other, tmp_path / "preview")
        assert (staging / "index.html").read_text(encoding="utf-8") == "being built"
        publish(staging, tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["preview", "site"]


def test_one_output_file_is_never_written_twice(tmp_path):
    with pytest.raises(WriteError, match="two pages for one output file: a/index.html"):
        refuse_duplicates(["/a/", "/b/", "/a/"])


@pytest.mark.parametrize("path", ["../x.html", "/etc/passwd", "a/../../x", "a\\b", "a\0b", "./x", "a//b"])
def test_paths_outside_the_output_are_refused(path):
    with pytest.raises(WriteError):
        safe_relative_path(path)


def test_a_page_in_parts_is_written_as_their_concatenation(tmp_path):
    write_page(Page("/data/big.json", ('{"a":[\n', "1", ",\n", "2", "\n]}\n")), tmp_path)
    assert (tmp_path / "data" / "big.json").read_text(encoding="utf-8") == '{"a":[\n1,\n2\n]}\n'


def test_a_spliced_copy_has_each_part_replaced(tmp_path):
    source = tmp_path / "meetings.json"
    source.write_bytes(b'{"meetings":[\n{"url":"/a/"},\n{"url":"/b/"},\n{"url":"/c/"}\n]}\n')
    assert write_spliced(source, tmp_path / "out/meetings.json", [(b'{"url":"/c/"}', b'{"url":"/c/","x":1}'), (b'{"url":"/a/"}', b"{}")])
    assert (tmp_path / "out/meetings.json").read_bytes() == b'{"meetings":[\n{},\n{"url":"/b/"},\n{"url":"/c/","x":1}\n]}\n'


@pytest.mark.parametrize("old", [b'{"url":"/d/"}', b'"url"', b""])
def test_a_part_that_is_not_there_once_is_not_spliced(tmp_path, old):
    source = tmp_path / "meetings.json"
    source.write_bytes(b'[{"url":"/a/"},{"url":"/b/"}]')
    assert not write_spliced(source, tmp_path / "copy.json", [(old, b"{}")])
    assert not (tmp_path / "copy.json").exists()


@pytest.mark.parametrize("exchanges", [True, False], ids=["exchanged", "renamed over"])
def test_moving_into_the_output_replaces_files_and_retires_the_old_versions(tmp_path, monkeypatch, exchanges):
    if not exchanges:  # elsewhere than Linux, or a file system that cannot exchange
        monkeypatch.setattr("minutes_archive.write.exchange", lambda new, old: False)
    staging, output, retired = tmp_path / "staging", tmp_path / "site", tmp_path / "staging/.retired"
    for folder, text in ((staging, "new"), (output, "old")):
        (folder / "data").mkdir(parents=True)
        (folder / "data/meetings.json").write_text(text)
    (staging / "a/b").mkdir(parents=True)
    (staging / "a/b/index.html").write_text("added")
    (output / "gone").mkdir()
    (output / "gone/index.html").write_text("removed")
    move_into(staging, output, ["/data/meetings.json", "/a/b/"], removed=["/gone/"], retire_to=retired)
    assert (output / "data/meetings.json").read_text() == "new"
    assert (output / "a/b/index.html").read_text() == "added"
    assert not (output / "gone").exists()
    assert [path.read_text() for path in retired.iterdir()] == ["old"]
    assert not (staging / "data/meetings.json").exists()


def test_an_exchange_swaps_two_files_or_does_nothing(tmp_path):
    (tmp_path / "a").write_text("a")
    (tmp_path / "b").write_text("b")
    if not exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("no renameat2 with RENAME_EXCHANGE here")
    assert ((tmp_path / "a").read_text(), (tmp_path / "b").read_text()) == ("b", "a")
    assert not exchange(tmp_path / "a", tmp_path / "missing")
    assert (tmp_path / "a").read_text() == "b" and not (tmp_path / "missing").exists()


def test_a_folder_is_freed_while_the_block_runs_and_gone_after_it(tmp_path, monkeypatch):
    folder = tmp_path / "retired"
    folder.mkdir()
    (folder / "0").write_bytes(b"old version")
    block_running, seen = threading.Event(), []
    real_rmtree = shutil.rmtree

    def rmtree(path, **kwargs):
        seen.append(block_running.wait(timeout=10))  # True only if the block ran meanwhile
        real_rmtree(path, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    with pytest.raises(RuntimeError):
        with freed_meanwhile(folder):
            block_running.set()
            raise RuntimeError("the build failed after the move")
    assert seen == [True] and not folder.exists()
