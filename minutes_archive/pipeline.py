"""The build, stage by stage: read, parse, archive, render, write, index."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .archive import Archive, build_archive, find_url_conflicts
from .errors import BuildError, ContentError, display_path
from .index import index_site
from .links import check_links
from .parse import parse_content
from .provenance import BuildInfo, read_build_info
from .read import read_content
from .render import Page, new_environment, render_site
from .write import copy_assets, publish, staging_folder, write_pages


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


@dataclass(frozen=True)
class BuildReport:
    meetings: int
    decisions: int
    files: int
    search_summary: str
    warnings: tuple[ContentError, ...] = ()


def load_archive(content_dir: Path, base_url: str | None = None) -> Archive:
    """Read and parse all content and group it; raise BuildError listing every content error."""
    return _load(content_dir, base_url, strict=False)[0]


def _load(content_dir: Path, base_url: str | None, strict: bool) -> tuple[Archive, tuple[ContentError, ...]]:
    sources = read_content(content_dir)
    parsed = parse_content(sources, base_url)
    errors = list(parsed.errors) + (list(parsed.warnings) if strict else [])
    if parsed.registry is None or errors:
        raise BuildError(errors)
    conflicts = find_url_conflicts(parsed.meetings)
    if conflicts:
        raise BuildError(conflicts)
    return build_archive(parsed.registry, parsed.meetings), parsed.warnings


def render_archive(archive: Archive, templates_dir: Path, build: BuildInfo | None = None) -> list[Page]:
    """Render every page of the site in memory; a template error names its file and line."""
    env = new_environment(templates_dir, archive.registry, build)
    try:
        return list(render_site(archive, env))
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError([ContentError(_template_path(templates_dir, exc.name or exc.filename), exc.lineno, f"template error: {exc.message}")]) from None
    except jinja2.TemplateError as exc:
        name, line = _template_frame(exc, templates_dir)
        raise BuildError([ContentError(name, line, f"template error: {exc}")]) from None


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
    """Everything a build does except writing: load, render and check links."""
    archive, warnings = _load(options.content_dir, options.base_url, options.strict)
    pages = _render_and_check(archive, options)
    return BuildReport(len(archive.meetings), len(archive.decisions), len(pages), "", warnings)


def build(options: BuildOptions) -> BuildReport:
    """Build the site into a staging folder and publish it only if every stage succeeded."""
    archive, warnings = _load(options.content_dir, options.base_url, options.strict)
    pages = _render_and_check(archive, options)
    with staging_folder(options.output_dir) as staging:
        count = write_pages(pages, staging)
        copy_assets(options.templates_dir / "assets", staging)
        summary = index_site(staging) if options.search else "search index skipped"
        publish(staging, options.output_dir)
    return BuildReport(len(archive.meetings), len(archive.decisions), count, summary, warnings)


def _render_and_check(archive: Archive, options: BuildOptions) -> list[Page]:
    pages = render_archive(archive, options.templates_dir, read_build_info(options.content_dir))
    broken = check_links(archive, pages)
    if broken:
        raise BuildError(broken)
    return pages
