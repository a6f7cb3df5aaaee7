"""The build, stage by stage: read, parse, archive, render, write, index."""

from __future__ import annotations

import tempfile
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2

from .archive import Archive, build_archive, find_url_conflicts
from .cache import BuildCache, code_fingerprint, folder_fingerprint, indexed_fingerprint, output_summary, reuse_index, sha
from .errors import BuildError, ContentError, display_path
from .index import index_site
from .links import check_links
from .model import Meeting, Registry
from .parallel import default_workers, map_chunks
from .parse import MeetingParser, ParsedFile, parse_minutes_files, parse_registries
from .provenance import BuildInfo, read_build_info
from .read import MINUTES_DIR, find_minutes_files, read_registries
from .render import Job, Page, is_html, new_environment, render_jobs, render_site, render_sitemap
from .write import copy_assets, publish, refuse_duplicates, staging_folder, write_page, write_pages


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

    def archive(self) -> Archive:
        return build_archive(self.registry, self.meetings)


@dataclass(frozen=True)
class Survey:
    """What a build will read, before any parsing: enough to tell that nothing changed."""

    registry: Registry
    paths: tuple[Path, ...]
    keys: tuple[str, ...]
    """Cache key of each minutes file ('' for one that cannot be read)."""
    inputs: str
    """Fingerprint of every input: code, registries, options that shape parsing, minutes."""


def _survey(content_dir: Path, base_url: str | None) -> Survey:
    """Read the registries and fingerprint every minutes file; raise BuildError on registry errors."""
    errors: list[ContentError] = []
    registries = read_registries(content_dir, errors)
    paths = find_minutes_files(content_dir / MINUTES_DIR, errors)
    registry = parse_registries(registries, base_url, errors)
    if registry is None or errors:
        raise BuildError(errors)
    context = sha(code_fingerprint(), base_url or "", *(f"{name}\n{(content_dir / name).read_text(encoding='utf-8')}" for name in sorted(registries)))
    keys = []
    for path in paths:
        try:
            keys.append(sha(context, str(path), path.read_bytes()))
        except OSError:
            keys.append("")
    return Survey(registry, tuple(paths), tuple(keys), sha(context, *sorted(keys)))


def _load(content_dir: Path, base_url: str | None, strict: bool, workers: int, cache: BuildCache | None = None,
          survey: Survey | None = None) -> Loaded:
    """Parse every minutes file (those not in the cache, in parallel) and check the whole."""
    cache = cache or BuildCache(None)
    survey = survey or _survey(content_dir, base_url)
    cached = [cache.load_parsed(key) if key else None for key in survey.keys]
    missing = [(path, key) for path, key, hit in zip(survey.paths, survey.keys, cached) if hit is None]
    parser = MeetingParser(survey.registry)
    fresh = iter(p for chunk in map_chunks(partial(_parse_files, parser, cache), missing, workers) for p in chunk)
    parsed = [hit if hit is not None else next(fresh) for hit in cached]
    errors = [e for p in parsed for e in p.errors]
    warnings = tuple(sorted(w for p in parsed for w in p.warnings))
    if strict:
        errors += warnings
    if errors:
        raise BuildError(errors)
    meetings = tuple(p.meeting for p in parsed if p.meeting is not None)
    conflicts = find_url_conflicts(meetings)
    if conflicts:
        raise BuildError(conflicts)
    return Loaded(survey.registry, meetings, warnings, survey.inputs)


def _parse_files(parser: MeetingParser, cache: BuildCache, files: list[tuple[Path, str]]) -> list[ParsedFile]:
    """Parse minutes files and keep them in the cache: the unit of work of one process."""
    results = []
    for path, key in files:
        [parsed] = parse_minutes_files(parser, [path])
        if key:
            cache.store_parsed(key, parsed)
        results.append(parsed)
    return results


def render_archive(archive: Archive, templates_dir: Path, build: BuildInfo | None = None) -> list[Page]:
    """Render every file of the site in memory, in one process (for tests and tools)."""
    env = new_environment(templates_dir, archive.registry, build)
    try:
        return list(render_site(archive, env))
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


def check(options: BuildOptions) -> BuildReport:
    """Everything a build does except publishing: load, render and check, into a folder
    that is thrown away (and no search index)."""
    loaded = _load(options.content_dir, options.base_url, options.strict, _workers(options), BuildCache(options.cache_dir))
    archive = loaded.archive()
    with tempfile.TemporaryDirectory(prefix="minutes-check-") as folder:
        urls = render_and_write(archive, options, Path(folder))
    return BuildReport(len(archive.meetings), len(archive.decisions), len(urls), "", loaded.warnings)


def build(options: BuildOptions) -> BuildReport:
    """Build the site into a staging folder and publish it only if every stage succeeded.
    With a cache: unchanged minutes are not parsed again, a build whose inputs all match the
    last one stops at once, and an unchanged search index is reused."""
    cache = BuildCache(options.cache_dir)
    survey = _survey(options.content_dir, options.base_url)
    build_info = read_build_info(options.content_dir)
    fingerprint = sha(survey.inputs, folder_fingerprint(options.templates_dir), repr(build_info),
                      repr((options.search, options.base_url, options.strict)))
    last = cache.last_build(options.output_dir)
    if last.get("fingerprint") == fingerprint and last.get("output") == output_summary(options.output_dir):
        return BuildReport(last.get("meetings", 0), last.get("decisions", 0), last.get("files", 0), "nothing changed since the last build")
    loaded = _load(options.content_dir, options.base_url, options.strict, _workers(options), cache, survey)
    archive = loaded.archive()
    with staging_folder(options.output_dir) as staging:
        urls = render_and_write(archive, options, staging, build_info)
        copy_assets(options.templates_dir / "assets", staging)
        indexed = indexed_fingerprint(staging) if options.search else ""
        if not options.search:
            summary = "search index skipped"
        elif last.get("indexed") == indexed and reuse_index(options.output_dir, staging):
            summary = "search index reused: no meeting page changed"
        else:
            summary = index_site(staging)
        publish(staging, options.output_dir)
    cache.remember_build(options.output_dir, {"fingerprint": fingerprint, "output": output_summary(options.output_dir), "indexed": indexed,
                                              "files": len(urls), "meetings": len(archive.meetings), "decisions": len(archive.decisions)})
    return BuildReport(len(archive.meetings), len(archive.decisions), len(urls), summary, loaded.warnings)


def render_and_write(archive: Archive, options: BuildOptions, staging: Path, build_info: BuildInfo | None = None) -> list[str]:
    """Render every file and write it below staging, both cores at work; then the sitemap,
    and the check of links written in the minutes. Returns the URLs written."""
    env = new_environment(options.templates_dir, archive.registry, build_info or read_build_info(options.content_dir))
    jobs = render_jobs(archive, env)
    work = partial(_render_jobs, jobs, staging, options.templates_dir)
    results = map_chunks(work, range(len(jobs)), _workers(options))
    problems = [e for written, errors in results for e in errors]
    if problems:
        raise BuildError(problems)
    by_job = sorted((job, urls) for written, _ in results for job, urls in written)
    urls = [url for _, job_urls in by_job for url in job_urls]
    sitemap = write_pages(render_sitemap(archive, [u for u in urls if is_html(u)]), staging)
    urls += sitemap
    refuse_duplicates(urls)
    broken = check_links(archive, staging, set(urls))
    if broken:
        raise BuildError(broken)
    return urls


def _render_jobs(jobs: list[Job], staging: Path, templates_dir: Path, numbers: list[int]):
    """Run some render jobs and write their pages: the work of one process. Template errors
    come back as content errors, since exceptions do not always survive the trip."""
    written, errors = [], []
    for number in numbers:
        try:
            pages = jobs[number]()
        except jinja2.TemplateError as exc:
            errors.append(_template_error(exc, templates_dir))
            break
        for page in pages:
            write_page(page, staging)
        written.append((number, [page.url for page in pages]))
    return written, errors


def _workers(options: BuildOptions) -> int:
    return options.workers or default_workers()
