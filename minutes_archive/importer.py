"""Import plain-text minutes (such as the OCR text of a scanned PDF) as a draft minutes file.

The text is repaired word by word, each word weighed against the rest of the text (ocr.py),
then read for its structure: the title, "Tid:", "Plats:", "Närvarande:" and "Frånvarande:"
with a municipality on each line, numbered agenda items, "Beslut" sections whose paragraphs
starting with "Att" are decisions, and bullets.
The draft gets status utkast, and a review report beside it lists every change and every
word left in doubt, so a person checks the draft before publishing it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from .compounds import CompoundSplitter, swedish_word_frequencies
from .model import Registry
from .ocr import OcrRepairer, Repair, repair_text
from .render import MONTHS
from .vocabulary import normalise

_ITEM = re.compile(r"^\s*(\d+)\s*[.)]\s+(\S.*)$")
_DATE = re.compile(r"(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_TIME = re.compile(r"(\d{1,2})[.:](\d{2})\s*[-–]\s*(\d{1,2})[.:](\d{2})")
_BULLET = re.compile(r"^\s*(?:[eo•·*]|-)\s+(?=\S)")
_FIELD = re.compile(r"^\s*(Tid|Plats|Närvarande|Frånvarande)\s*:\s*(.*)$", re.IGNORECASE)
ROLE_WORDS = ("ordförande", "sekreterare", "justerare")


@dataclass(frozen=True)
class ImportResult:
    markdown: str
    date: dt.date | None
    body: str | None
    changes: tuple[tuple[int, Repair], ...]
    notes: tuple[str, ...]
    """What the importer could not tell, for the review report."""


def known_words(registry: Registry) -> set[str]:
    """Words the OCR repair must know: the names and aliases of municipalities, the names
    of bodies, the names, keywords and synonyms of topics, each also in the genitive
    ("Sodertirnskonferensens" is "Södertörnskonferensens", the topic's name with an s)."""
    names = {body.name for body in registry.bodies.values()}
    for municipality in registry.municipalities.values():
        names |= {municipality.name, *municipality.aliases}
    for topic in registry.topics.values():
        names |= {topic.name, *topic.keywords, *topic.synonyms}
    words = {word for name in names for word in re.findall(r"\w+", name)}
    return words | {word + "s" for word in words if not word.endswith("s")}


def import_text(text: str, registry: Registry) -> ImportResult:
    frequencies = swedish_word_frequencies()
    repairer = OcrRepairer(frequencies, known_words(registry), CompoundSplitter(frequencies, (), registry.compounds))
    repaired, changes = repair_text(text.replace("\r\n", "\n"), repairer)
    return _structure(repaired, registry, tuple(changes))


def _structure(text: str, registry: Registry, changes) -> ImportResult:
    lines = [line.rstrip() for line in text.split("\n")]
    notes: list[str] = []
    header, fields, rest = [], {}, 0
    current = None
    for index, line in enumerate(lines):
        field = _FIELD.match(line)
        if _ITEM.match(line) and fields:
            rest = index
            break
        if field:
            current = field.group(1).casefold()
            fields.setdefault(current, []).append(field.group(2))
        elif current in ("närvarande", "frånvarande") and line.strip():
            fields[current].append(line)
        elif current is None and line.strip():
            header.append(line.strip())
        elif current in ("tid", "plats") and line.strip():
            fields[current].append(line)
    title = " ".join(header)
    body = _find_body(title, registry)
    date = _date(" ".join(fields.get("tid", [])))
    time_match = _TIME.search(" ".join(fields.get("tid", [])))
    time = f"{int(time_match.group(1)):02d}.{time_match.group(2)}–{int(time_match.group(3)):02d}.{time_match.group(4)}" if time_match else ""
    attendees = [_person(line, registry, notes) for line in fields.get("närvarande", []) if line.strip()]
    absent = [_person(line, registry, notes) for line in fields.get("frånvarande", []) if line.strip()]
    chair = next((p["name"] for p in attendees if p.get("role") == "ordförande"), None)
    secretary = next((p["name"] for p in attendees if p.get("role") == "sekreterare"), None)
    if date is None:
        notes.append("no date found on the 'Tid:' line: fill in date")
    if body is None:
        notes.append("no body named in the title: fill in body")
    front = [
        "---",
        f"date: {date.isoformat() if date else ''}",
        f'time: "{time}"',
        f"place: {_yaml(' '.join(fields.get('plats', [])).strip())}",
        f"body: {body or ''}",
        f"document: {'protokoll' if title.casefold().startswith('protokoll') else 'minnesanteckningar'}",
        "status: utkast",
        f"title: {_yaml(title)}" if title else None,
        f"chair: {_yaml(chair)}" if chair else None,
        f"secretary: {_yaml(secretary)}" if secretary else None,
        "attendees:" if attendees else "attendees: []",
        *(f"  - {_flow(p)}" for p in attendees),
        *(["absent:"] + [f"  - {_flow(p)}" for p in absent] if absent else []),
        "---",
        "",
    ]
    head = "\n".join(line for line in front if line is not None)
    markdown = head + "\n" + _body(lines[rest:]) if rest else head
    return ImportResult(markdown.rstrip("\n") + "\n", date, body, changes, tuple(notes))


def _date(text: str) -> dt.date | None:
    """'Fredagen den 20 november 2020' or '2020-11-20'; None if neither, or no such day."""
    try:
        if match := _DATE.search(text):
            return dt.date(int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
        if match := _ISO_DATE.search(text):
            return dt.date(*map(int, match.groups()))
    except ValueError:
        pass
    return None


def _find_body(title: str, registry: Registry) -> str | None:
    folded = normalise(title)
    for key, body in registry.bodies.items():
        stem = normalise(body.name).removesuffix("en").removesuffix("n")
        if stem and stem in folded:
            return key
    return None


def _person(line: str, registry: Registry, notes: list[str]) -> dict:
    """'Gustav Fridlund Botkyrka, endast punkt 2' -> name, municipality, note; of the parts after
    commas, a role word becomes the role and the others the note."""
    names = {}
    for key, municipality in registry.municipalities.items():
        for form in (municipality.name, *municipality.aliases):
            names[normalise(form)] = key
    text, *parts = line.split(",")
    words = text.split()
    for size in (3, 2, 1):
        if len(words) > size and normalise(" ".join(words[-size:])) in names:
            person = {"name": " ".join(words[:-size]), "municipality": names[normalise(" ".join(words[-size:]))]}
            break
    else:
        person = {"name": text.strip()}
        notes.append(f"no municipality found for '{line.strip()}'")
    parts = [part.strip() for part in parts if part.strip()]
    role = next((part.casefold() for part in parts if part.casefold() in ROLE_WORDS), None)
    if role:
        person["role"] = role
    if note := ", ".join(part for part in parts if part.casefold() != role):
        person["note"] = note
    return person


def _body(lines: list[str]) -> str:
    """Agenda items, Beslut sections, bullets and paragraphs joined across line and page breaks."""
    blocks: list[str] = []
    paragraph: list[str] = []
    in_decision = False
    list_marker = None  # of the list's top level: OCR reads "•" as "e"; "-" under it is a level below

    def flush():
        nonlocal paragraph
        if paragraph:
            text = " ".join(part.strip() for part in paragraph)
            if in_decision and text.startswith("Att "):
                blocks.append(f"- {text}")
            else:
                blocks.append(text)
            paragraph = []

    for line in lines + [""]:
        stripped = line.strip()
        item = _ITEM.match(line)
        if item:
            flush()
            in_decision = False
            blocks.append(f"## {item.group(1)}. {item.group(2).strip()}")
        elif stripped.casefold() in ("beslut", "beslut:"):
            flush()
            in_decision = True
            blocks.append("### Beslut")
        elif _BULLET.match(line) and stripped.startswith("- ") and list_marker not in (None, "-") \
                and blocks and blocks[-1].lstrip().startswith("- ") and not paragraph:
            blocks.append("  - " + stripped[2:].strip())
        elif _BULLET.match(line):
            flush()
            in_decision = False
            list_marker = stripped[0]
            blocks.append("- " + _BULLET.sub("", line).strip())
        elif not stripped:
            if paragraph and not re.search(r"[.:!?)]$", paragraph[-1].strip()):
                continue  # a page or column break inside a sentence
            flush()
        else:
            last = blocks[-1] if blocks else ""
            if paragraph == [] and last.lstrip().startswith("- ") and not in_decision and not re.search(r"[.:!?)]$", last):
                blocks[-1] += " " + stripped  # a bullet that goes on on the next line or page
                continue
            if in_decision and paragraph == [] and last.startswith("- Att") and not stripped.startswith("Att "):
                in_decision = False
            if in_decision and stripped.startswith("Att ") and paragraph:
                flush()  # each "Att …" is a decision of its own
            paragraph.append(stripped)
    flush()
    out, previous = [], ""
    for block in blocks:
        tight = block.startswith(("- ", "  - ")) and previous.startswith(("- ", "  - "))
        out.append(("\n" if tight else "\n\n") + block if out else block)
        previous = block
    return "".join(out) + "\n"


def _flow(person: dict) -> str:
    return "{" + ", ".join(f"{key}: {_yaml(value, flow=True)}" for key, value in person.items()) + "}"


def _yaml(text: str | None, flow: bool = False) -> str:
    """text as a YAML scalar: plain where that reads back as the same string, else quoted (a
    comma ends a value in a flow mapping {…})."""
    if not text:
        return '""'
    plain = r"[\w][\w .'’()/–-]*" if flow else r"[\w][\w .,'’()/–-]*"
    return text if re.fullmatch(plain, text) and ": " not in text else json.dumps(text, ensure_ascii=False)


def review_report(source: str, result: ImportResult) -> str:
    """Every change (line, before, after, why), every word left in doubt, and what to fill in."""
    lines = [f"Granskningsrapport för import av {source}", ""]
    changed = [(n, r) for n, r in result.changes if r.after != r.before]
    doubtful = [(n, r) for n, r in result.changes if r.after == r.before]
    context = [(n, r) for n, r in changed if r.changes_a_known_word]
    lines.append(f"{len(changed)} ändringar, varav {len(context)} av ord som också finns utan å/ä/ö (granska dem särskilt); {len(doubtful)} osäkra ord.")
    lines += ["", "Ändringar (rad i källan: före -> efter, skäl):"]
    lines += [f"  {n}: {r.before} -> {r.after}  ({r.reason})" for n, r in changed]
    lines += ["", "Osäkra ord, lämnade som de var:"]
    lines += [f"  {n}: {r.before}  ({r.reason})" for n, r in doubtful]
    if result.notes:
        lines += ["", "Att fylla i eller kontrollera:"] + [f"  {note}" for note in result.notes]
    return "\n".join(lines) + "\n"
