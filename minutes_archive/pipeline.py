"""The build, stage by stage: read, parse, archive, render, write, index."""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import jinja2

from .archive import Archive, build_archive, find_url_conflicts, placement
from .cache import SETTLED_NS, STORE, TEMPLATES, BuildCache, LastBuild, OutputChanges, code_fingerprint, folder_fingerprint, sha
from .errors import BuildError, ContentError, counted, display_path
from .index import index_pages, index_shard
from .links import LinksOf, check_links
from .memo import PageMemo, PageRecord
from .model import Meeting, Registry
from .open_data import FILES as OPEN_DATA_FILES, merged, splices
from .parallel import collector_paused, collector_restored, default_workers, keep_survivors, map_chunks, map_claiming, return_freed_memory
from .parse import MeetingParser, ParsedFile, parse_minutes_files, parse_registries
from .provenance import BuildInfo, read_build_info
from .read import MINUTES_DIR, find_minutes_files, read_registries
from .render import (DECISION_LISTS, MEETING_PAGE, OPEN_DATA, OTHER_PAGES, CompiledTemplates, Job, ListEntry, Page, Pager, SiteEnvironment, is_html, list_entries,
                     meeting_pager, new_environment, pages_listing, render_jobs, render_meeting_page, render_site, render_sitemap)
from .shard_words import read_words, shard_words, vocabulary_pages, write_words
from .shards import SHARD_PAGES, VOCABULARY_FOLDER, Shard, indexed_digest, meeting_months, plan_shards, shard_fingerprints
from .store import MeetingStore
from .timings import Timings
from .word_list import FILES as WORD_LIST_FILES, WORD_LIST_FOLDER, write_word_list
from .write import (copy_assets, freed_meanwhile, held, link_tree, move_into, publish, refuse_duplicates, refuse_unsafe_output,
                    replace_folder, staging_folder, write_page, write_replaced, write_spliced)


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    templates_dir: Path
    output_dir: Path
    search: bool = True
    base_url: str | None = None
    """Overrides site.yaml's base_url (for a local preview or another host)."""
    strict: bool = False
    """Warnings stop the build like errors."""
    workers: int = 0
    """Processes for parsing and rendering; 0 means one per core."""
    cache_dir: Path | None = None
    """Where parsed minutes and build fingerprints are kept; None: no cache."""
    shard_pages: int = SHARD_PAGES
    """Meeting pages per search shard at most; a smaller archive has one search bundle."""

    def absolute(self) -> "BuildOptions":
        """The same options with absolute folders: the cache keys each minutes file and output
        folder by its path, so 'content' and '/srv/archive/content' must be one path. (Not
        resolved: an output folder that is a symbolic link stays one.)"""
        def absolute_path(folder: Path | None) -> Path | None:
            return None if folder is None else Path(os.path.abspath(folder))
        return replace(self, content_dir=absolute_path(self.content_dir), templates_dir=absolute_path(self.templates_dir),
                       output_dir=absolute_path(self.output_dir), cache_dir=absolute_path(self.cache_dir))


@dataclass(frozen=True)
class BuildReport:
    meetings: int
    decisions: int
    files: int
    search_summary: str
    warnings: tuple[ContentError, ...] = ()


def load_archive(content_dir: Path, base_url: str | None = None) -> Archive:
    """Read and parse all content and group it; raise BuildError listing every content error."""
    return _load(content_dir, base_url, strict=False, workers=1).archive()


@dataclass(frozen=True)
class Loaded:
    registry: Registry
    meetings: tuple[Meeting, ...]
    warnings: tuple[ContentError, ...]
    inputs: str
    """Fingerprint of every input read: code, registries, minutes."""
    meeting_keys: dict[str, str]
    """Cache key of each meeting's minutes file, by meeting URL (for the render memo)."""

    def archive(self) -> Archive:
        return build_archive(self.registry, self.meetings)

    def store(self, folder: Path, packed: bool) -> MeetingStore:
        """The store of the whole meetings whose outlines were loaded (see _load)."""
        return MeetingStore(folder, self.registry, self.meeting_keys, partial(_reparse_file, self.registry), packed)


@dataclass(frozen=True)
class Survey:
    """What a build will read, before any parsing: enough to tell that nothing changed."""

    registry: Registry
    paths: tuple[Path, ...]
    keys: tuple[str, ...]
    """Cache key of each minutes file ('' for one that cannot be read)."""
    inputs: str
    """Fingerprint of every input: code, registries, options that shape parsing, minutes."""
    context: str
    """Fingerprint of what every minutes file is parsed with: code, registries, base URL."""
    errors: tuple[ContentError, ...] = ()
    """What is wrong among the minutes files found (a file that is not one, a symlink): the
    build goes on to parse the others, so that it reports their errors with these."""

    @property
    def files(self) -> dict[str, str]:
        """The cache key of each minutes file, by path."""
        return dict(zip(map(str, self.paths), self.keys))


def _survey(content_dir: Path, base_url: str | None, cache: BuildCache | None = None) -> Survey:
    """Read the registries and fingerprint every minutes file; raise BuildError on registry errors."""
    errors: list[ContentError] = []
    registries = read_registries(content_dir, errors)
    registry = parse_registries(registries, base_url, errors)
    if registry is None or errors:
        raise BuildError(errors)
    file_errors: list[ContentError] = []
    paths = find_minutes_files(content_dir / MINUTES_DIR, file_errors)
    context = sha(code_fingerprint(), base_url or "", *(f"{name}\n{(content_dir / name).read_text(encoding='utf-8')}" for name in sorted(registries)))
    keys = _file_keys(paths, context, cache or BuildCache(None))
    return Survey(registry, tuple(paths), tuple(keys), sha(context, *sorted(keys)), context, tuple(file_errors))


def _file_keys(paths: list[Path], context: str, cache: BuildCache) -> list[str]:
    """The cache key of each minutes file ('' for one that cannot be read). A file is read
    and hashed unless its size and modification time are those it had when it was last
    hashed, and that time had settled then (git decides what to re-read the same way): at
    10,000 files, a stat each takes 0.1 s and reading them all 0.6-0.9 s."""
    known = cache.file_keys(context)
    settled_before = time.time_ns() - SETTLED_NS
    keys, settled = [], {}
    for name in map(str, paths):  # os.stat of a str: a third of the time of Path.stat at 10,000 files
        try:
            stat = os.stat(name)
            size, time_ns = stat.st_size, stat.st_mtime_ns
            entry = known.get(name)
            if entry is not None and entry[0] == size and entry[1] == time_ns:
                key = entry[2]
            else:
                key = _file_key(context, name)
        except OSError:
            keys.append("")
            continue
        keys.append(key)
        if time_ns < settled_before:
            settled[name] = (size, time_ns, key)
    if settled != known:
        cache.remember_file_keys(context, settled)
    return keys


def _load(content_dir: Path, base_url: str | None, strict: bool, workers: int, cache: BuildCache | None = None,
          survey: Survey | None = None, store_folder: Path | None = None) -> Loaded:
    """Parse every minutes file (those not in the cache, in parallel) and check the whole.
    With a store folder, whole meetings are kept there and the archive holds outlines."""
    cache = cache or BuildCache(None)
    survey = survey or _survey(content_dir, base_url)
    cached = [cache.load_parsed(key) if key else None for key in survey.keys]
    missing = [(path, key) for path, key, hit in zip(survey.paths, survey.keys, cached) if hit is None]
    parser = MeetingParser(survey.registry, words_in=cache.folder)
    store = MeetingStore(store_folder, survey.registry, packed=not cache.enabled) if store_folder is not None else None
    # The processes take interleaved shares of the files: results are matched up by path.
    fresh = {path: p for chunk in map_chunks(partial(_parse_files, parser, cache, store, survey.context), missing, workers) for path, p in chunk}
    parsed = [hit if hit is not None else fresh[path] for hit, path in zip(cached, survey.paths)]
    errors = [*survey.errors, *(e for p in parsed for e in p.errors)]
    warnings = tuple(sorted(w for p in parsed for w in p.warnings))
    if strict:
        errors += warnings
    meetings = tuple(p.meeting for p in parsed if p.meeting is not None)
    errors += find_url_conflicts(meetings)  # with the other errors: every problem in one run
    if errors:
        raise BuildError(errors)
    keys = {p.meeting.url: key for p, key in zip(parsed, survey.keys) if p.meeting is not None}
    return Loaded(survey.registry, meetings, warnings, survey.inputs, keys)


def _parse_files(parser: MeetingParser, cache: BuildCache, store: MeetingStore | None, context: str,
                 files: list[tuple[Path, str]]) -> list[tuple[Path, ParsedFile]]:
    """Parse minutes files, keep each whole meeting in the store and its outline in the
    cache: the unit of work of one process. context: what the keys were made with (_survey)."""
    results = []
    for path, key in files:
        [parsed] = parse_minutes_files(parser, [path])
        if key and _key_now(context, path) != key:
            # Edited since the build took its key: what was parsed may be either version, and
            # kept under the key of the first it would come back when the edit is undone.
            results.append((path, ParsedFile(None, (ContentError(display_path(path), 1, "changed while the build read it; build again"),), ())))
            continue
        if store is not None and parsed.meeting is not None and key:
            store.keep(key, parsed.meeting)
            parsed = replace(parsed, meeting=parsed.meeting.outlined())
        if key:
            cache.store_parsed(key, parsed)
        results.append((path, parsed))
    return results


def _file_key(context: str, name: str) -> str:
    """The cache key of the minutes file name (a path) as it is now; raises OSError."""
    with open(name, "rb") as handle:
        return sha(context, name, handle.read())


def _key_now(context: str, path: Path) -> str:
    """_file_key of path, '' if it cannot be read."""
    try:
        return _file_key(context, str(path))
    except OSError:
        return ""


def _reparse_file(registry: Registry, path: Path) -> Meeting | None:
    return parse_minutes_files(MeetingParser(registry), [path])[0].meeting


@contextmanager
def store_folder(cache: BuildCache) -> Iterator[Path]:
    """Where whole meetings are kept: in the cache folder, else for this build only."""
    if cache.enabled:
        yield cache.folder / STORE
        return
    with tempfile.TemporaryDirectory(prefix="minutes-store-") as folder:
        yield Path(folder)


def compiled_templates(cache: BuildCache) -> CompiledTemplates | None:
    return CompiledTemplates(cache.folder / TEMPLATES) if cache.enabled else None


def render_archive(archive: Archive, templates_dir: Path, build: BuildInfo | None = None) -> list[Page]:
    """Render every file of the site in memory, in one process (for tests and tools)."""
    env = new_environment(templates_dir, archive.registry, build)
    try:
        return [page if isinstance(page.content, str) else Page(page.url, "".join(page.content), page.key)
                for page in render_site(archive, env)]
    except jinja2.TemplateError as exc:
        raise BuildError([_template_error(exc, templates_dir)]) from None


def _template_error(exc: jinja2.TemplateError, templates_dir: Path) -> ContentError:
    """A template error as file:line: message, the file and line of the template."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return ContentError(_template_path(templates_dir, exc.name or exc.filename), exc.lineno, f"template error: {exc.message}")
    name, line = _template_frame(exc, templates_dir)
    return ContentError(name, line, f"template error: {exc}")


def _template_path(templates_dir: Path, name: str | None) -> str:
    return display_path(templates_dir / name) if name else display_path(templates_dir)


def _template_frame(exc: BaseException, templates_dir: Path) -> tuple[str, int]:
    """The innermost template file and line in a rendering traceback."""
    found = (display_path(templates_dir), 1)
    root = str(templates_dir.resolve())
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(root):
            found = (display_path(Path(filename)), line)
    return found


def check(options: BuildOptions, timings: Timings | None = None) -> BuildReport:
    """Everything a build does except publishing: load, render and check, into a folder
    that is thrown away (and no search index)."""
    cache, timings = BuildCache(options.cache_dir), timings or Timings()
    with collector_restored(), store_folder(cache) as store, tempfile.TemporaryDirectory(prefix="minutes-check-") as folder:
        with collector_paused():
            with timings.stage("read and parse the minutes"):
                loaded = _load(options.content_dir, options.base_url, options.strict, _workers(options), cache, store_folder=store)
            with timings.stage("group the archive"):
                archive = loaded.archive()
        env = new_environment(options.templates_dir, archive.registry, read_build_info(options.content_dir),
                              store=loaded.store(store, packed=not cache.enabled),
                              compiled=compiled_templates(cache))
        with timings.stage("render, write, check links"):
            written = render_and_write(archive, options, env, Path(folder), timings=timings)
    return BuildReport(len(archive.meetings), len(archive.decisions), len(written), "", loaded.warnings)


def build(options: BuildOptions, timings: Timings | None = None) -> BuildReport:
    """Build the site and publish it only if every stage succeeded.

    Without a usable last build, the whole site is built in a staging folder that then
    replaces the output folder. With one (same code, templates, registries, settings and
    provenance; an output folder as that build left it), only the pages whose inputs
    changed are rendered, into a folder of their own, and moved into the output folder once
    every page is rendered and every link checked; an edit that keeps each meeting in its
    place on the lists (a decision's wording, a title, a name) makes only the edited
    meetings' pages again and splices their entries into the published lists, feeds,
    calendars and open data (_rebuild_in_place). Either way only the search shards whose
    indexed text changed are indexed again, and a build whose inputs all match the last
    one stops at once. timings, if given, collects how long each stage took."""
    options = options.absolute()
    cache = BuildCache(options.cache_dir)
    refuse_unsafe_output(options.output_dir, {"content": options.content_dir, "templates": options.templates_dir, "cache": options.cache_dir},
                         built_before=cache.built_into(options.output_dir))
    # Two rebuilds of one output folder at once moved pages into it and wrote its search index
    # over each other (a broken index; Pagefind hung): the second waits. Without a cache each
    # builds a staging folder whole and swaps it in, which needs no lock.
    with collector_restored(), held(cache.build_lock(options.output_dir)) if cache.enabled else nullcontext():
        return _build(options, timings or Timings())


def _build(options: BuildOptions, timings: Timings) -> BuildReport:
    cache = BuildCache(options.cache_dir)
    # The survey and the last build's record are 100,000 objects at 10,000 meetings that all
    # stay; the collector's passes over them took a fifth of the time of an edit made in place.
    with collector_paused():
        with timings.stage("survey the content, read the cache"):
            survey = _survey(options.content_dir, options.base_url, cache)
            build_info = read_build_info(options.content_dir)
            settings = sha(survey.context, folder_fingerprint(options.templates_dir), repr(build_info),
                           repr((options.search, options.base_url, options.strict, options.shard_pages)))
            fingerprint = sha(survey.inputs, settings)
            last = cache.last_build(options.output_dir)
        if survey.errors:
            last = None  # the whole way, whose parsing reports them with the files' own errors
        if last and last.record["fingerprint"] == fingerprint:
            return BuildReport(last.record["meetings"], last.record["decisions"], len(last.pages), "nothing changed since the last build")
        if last and last.record["settings"] == settings:
            with timings.stage("edit in place, if it can be"):
                report = _rebuild_in_place(options, cache, survey, last, fingerprint, build_info)
            if report is not None:
                return report
    with store_folder(cache) as store:
        with collector_paused():
            with timings.stage("read and parse the minutes"):
                loaded = _load(options.content_dir, options.base_url, options.strict, _workers(options), cache, survey, store)
            with timings.stage("group the archive"):
                archive = loaded.archive()
        shards = search_shards([meeting.url for meeting in archive.meetings], options)
        in_place = last is not None and last.record["settings"] == settings and last.record["shards"] == [s.folder for s in shards]
        # Without a cache no later build reads the pages' keys or the build's record: none
        # are made (under the profiler, a tenth of the render's time went to the keys).
        memo = PageMemo(settings if cache.enabled else "", loaded.meeting_keys, last.pages if in_place else {})
        env = new_environment(options.templates_dir, archive.registry, build_info, memo,
                              loaded.store(store, packed=not cache.enabled), compiled_templates(cache))
        env.globals.update(_search_bundles(shards))
        env.published = options.output_dir if in_place else None
        last_indexed = last.record["indexed"] if last else {}
        with staging_folder(options.output_dir) as staging:
            if in_place:
                change = _archive_change(last.record, loaded, archive, store)
                with timings.stage("render, write, check links"):
                    written = render_and_write(archive, options, env, staging, unchanged_in=options.output_dir, change=change, timings=timings)
                cache.forget_build(options.output_dir)  # stopped half-way from here on, the next build starts clean
                retired = staging / RETIRED
                moved, removed = [url for url, page in written.items() if page.written], [url for url in last.pages if url not in written]
                with timings.stage("publish the changed files"):
                    move_into(staging, options.output_dir, moved, removed=removed, retire_to=retired)
                with timings.stage("search index"), freed_meanwhile(retired):
                    search = update_search(options.output_dir, options.output_dir, shards, last_indexed, written)
                changes = OutputChanges(_output_paths(moved), _output_paths(removed), search.replaced)
            else:
                with timings.stage("render, write, check links"):
                    written = render_and_write(archive, options, env, staging, timings=timings)
                    copy_assets(options.templates_dir / "assets", staging)
                with timings.stage("search index"):
                    search = update_search(staging, options.output_dir, shards, last_indexed, written)
                with timings.stage("publish"):
                    publish(staging, options.output_dir)
                changes = None  # a new output folder: looked at whole
    if cache.enabled:
        with timings.stage("keep the cache"):
            _remember(cache, options, fingerprint, settings, shards, written, archive, survey, loaded, changes, last)
            cache.prune()  # here, not on the short way of an edit in place: it lists every entry
    count = sum(page.written for page in written.values())
    files = f"{count} of {len(written)} files changed" if in_place else f"{len(written)} files written"
    return BuildReport(len(archive.meetings), len(archive.decisions), len(written), f"{files}; {search.summary}", loaded.warnings)


def _output_paths(urls: list[str]) -> tuple[str, ...]:
    """The files of these URLs, relative to the output folder."""
    return tuple(Page(url, "").output_path for url in urls)


def _remember(cache: BuildCache, options: BuildOptions, fingerprint: str, settings: str, shards: tuple[Shard, ...],
              written: Mapping[str, "WrittenPage"], archive: Archive, survey: Survey, loaded: Loaded,
              changes: OutputChanges | None, last: LastBuild | None) -> None:
    """Keep the record of a build that went the whole way, for the next one; changes, if
    given, are what it changed in the output folder as last left it."""
    cache.remember_build(options.output_dir, {
        "output": str(options.output_dir.resolve()), "fingerprint": fingerprint, "settings": settings, "shards": [s.folder for s in shards],
        "indexed": shard_fingerprints(shards, {url: page.indexed for url, page in written.items()}),
        "meetings": len(archive.meetings), "decisions": len(archive.decisions),
        # For the next build to make an edit on its own (_rebuild_in_place) and splice the open data (_archive_change):
        "files": survey.files,
        "pagers": {meeting.url: meeting_pager(archive, meeting).plain() for meeting in archive.meetings},
        "meeting_keys": {meeting.url: loaded.meeting_keys[meeting.url] for meeting in archive.meetings},  # in the archive's order
        "links": [LinksOf(meeting.url, meeting.source, meeting.links) for meeting in archive.meetings if meeting.links],
        "warnings": loaded.warnings,
    }, {url: page.record() for url, page in written.items()}, changes, last)


QUICK_EDITS = 50
"""At most this many edited minutes files are made again on their own (parsed in one process)."""
RETIRED = ".retired"
"""The folder in staging where a rebuild keeps the files it replaced, until it deletes them."""


def _rebuild_in_place(options: BuildOptions, cache: BuildCache, survey: Survey, last: LastBuild, fingerprint: str,
                      build_info: BuildInfo) -> BuildReport | None:
    """The rebuild of edits that keep each edited meeting in its place (archive.placement):
    the same minutes files as in the last build, and each edited meeting listed on the same
    pages, in the same place, under the same counts. The rest of the site is then as it was
    but for the entries that show those meetings (a decision's wording, a title, a name),
    so without loading the archive only the edited meetings' pages are rendered, and their
    entries, and their parts of the open data, are spliced into the published lists, feeds,
    calendars and open data files; the search shards that hold them are indexed again.
    None when the edit is of another kind: the build then goes the whole way."""
    record = last.record
    edit = _in_place_edit(options, cache, survey, record)
    shards = search_shards(last.pages, options)
    if edit is None or [shard.folder for shard in shards] != record["shards"]:
        return None
    memo = PageMemo(record["settings"], edit.keys, last.pages)
    env = new_environment(options.templates_dir, survey.registry, build_info, memo, MeetingStore(edit.store, survey.registry, edit.keys),
                          compiled_templates(cache))
    env.globals.update(_search_bundles(shards))
    written = {url: WrittenPage(url, page.key, page.indexed, False, page.shape, page.counts) for url, page in last.pages.items()}
    with staging_folder(options.output_dir) as staging, ThreadPoolExecutor(max_workers=1) as beside:
        # The kernel copies the 200 MB of open data while this thread renders and splices the lists.
        change = ArchiveChange(tuple(record["meeting_keys"].items()), tuple({**record["meeting_keys"], **edit.keys}.items()), edit.store)
        open_data = beside.submit(_splice_open_data, change, survey.registry, options.output_dir, staging)
        for meeting in edit.meetings:
            pager = Pager.from_plain(record["pagers"][meeting.url])
            page = render_meeting_page(meeting, survey.registry.bodies[meeting.body], pager, env)
            written[page.url] = _with_previous_digest(_write(page, staging), memo)
        entries = _splice_entries(edit, survey.registry, env, last.pages, options.output_dir, staging)
        spliced = open_data.result()
        if entries is None or spliced is None:
            return None
        written.update(spliced)
        written.update(entries)
        edited_links = {m.url: LinksOf(m.url, m.source, m.links) for m in edit.meetings}  # to the same places, maybe from other lines
        links = [edited_links.get(linking.url, linking) for linking in record["links"]]
        _check_links_again(links, written, staging, options.output_dir)
        cache.forget_build(options.output_dir)  # stopped half-way from here on, the next build starts clean
        retired = staging / RETIRED
        moved = [url for url, page in written.items() if page.written]
        move_into(staging, options.output_dir, moved, removed=[], retire_to=retired)
        with freed_meanwhile(retired):
            search = update_search(options.output_dir, options.output_dir, shards, record["indexed"], written)
            cache.remember_build(options.output_dir, {
                **record, "fingerprint": fingerprint, "files": survey.files, "warnings": edit.warnings, "links": links,
                "meeting_keys": {**record["meeting_keys"], **edit.keys},  # the same meetings in the same order
                "indexed": shard_fingerprints(shards, {url: page.indexed for url, page in written.items()}),
            }, {url: page.record() for url, page in written.items()},
                OutputChanges(_output_paths(moved), replaced=search.replaced), last)
    meetings = counted(len(edit.meetings), "edited meeting")
    return BuildReport(record["meetings"], record["decisions"], len(written),
                       f"{len(moved)} of {len(written)} files changed ({meetings}, in place); {search.summary}", edit.warnings)


@dataclass(frozen=True)
class ArchiveChange:
    """The archive's meetings in the last build and now, for the open data files to be
    spliced (_splice_open_data) rather than written whole."""

    before: tuple[tuple[str, str], ...]
    """Each meeting of the last build as (URL, cache key of its minutes file), in the archive's order."""
    after: tuple[tuple[str, str], ...]
    """The same now."""
    store: Path
    """The meeting store, which holds the parts of both."""


@dataclass(frozen=True)
class InPlaceEdit:
    """Edited minutes files whose meetings keep the placement they had in the last build."""

    meetings: tuple[Meeting, ...]
    """Their outlines, in the archive's order."""
    keys: dict[str, str]
    """The cache key of each one's minutes file, by meeting URL."""
    store: Path
    """The meeting store, which holds both versions of each."""
    before: tuple[Meeting, ...] = ()
    """The outline of each meeting in the last build."""
    warnings: tuple[ContentError, ...] = ()
    """The warnings of the whole archive with the edit."""


def _in_place_edit(options: BuildOptions, cache: BuildCache, survey: Survey, record: dict) -> InPlaceEdit | None:
    """The edit since the last build, if it keeps every edited meeting in its place; None
    if not. Parses the edited files (as the whole way would) and raises BuildError on their errors."""
    files: dict[str, str] = record.get("files", {})
    if set(files) != {str(path) for path in survey.paths}:
        return None  # a file added or removed
    edited = [(path, key) for path, key in zip(survey.paths, survey.keys) if files[str(path)] != key]
    if not 0 < len(edited) <= QUICK_EDITS or not all(key for _, key in edited):
        return None
    before = [cache.load_parsed(files[str(path)]) for path, _ in edited]
    if any(parsed is None or parsed.meeting is None for parsed in before):
        return None
    store = cache.folder / STORE
    parser = MeetingParser(survey.registry, words_in=cache.folder)
    parsed = [p for _, p in _parse_files(parser, cache, MeetingStore(store, survey.registry), survey.context, edited)]
    errors = [e for p in parsed for e in p.errors] + ([w for p in parsed for w in p.warnings] if options.strict else [])
    if errors:
        raise BuildError(errors)
    if any(placement(new.meeting) != placement(old.meeting) for new, old in zip(parsed, before)):
        return None  # listed elsewhere, or counted otherwise
    gone = {w for p in before for w in p.warnings}
    warnings = tuple(sorted({*(w for w in record["warnings"] if w not in gone), *(w for p in parsed for w in p.warnings)}))
    meetings = tuple(p.meeting for p in parsed)
    return InPlaceEdit(meetings, {m.url: key for m, (_, key) in zip(meetings, edited)}, store, tuple(p.meeting for p in before), warnings)


def _splice_entries(edit: InPlaceEdit, registry: Registry, env: SiteEnvironment, pages: Mapping[str, PageRecord],
                    published: Path, staging: Path) -> dict[str, "WrittenPage"] | None:
    """The published files that show an edited meeting (render.pages_listing), with its
    entries (render.list_entries) replaced by those of its new version, written to staging
    where they changed; None if an entry is not on the list that always shows it (a
    template that lists meetings its own way: the build then goes the whole way). The
    spliced files' memo keys are not known: the next build that renders renders them."""
    replacements: dict[str, list[tuple[bytes, bytes]]] = {}
    expected: set[tuple[str, bytes]] = set()
    for old, new in zip(edit.before, edit.meetings):
        changed = [(a, b) for a, b in zip(list_entries(old, registry, env), list_entries(new, registry, env)) if a.text != b.text]
        parts = [(a.text.encode("utf-8"), b.text.encode("utf-8")) for a, b in changed]
        expected |= {(_listed_on(a, pages), part) for (a, _), (part, _) in zip(changed, parts) if a.surely_on}
        for url in pages_listing(new) & pages.keys() if parts else ():
            replacements.setdefault(url, []).extend(parts)
    written, found = {}, set()
    for url, changed in replacements.items():
        relative = Page(url, "").output_path
        replaced = write_replaced(published / relative, staging / relative, changed)
        if replaced:
            indexed = indexed_digest((staging / relative).read_text(encoding="utf-8")) if pages[url].indexed else ""
            written[url] = WrittenPage(url, "", indexed, True)
            found |= {(url, old) for old in replaced}
    return written if expected <= found else None


def _listed_on(entry: ListEntry, pages: Mapping[str, PageRecord]) -> str:
    """The list that always shows an entry: the first of its lists that the site has."""
    return next((url for url in entry.surely_on if url in pages), entry.surely_on[-1])


def _archive_change(record: dict, loaded: Loaded, archive: Archive, store: Path) -> ArchiveChange | None:
    """The archive's change since the last build, if few meetings were edited, added or
    removed: their parts of the open data can be spliced into the published files
    (_splice_open_data) rather than all parts written."""
    before = tuple(record.get("meeting_keys", {}).items())
    after = tuple((meeting.url, loaded.meeting_keys[meeting.url]) for meeting in archive.meetings)
    if len(set(before) ^ set(after)) > 2 * QUICK_EDITS:
        return None  # each part is looked for in the whole file
    return ArchiveChange(before, after, store)


def _splice_open_data(change: ArchiveChange, registry: Registry, published: Path, staging: Path) -> dict[str, "WrittenPage"] | None:
    """Each open data file with the changed meetings' parts replaced, added or taken out
    (open_data.splices), written to staging (from the published one) where a part changed;
    None if the meetings of the last build are not in the same order, if a part of it is no
    longer in the store, or if a text to replace is not found once in the published file."""
    meetings = merged(change.before, change.after)
    if meetings is None:
        return None
    store = MeetingStore(change.store, registry)
    changed: dict[str, list[tuple[bytes, bytes]]] = {}
    for name in OPEN_DATA_FILES:
        try:
            pairs = splices(name, meetings, partial(store.stored_part, name=name))
        except LookupError:
            return None
        changed[f"/data/{name}"] = [(old.encode("utf-8"), new.encode("utf-8")) for old, new in pairs]
    relative = {url: Page(url, None).output_path for url, parts in changed.items() if parts}
    with ThreadPoolExecutor(max_workers=len(OPEN_DATA_FILES)) as threads:  # the kernel's copies on every core
        done = threads.map(lambda url: write_spliced(published / relative[url], staging / relative[url], changed[url]), relative)
        if not all(list(done)):
            return None
    return {url: WrittenPage(url, "", "", bool(parts)) for url, parts in changed.items()}


def _check_links_again(links: list[LinksOf], written: dict[str, "WrittenPage"], staging: Path, published: Path) -> None:
    """Check the links of the archive's minutes again (those into an edited page may have
    lost their #anchor); raise BuildError if one is broken."""
    def read_page(url: str) -> str:
        folder = staging if written[url].written else published
        return (folder / Page(url, "").output_path).read_text(encoding="utf-8")

    broken = check_links(links, read_page, set(written))
    if broken:
        raise BuildError(broken)


def _search_bundles(shards: tuple[Shard, ...]) -> dict[str, object]:
    """The search page's bundles: the shards', newest first, and their vocabulary's; and its word list."""
    return {"search_bundles": [shard.bundle for shard in shards] or [Shard(()).bundle],
            "search_vocabulary": f"/{VOCABULARY_FOLDER}/" if len(shards) > 1 else "", "search_word_list": f"/{WORD_LIST_FOLDER}/" if shards else ""}


def search_shards(urls: Iterable[str], options: BuildOptions) -> tuple[Shard, ...]:
    """The search bundles of a site with these pages, or meetings (none without search)."""
    if not options.search:
        return ()
    return plan_shards(meeting_months(urls), options.shard_pages)


@dataclass(frozen=True)
class SearchUpdate:
    summary: str
    """What was indexed, for the build's report."""
    replaced: tuple[str, ...] = ()
    """The bundles and the word list made again, as folders below the site ('pagefind/2020/')."""


def update_search(site: Path, published: Path, shards: tuple[Shard, ...], last_indexed: dict[str, str],
                  written: dict[str, "WrittenPage"]) -> SearchUpdate:
    """Give site a search bundle for each shard: the published one while the shard's indexed
    text is unchanged, else a new one from Pagefind, swapped in when it is complete; a
    sharded site the bundle of the shards' vocabulary; and the archive's word list
    (word_list.py). Those two are made again when a shard was."""
    if not shards:
        return SearchUpdate("search index skipped")
    indexed = shard_fingerprints(shards, {url: page.indexed for url, page in written.items()})
    sharded = len(shards) > 1
    pages, replaced, started = [], [], time.perf_counter()
    fresh: dict[str, Counter[str]] = {}  # the words of the shards indexed now, with their numbers of pages
    for shard in shards:
        if _reused(shard.folder, site, published, indexed, last_indexed):
            continue
        new_folder = f"{shard.folder}.new"
        new_bundle = site / new_folder
        with ThreadPoolExecutor(max_workers=1) as pagefind:
            count = pagefind.submit(index_shard, site, shard, new_folder)
            fresh[shard.name] = _shard_words(site, shard, written)  # while Pagefind reads the same pages
            pages.append(count.result())
        write_words(new_bundle, fresh[shard.name])
        replace_folder(new_bundle, site / shard.folder)
        replaced.append(f"{shard.folder}/")
    new_vocabulary = sharded and not _reused(VOCABULARY_FOLDER, site, published, indexed, last_indexed)
    new_word_list = not _reused(WORD_LIST_FOLDER, site, published, indexed, last_indexed, made=WORD_LIST_FILES)
    if new_vocabulary or new_word_list:
        words = {shard.name: fresh[shard.name] if shard.name in fresh else _kept_words(site, shard, written) for shard in shards}
    if new_vocabulary:
        new_bundle = site / f"{VOCABULARY_FOLDER}.new"
        index_pages(vocabulary_pages(words), new_bundle)
        replace_folder(new_bundle, site / VOCABULARY_FOLDER)
        replaced.append(f"{VOCABULARY_FOLDER}/")
    if new_word_list:
        new_folder = site / f"{WORD_LIST_FOLDER}.new"
        write_word_list(new_folder, _summed(words.values()))
        replace_folder(new_folder, site / WORD_LIST_FOLDER)
        replaced.append(f"{WORD_LIST_FOLDER}/")
    if not pages:
        remade = f"; made again (of an older form, or not all there): {', '.join(replaced)}" if replaced else ""
        return SearchUpdate(f"search index reused: no indexed text changed{remade}", tuple(replaced))
    count = counted(sum(pages), "page")
    seconds = f"{time.perf_counter() - started:.1f} s"
    if not sharded:
        return SearchUpdate(f"search index: Indexed {count} in {seconds}", tuple(replaced))
    return SearchUpdate(f"{len(pages)} of {len(shards)} search shards indexed ({count}) in {seconds}", tuple(replaced))


def _reused(folder: str, site: Path, published: Path, indexed: dict[str, str], last_indexed: dict[str, str],
            made: str = "pagefind-entry.json") -> bool:
    """Whether the published bundle in folder, complete if it has the file made (written
    last), is still right (then site has it too)."""
    bundle = published / folder
    if last_indexed.get(folder) != indexed[folder] or not (bundle / made).is_file():
        return False
    if site != published:
        link_tree(bundle, site / folder)
    return True


def _shard_words(site: Path, shard: Shard, written: dict[str, "WrittenPage"]) -> Counter[str]:
    return shard_words(site / Page(url, "").output_path for url, page in written.items() if page.indexed and shard.holds(url))


def _summed(counts: Iterable[Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for each in counts:
        total.update(each)  # not sum(): that copies the total for each shard
    return total


def _kept_words(site: Path, shard: Shard, written: dict[str, "WrittenPage"]) -> Counter[str]:
    """The words kept with the shard's bundle; read from its pages if a build before this
    kind of bundle made it."""
    kept = read_words(site / shard.folder)
    return kept if kept is not None else _shard_words(site, shard, written)


def render_and_write(archive: Archive, options: BuildOptions, env: SiteEnvironment, target: Path,
                     unchanged_in: Path | None = None, change: ArchiveChange | None = None,
                     timings: Timings | None = None) -> dict[str, "WrittenPage"]:
    """Render every file and write the ones that changed below target, both cores at work;
    then the sitemap, and the check of links written in the minutes. unchanged_in is the
    output folder that holds the pages the memo found unchanged; from there the open data
    files are spliced, given the archive's change since the last build (else they are written whole)."""
    return_freed_memory()  # pages of some MB are made and dropped by the thousand
    jobs = render_jobs(archive, env)
    spliced = _splice_open_data(change, archive.registry, unchanged_in, target) if change and unchanged_in else None
    work = partial(_render_jobs, jobs, target, options.templates_dir)
    numbers = {kind: [n for n, job in enumerate(jobs) if job.kind == kind] for kind in (DECISION_LISTS, OTHER_PAGES, OPEN_DATA, MEETING_PAGE)}
    # The register and topic pages in this process, the other lists in the next, the meeting
    # pages in whichever is free: formatted list entries are kept by one process, not by
    # both. At 10,000 meetings the peak was 840 MiB so, 914 MiB with the topic pages in the
    # next process and 1,031 MiB with all jobs dealt out in runs. A rebuild renders few of
    # the lists, and works out the keys of the others (memo.py): there the register and the
    # topics are dealt out too, since in this process they took 1-1.7 s longer than the rest.
    others = numbers[OTHER_PAGES] + (numbers[OPEN_DATA] if spliced is None else [])
    if unchanged_in is None:
        fixed, shared = [numbers[DECISION_LISTS], others], numbers[MEETING_PAGE]
    else:
        fixed, shared = [[], others], numbers[DECISION_LISTS] + numbers[MEETING_PAGE]
    results = map_claiming(work, fixed, shared, _workers(options))
    keep_survivors()  # the archive and the render's results, for the rest of the build
    problems = [e for _, errors in results for e in errors]
    if problems:
        raise BuildError(problems)
    done = sorted(job for done, _ in results for job in done)
    if timings is not None:
        timings.add_sections([(job_pages[0].url, seconds, len(job_pages)) for _, job_pages, seconds in done if job_pages])
    pages = [page for _, job_pages, _ in done for page in job_pages]
    pages += (spliced or {}).values()
    pages += [_write(page, target) for page in render_sitemap(archive, [page.url for page in pages if is_html(page.url)])]
    refuse_duplicates([page.url for page in pages])
    written = {page.url: _with_previous_digest(page, env.memo) for page in pages}

    def read_page(url: str) -> str:
        path = target / Page(url, "").output_path
        if unchanged_in is not None and not written[url].written:
            path = unchanged_in / Page(url, "").output_path
        return path.read_text(encoding="utf-8")

    broken = check_links(archive.meetings, read_page, set(written))
    if broken:
        raise BuildError(broken)
    return written


@dataclass(frozen=True)
class WrittenPage:
    """What became of one file of the site in a build."""

    url: str
    key: str
    indexed: str
    """Digest of the text Pagefind reads of it ('' if it is not indexed)."""
    written: bool
    """False: the same as in the last build, so not written again."""
    shape: str = ""
    counts: tuple[int, ...] = ()
    """What the memo keeps of a page with counts (render.Page)."""

    def record(self) -> PageRecord:
        return PageRecord(self.key, self.indexed, self.shape, self.counts)


def _write(page: Page, target: Path) -> WrittenPage:
    if page.content is None:
        return WrittenPage(page.url, page.key, "", False, page.shape, page.counts)
    write_page(page, target)
    indexed = indexed_digest(page.content) if is_html(page.url) and not isinstance(page.content, bytes) else ""  # bytes: not indexed
    return WrittenPage(page.url, page.key, indexed, True, page.shape, page.counts)


def _with_previous_digest(page: WrittenPage, memo: PageMemo) -> WrittenPage:
    """An unchanged page keeps the indexed digest it had."""
    if page.written:
        return page
    return replace(page, indexed=memo.previous[page.url].indexed)


def _render_jobs(jobs: list[Job], target: Path, templates_dir: Path, numbers: list[int]):
    """Run some render jobs and write the pages that changed: the work of one process.
    Template errors come back as content errors, since exceptions do not always survive the trip."""
    done, errors = [], []
    for number in numbers:
        started = time.process_time()
        try:
            pages = jobs[number]()
        except jinja2.TemplateError as exc:
            errors.append(_template_error(exc, templates_dir))
            break
        written = [_write(page, target) for page in pages]
        done.append((number, written, time.process_time() - started))
    return done, errors


def _workers(options: BuildOptions) -> int:
    return options.workers or default_workers()
