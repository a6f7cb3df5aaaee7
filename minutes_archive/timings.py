"""Where a build's time goes (build.py --timings): each stage's wall time and CPU time, and
the CPU time of rendering each section of the site.

CPU time is that of this process and of the processes it forked and waited for (the
parse and render processes, Pagefind): a stage that keeps both cores busy shows about
twice its wall time.
"""

from __future__ import annotations

import resource
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from .errors import counted


def cpu_seconds() -> float:
    """CPU time (user and system) of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(frozen=True)
class Stage:
    name: str
    wall: float
    cpu: float


@dataclass(frozen=True)
class Section:
    """The rendering of one section of the site (its URLs' first part), in all processes."""

    name: str
    cpu: float
    files: int


@dataclass
class Timings:
    """Collects the timings of one build; stages in the order they ran."""

    stages: list[Stage] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    started_cpu: float = field(default_factory=cpu_seconds)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), cpu_seconds()
        try:
            yield
        finally:
            self.stages.append(Stage(name, time.perf_counter() - wall, cpu_seconds() - cpu))

    def add_sections(self, rendered: list[tuple[str, float, int]]) -> None:
        """Render CPU time by section, from (first URL of a job, its CPU seconds, its files)."""
        totals: dict[str, tuple[float, int]] = {}
        for url, seconds, files in rendered:
            name = section_of(url)
            cpu, count = totals.get(name, (0.0, 0))
            totals[name] = (cpu + seconds, count + files)
        self.sections = sorted((Section(name, cpu, files) for name, (cpu, files) in totals.items()), key=lambda s: -s.cpu)

    def report(self) -> str:
        """A table of the stages, then of the sections rendered, then the whole build."""
        wall, cpu = time.perf_counter() - self.started, cpu_seconds() - self.started_cpu
        lines = ["timings (wall time, CPU time of all processes):"]
        lines += [f"  {stage.name:<34} {stage.wall:8.2f} s {stage.cpu:8.2f} s" for stage in self.stages]
        if self.sections:
            lines.append("  rendering by section (CPU time, files):")
            lines += [f"    {section.name:<32} {'':>10} {section.cpu:8.2f} s  {counted(section.files, 'file'):>13}"
                      for section in self.sections]
        lines.append(f"  {'whole build':<34} {wall:8.2f} s {cpu:8.2f} s")
        return "\n".join(lines)


def section_of(url: str) -> str:
    """The part of the site a URL is in: /beslut/ar/2020/ is in beslut/, /atom.xml in the top."""
    first, slash, _ = url.lstrip("/").partition("/")
    return f"/{first}/" if slash else "/ (home, feeds, calendars)"
