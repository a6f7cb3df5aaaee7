"""Write stage: pages into a fresh folder beside the output, swapped in only when all went well."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import mmap
import os
import shutil
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from .render import Page

STAGING_PREFIX = ".site.tmp-"
RETIRED_PREFIX = ".site.old-"


class WriteError(Exception):
    """A page could not be written safely (path outside the output, written twice)."""


def refuse_unsafe_output(output_dir: Path, inputs: dict[str, Path | None], built_before: bool = False) -> None:
    """Raise WriteError if building would replace what is not a site: the build replaces
    the output folder whole, so "--output ." would delete the checkout, and "--output
    content" every minutes file. inputs names the folders the build reads or keeps (the
    content, the templates, the cache); None for one not used. built_before: the cache
    recorded a build into output_dir (a site of ours that lost its index.html, say)."""
    output = output_dir.resolve()
    for name, folder in inputs.items():
        if folder is None:
            continue
        folder = folder.resolve()
        if folder == output or output in folder.parents:
            raise WriteError(f"refusing to build into {output_dir}: it holds the {name} folder ({folder}); choose another --output")
        if folder in output.parents:
            raise WriteError(f"refusing to build into {output_dir}: it is inside the {name} folder ({folder}); choose another --output")
    if output.exists() and not output.is_dir():
        raise WriteError(f"refusing to build into {output_dir}: it is a file, not a folder")
    if output.is_dir() and (output / ".git").exists():
        raise WriteError(f"refusing to build into {output_dir}: it is a git repository; choose another --output")
    if output.is_dir() and not built_before and not (output / "index.html").is_file() and any(output.iterdir()):
        raise WriteError(f"refusing to build into {output_dir}: it is not empty and holds no site (no index.html), "
                         "and a build replaces the folder whole; empty it or choose another --output")


@contextmanager
def held(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock of lock_file (made if missing) meanwhile; wait for it if another
    process holds it. The lock goes with the process that held it, however it ends."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)


@contextmanager
def staging_folder(output_dir: Path) -> Iterator[Path]:
    """Yield an empty folder beside output_dir; remove it unless publish() took it. The
    folder is locked while the build runs, so that another build beside it (of another
    output folder, say) does not take it for a killed build's leftover."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_folders(output_dir)
    while True:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output_dir.parent))
        lock = _lock(staging)
        if staging.is_dir():
            break
        os.close(lock)  # removed by another build between its making and its locking
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        os.close(lock)


def remove_stale_folders(output_dir: Path) -> None:
    """Delete staging and retired folders left by a build that was killed: those that no
    running build holds locked (a lock goes with the process that held it)."""
    for prefix in (STAGING_PREFIX, RETIRED_PREFIX):
        for leftover in output_dir.parent.glob(f"{prefix}*"):
            try:
                lock = _lock(leftover, wait=False)
            except BlockingIOError:
                continue  # a build at work
            except OSError:
                continue  # gone, or not a folder
            try:
                shutil.rmtree(leftover, ignore_errors=True)
            finally:
                os.close(lock)


def _lock(folder: Path, wait: bool = True) -> int:
    """An open descriptor of folder, locked; the lock lasts until it is closed or the process ends."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


def write_page(page: Page, staging: Path) -> None:
    target = staging / safe_relative_path(page.output_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(page.content, str):
        target.write_text(page.content, encoding="utf-8", newline="\n")
        return
    if isinstance(page.content, bytes):
        target.write_bytes(page.content)
        return
    with target.open("w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(page.content)  # part by part: the whole would be held twice


def write_replaced(source: Path, target: Path, replacements: list[tuple[bytes, bytes]]) -> set[bytes]:
    """Write at target a copy of the file source with every occurrence of each old part
    replaced, and return the old parts it had (none: nothing is written). Bytes, not text:
    decoding and encoding a page of some MB takes ten times as long as the search."""
    data = source.read_bytes()
    found = [(old, new) for old, new in replacements if old in data]
    for old, new in found:
        data = data.replace(old, new)
    if found:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return {old for old, _ in found}


def write_spliced(source: Path, target: Path, replacements: list[tuple[bytes, bytes]]) -> bool:
    """Write at target a copy of the file source with each (old, new) part replaced; False
    (and nothing written) unless every old part occurs in it exactly once. For a long file
    of which a rebuild changes a few parts: the open data, 200 MB at 10,000 meetings. The
    parts are found in the file mapped to memory, and the kernel copies the rest (0.1 s,
    against 0.6 s to read, replace and write it in Python)."""
    with open(source, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        spans = []
        for old, new in replacements:
            start = data.find(old) if old else -1
            if start < 0 or data.find(old, start + 1) >= 0:
                return False
            spans.append((start, start + len(old), new))
        spans.sort()
        if any(end > next_start for (_, end, _), (next_start, _, _) in zip(spans, spans[1:])):
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb", buffering=0) as out:  # unbuffered: the kernel's copies go in between
            position = 0
            for start, end, new in spans:
                _copy_range(handle, out, position, start - position)
                _write_all(out, new)
                position = end
            _copy_range(handle, out, position, len(data) - position)
    return True


def _copy_range(source: BinaryIO, target: BinaryIO, offset: int, count: int) -> None:
    """Append count bytes of source from offset to the unbuffered target."""
    while count > 0:
        try:
            copied = os.copy_file_range(source.fileno(), target.fileno(), count, offset)
        except (AttributeError, OSError):  # not Linux, or not between these two files
            source.seek(offset)
            _write_all(target, source.read(count))
            return
        if copied == 0:
            raise OSError(f"{source.name} is shorter than it was")
        offset += copied
        count -= copied


def _write_all(target: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[target.write(view):]


def refuse_duplicates(urls: list[str]) -> None:
    """One output file, one page: two pages for one path mean a bug or a conflict in content."""
    seen: set[str] = set()
    for url in urls:
        relative = Page(url, "").output_path
        if relative in seen:
            raise WriteError(f"two pages for one output file: {relative}")
        seen.add(relative)


def safe_relative_path(path: str) -> str:
    """Return path if it is a plain relative path inside the output folder, else raise."""
    if any(part in ("..", ".", "") for part in path.split("/")) or "\\" in path or "\0" in path:
        raise WriteError(f"unsafe output path: {path!r}")
    return PurePosixPath(path).as_posix()


def move_into(folder: Path, output_dir: Path, urls: list[str], removed: list[str], retire_to: Path | None = None) -> None:
    """Move the files of urls from folder into output_dir, each replacing its old version at
    once (a rename), then delete the files of removed pages and the folders they leave empty.
    With retire_to, each old version is put there (exchanged out, or linked there first
    where files cannot be exchanged), for the caller to delete: this disk takes 0.3 s to
    free the 200 MB of open data a rebuild replaces."""
    if retire_to is not None:
        retire_to.mkdir(parents=True, exist_ok=True)
    for number, url in enumerate(urls):
        relative = safe_relative_path(Page(url, "").output_path)
        new, target = folder / relative, output_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if exchange(new, target):  # the old version is now where the new one was
            if retire_to is not None:
                os.replace(new, retire_to / str(number))
            continue
        if retire_to is not None:
            try:
                os.link(target, retire_to / str(number))
            except FileNotFoundError:
                pass  # a new file
        os.replace(new, target)
    for url in removed:
        target = output_dir / safe_relative_path(Page(url, "").output_path)
        target.unlink(missing_ok=True)
        for parent in target.parents:
            if parent == output_dir or any(parent.iterdir()):
                break
            parent.rmdir()


@contextmanager
def freed_meanwhile(folder: Path) -> Iterator[None]:
    """Delete folder (the old versions move_into retired there) in a thread while the block
    runs, and wait for it at the end. Freeing a file of some MB is the kernel's work, not
    Python's, and slow on this disk: 1.5 ms a file, 1.3 s for the 800 files a meeting added
    replaced at 10,000 meetings (about 1,180 now that the lists are made year by year),
    which the search index's update or the build's record can hide."""
    thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, name="freeing")
    thread.start()
    try:
        yield
    finally:
        thread.join()


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2  # from linux/fcntl.h and linux/fs.h
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
if hasattr(_libc, "renameat2"):
    _libc.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]


def exchange(new: Path, old: Path) -> bool:
    """Swap the files at new and old in one step (renameat2 with RENAME_EXCHANGE), so that
    readers of old see the old version or the new, never neither; False (nothing done)
    where that cannot be done: not Linux, an old C library or file system, no file at old.
    A rename over a file, its usual replacement, makes ext4 write the new file out before
    the rename returns (auto_da_alloc: 0.12 s for the 110 MB of meetings.json at 10,000
    meetings); an exchange leaves that to the kernel's writeback, as for any file written.
    The price: after a power cut before that writeback, old may be empty, as a new file
    may. The next build sees another size and builds the whole site again."""
    rename = getattr(_libc, "renameat2", None)
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(old), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.ENOENT, errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EXDEV):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(old))


def link_tree(source: Path, target: Path) -> None:
    """A copy of source at target whose files are hard links (copies where links fail)."""
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def replace_folder(new: Path, old: Path) -> None:
    """Put new where old is, with renames; old, if there was one, is deleted afterwards."""
    retired = old.with_name(old.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        os.replace(old, retired)
    os.replace(new, old)
    shutil.rmtree(retired, ignore_errors=True)


def copy_assets(assets_dir: Path, staging: Path) -> None:
    """Copy the templates' static assets (CSS, JS) to /assets/."""
    if assets_dir.is_dir():
        shutil.copytree(assets_dir, staging / "assets", symlinks=False)


def publish(staging: Path, output_dir: Path) -> None:
    """Replace output_dir with staging: two renames, the old site deleted only afterwards."""
    output_dir = output_dir.resolve()
    if not output_dir.exists():
        os.replace(staging, output_dir)
        return
    lock = _lock(output_dir)  # held while it is the retired folder: not a leftover to another build
    try:
        retired = Path(tempfile.mkdtemp(prefix=RETIRED_PREFIX, dir=output_dir.parent))
        os.rmdir(retired)
        os.replace(output_dir, retired)
        try:
            os.replace(staging, output_dir)
        except OSError:
            os.replace(retired, output_dir)  # put the old site back
            raise
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        os.close(lock)
