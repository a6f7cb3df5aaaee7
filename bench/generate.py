#!/usr/bin/env python3
"""Generate a synthetic archive of N meetings in the content format, deterministic for a seed.

    python bench/generate.py --meetings 10000 --seed 1 --out bench/runs/archive-10000

Realistic Swedish minutes of about 2-12 KB: 4-10 agenda items, decisions, attendees from the
eight municipalities, five bodies (and above 15,000 meetings four boards of each municipality
as well), meetings spread over 20 years (2006-2025).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_YEAR, YEARS = 2006, 20

BODIES = {
    "ledningsgruppen": ("Ledningsgruppen", "Kommundirektörerna i de åtta Södertörnskommunerna."),
    "samarbetskommitten": ("Samarbetskommittén", "Kommunstyrelsernas ordförande i Södertörnskommunerna."),
    "naringslivsnatverket": ("Näringslivsnätverket", "Kommunernas näringslivschefer."),
    "arbetsmarknadsgruppen": ("Arbetsmarknadsgruppen", "Cheferna för kommunernas arbetsmarknadsenheter."),
    "trafikgruppen": ("Trafikgruppen", "Tjänstepersoner som arbetar med trafik och infrastruktur."),
}
# A regional or national archive has many more bodies: above this many meetings, each
# municipality's own boards are added (so that every (date, body) pair can be distinct).
MANY_MEETINGS = 15000
BOARDS = {"kommunstyrelse": "kommunstyrelse", "utbildningsnamnd": "utbildningsnämnd", "socialnamnd": "socialnämnd",
          "miljonamnd": "miljö- och byggnadsnämnd"}
MUNICIPALITIES = ["botkyrka", "haninge", "huddinge", "nykvarn", "nynashamn", "salem", "sodertalje", "tyreso"]
MUNICIPALITY_NAMES = ["Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö"]
FIRST_NAMES = "Anna Eva Maria Karin Sara Lena Kerstin Ingrid Johan Erik Lars Anders Per Karl Mikael Peter Sofia Emma Linnea Oskar Ali Fatima Jonas Helene Rickard Camilla Magnus Frida Gustav Pia".split()
LAST_NAMES = "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson Jonsson Lindberg Lindqvist Berglund Söderström Holm Ekström Sjöberg Forsberg Bergström Lind Falk Strand Norberg Westberg Åkesson Öberg Hollmark Broo".split()

SUBJECTS = [
    ("Kollektivtrafikplan 2050", "kollektivtrafiken"), ("Södertäljebroarna", "infrastrukturen"),
    ("Stockholm Norvik hamn", "godstrafiken"), ("Tvärförbindelse Södertörn", "vägnätet"),
    ("Verksamhetsplan och budget", "verksamhetsplanen"), ("Arbetsmarknadsläget", "arbetsmarknaden"),
    ("Näringslivets utveckling", "näringslivet"), ("Kompetensförsörjning i välfärden", "kompetensförsörjningen"),
    ("Lägesbild covid-19", "smittskyddet"), ("Bostadsbyggande och planering", "bostadsförsörjningen"),
    ("Klimat och elektrifiering", "laddinfrastrukturen"), ("Trygghet och säkerhet", "trygghetsarbetet"),
    ("Skolans digitalisering", "digitaliseringen"), ("Upphandlingssamverkan", "upphandlingen"),
    ("Regional utvecklingsplan", "regionplaneringen"), ("Avfallshantering", "avfallsplanen"),
]
OPENINGS = ["Mötets öppnande", "Välkommen", "Val av justerare", "Godkännande av dagordningen"]
CLOSINGS = ["Övriga frågor", "Nästa möte", "Mötets avslutande", "Kommande möten"]
SENTENCES = [
    "{person} redogör för läget kring {thing} och de frågor som kommunerna behöver ta ställning till.",
    "Diskussion om hur {municipality} och de övriga kommunerna kan samverka kring {thing}.",
    "{person} presenterar ett underlag om {thing} som skickats ut inför mötet.",
    "Flera kommuner lyfter att {thing} påverkar både ekonomin och verksamheterna under {year}.",
    "Region Stockholm har bjudit in till dialog om {thing}, och ledningsgruppen samordnar kommunernas synpunkter.",
    "I {municipality} har arbetet med {thing} kommit längre än planerat, medan andra kommuner avvaktar beslut.",
    "Frågan ställs om det finns aktuella siffror kring {thing} i kommunerna.",
    "{person} återkopplar från nätverksmötet och beskriver de aktiviteter som genomförts under året.",
    "Kommundirektörerna är överens om att {thing} är en gemensam fråga för hela Södertörn.",
    "Underlaget kompletteras med en sammanställning av remissvaren från {municipality}.",
    "Ordet lämnas fritt och deltagarna delar erfarenheter från sina respektive kommuner.",
    "Trafikverket och Trafikförvaltningen har aviserat förändringar som berör {thing} de kommande åren.",
]
DECISIONS = [
    "Att ge ledningsgruppen i uppdrag att ta fram ett gemensamt förslag om {thing}.",
    "Att {person} återrapporterar arbetet med {thing} vid nästa möte.",
    "Att ställa sig bakom förslaget till yttrande om {thing}.",
    "Att frågan om {thing} tas upp på Samarbetskommitténs nästa sammanträde.",
    "Att notera informationen och lägga den till handlingarna.",
    "Att godkänna verksamhetsplanen för {year} med de ändringar som framkom vid mötet.",
    "Att {municipality} samordnar kommunernas gemensamma insatser inom {thing}.",
]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def fill(template: str, rng: random.Random, thing: str, year: int) -> str:
    return template.format(person=person(rng), municipality=rng.choice(MUNICIPALITY_NAMES), thing=thing, year=year)


def bodies_for(count: int) -> dict[str, tuple[str, str]]:
    """The bodies of an archive of count meetings: the five joint ones, and for a large
    archive the boards of each municipality too."""
    if count <= MANY_MEETINGS:
        return BODIES
    boards = {f"{key}-{board}": (f"{name} {board_name}", f"{name}s {board_name}.")
              for key, name in zip(MUNICIPALITIES, MUNICIPALITY_NAMES) for board, board_name in BOARDS.items()}
    return {**BODIES, **boards}


def meeting_dates(rng: random.Random, count: int) -> list[tuple[dt.date, str]]:
    """count distinct (date, body) pairs spread over 20 years, oldest first."""
    start = dt.date(FIRST_YEAR, 1, 1).toordinal()
    days = YEARS * 365
    chosen: set[tuple[int, str]] = set()
    bodies = list(bodies_for(count))
    if count > days * len(bodies) // 2:
        raise ValueError(f"{count} meetings do not fit in {YEARS} years of {len(bodies)} bodies")
    while len(chosen) < count:
        chosen.add((start + rng.randrange(days), rng.choice(bodies)))
    return [(dt.date.fromordinal(d), b) for d, b in sorted(chosen)]


def minutes(rng: random.Random, date: dt.date, body: str) -> str:
    attendees = []
    for key in rng.sample(MUNICIPALITIES, rng.randint(5, 8)):
        for _ in range(rng.randint(1, 2)):
            note = ", note: endast punkt 2" if rng.random() < 0.15 else ""
            attendees.append(f"  - {{name: {person(rng)}, municipality: {key}{note}}}")
    absent = [f"  - {{name: {person(rng)}, municipality: {k}}}" for k in rng.sample(MUNICIPALITIES, rng.randint(0, 3))]
    front = [
        "---",
        f"date: {date.isoformat()}",
        f'time: "{rng.choice(["08.30", "09.00", "13.00", "14.30"])}–{rng.choice(["11.00", "12.00", "16.00"])}"',
        f"place: {rng.choice(['Digitalt via Teams', 'Huddinge kommunhus', 'Södertälje stadshus', 'Haninge kulturhus'])}",
        f"body: {body}",
        f"document: {rng.choice(['minnesanteckningar', 'protokoll'])}",
        f"status: {'justerat' if rng.random() < 0.95 else 'utkast'}",
        f"chair: {person(rng)}",
        f"secretary: {person(rng)}",
        f"adjusters: [{person(rng)}]",
        f"topics: [{rng.choice(['samverkan', 'naringsliv', 'infrastruktur', 'verksamhetsplan'])}]",
        "attendees:",
        *attendees,
        *(["absent:", *absent] if absent else []),
        "---",
        "",
    ]
    items = [rng.choice(OPENINGS)]
    subjects = rng.sample(SUBJECTS, rng.randint(2, 8))
    items += [title for title, _ in subjects]
    items.append(rng.choice(CLOSINGS))
    body_lines = []
    for number, title in enumerate(items, start=1):
        thing = dict(SUBJECTS).get(title, "samarbetet")
        body_lines += [f"## {number}. {title}", ""]
        paragraphs = 1 if title in OPENINGS or title in CLOSINGS else rng.randint(1, 4)
        for _ in range(paragraphs):
            body_lines += [" ".join(fill(rng.choice(SENTENCES), rng, thing, date.year) for _ in range(rng.randint(2, 5))), ""]
        if title not in OPENINGS and title not in CLOSINGS and rng.random() < 0.6:
            body_lines += ["### Beslut", ""]
            body_lines += [f"- {fill(rng.choice(DECISIONS), rng, thing, date.year + 1)}" for _ in range(rng.randint(1, 4))]
            body_lines.append("")
    return "\n".join(front + body_lines)


def write_registries(source: Path, target: Path, bodies: dict[str, tuple[str, str]]) -> None:
    for name in ("site.yaml", "municipalities.yaml", "topics.yaml"):
        shutil.copyfile(source / name, target / name)
    lines = [f"{key}:\n  name: {name}\n  description: {description}" for key, (name, description) in bodies.items()]
    (target / "bodies.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(count: int, seed: int, out: Path) -> Path:
    """Write a content folder of count meetings to out (replacing it) and return out."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "minutes").mkdir(parents=True)
    write_registries(ROOT / "content", out, bodies_for(count))
    for date, body in meeting_dates(rng, count):
        folder = out / "minutes" / str(date.year)
        folder.mkdir(exist_ok=True)
        (folder / f"{date.isoformat()}-{body}.md").write_text(minutes(rng, date, body), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.meetings, args.seed, args.out)
    sizes = [p.stat().st_size for p in args.out.rglob("*.md")]
    print(f"{len(sizes)} meetings in {args.out}: {min(sizes)}-{max(sizes)} bytes, mean {sum(sizes) // len(sizes)}")


if __name__ == "__main__":
    main()
