"""Property tests: random front matter and Markdown never end the build in a traceback.
The build either succeeds or reports content errors (BuildError)."""

import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minutes_archive.errors import BuildError
from minutes_archive.pipeline import BuildOptions, check, load_archive, render_archive

from conftest import BODIES_YAML, MUNICIPALITIES_YAML, SITE_YAML, TEMPLATES, TOPICS_YAML, write_tree

MARKDOWN_ALPHABET = st.sampled_from(list("#*_`[]()<>!|-:\\/&;\"' \n\t=.§0123456789abcåäöjavscriptJ") + [
    "## 1. ", "### Beslut\n", "- ", "> ", "javascript:", "<script>", "](", "http://", "\n\n", "---\n", "\x00", "\u200b",
])
SCALARS = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.dates().map(str), st.just("18:30"), st.just("no"))
KEYS = st.sampled_from(["date", "time", "place", "body", "document", "status", "title", "chair", "secretary", "adjusters",
                        "attendees", "absent", "topics", "allow_personal_numbers", "tittle", "x"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=8)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build_check(minutes_text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = write_tree(Path(folder) / "content", {
            "site.yaml": SITE_YAML, "municipalities.yaml": MUNICIPALITIES_YAML,
            "topics.yaml": TOPICS_YAML, "bodies.yaml": BODIES_YAML,
        })
        (content / "minutes").mkdir()
        (content / "minutes" / "m.md").write_bytes(minutes_text.encode("utf-8", "surrogatepass"))
        try:
            check(BuildOptions(content, TEMPLATES, Path(folder) / "site", search=False))
        except BuildError as error:
            assert error.errors and all(e.line >= 1 and e.message for e in error.errors)
            return
        pages = render_archive(load_archive(content), TEMPLATES)
        for page in pages:
            if not page.url.endswith(("/", ".html", ".xml")):
                continue  # calendars, JSON and CSV are not markup: a title "<script>" is just text there
            scripts = re.findall(r"<script[^>]*>", page.content)
            assert all('src="/' in s or "text/pagefind-template" in s for s in scripts), (page.url, scripts)


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_as_a_minutes_file(text):
    build_check(text)


@SETTINGS
@given(st.dictionaries(KEYS, VALUES, max_size=8), st.lists(MARKDOWN_ALPHABET, max_size=80).map("".join))
def test_random_front_matter_and_markdown(front_matter, body):
    try:
        front = yaml.safe_dump(front_matter, allow_unicode=True)
    except yaml.YAMLError:
        return
    build_check(f"---\n{front}---\n{body}")


@SETTINGS
@given(st.lists(MARKDOWN_ALPHABET, max_size=120).map("".join))
def test_random_markdown_under_valid_front_matter(body):
    build_check(f"---\ndate: 2021-01-22\nbody: ledningsgruppen\nattendees: [{{name: A, municipality: haninge}}]\n---\n{body}")
