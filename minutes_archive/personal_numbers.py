"""Swedish personal identity numbers (personnummer and samordningsnummer) in text.

Minutes are published on the web and searchable; a personal identity number there is
a personal data incident. A number counts when it is a real date (samordningsnummer: day
plus 60) and its check digit is right (the Luhn algorithm over the last ten digits), so
phone numbers and case numbers are rarely mistaken for one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# YYMMDD-NNNC, YYMMDD+NNNC (over 100 years old), YYYYMMDD-NNNC or YYYYMMDDNNNC.
_CANDIDATE = re.compile(r"(?<![\d-])(?:(?P<century>18|19|20)?(?P<short>\d{6})(?P<sep>[-+])|(?P<century12>18|19|20)(?P<short12>\d{6}))(?P<tail>\d{4})(?![\d-])")


@dataclass(frozen=True)
class PersonalNumber:
    text: str
    kind: str
    """'personnummer' or 'samordningsnummer'."""

    @property
    def masked(self) -> str:
        """The number with its last four digits hidden, safe to print in a public CI log."""
        return self.text[:-4] + "****"


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(digits):
        value = int(char) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def find_personal_numbers(text: str) -> list[PersonalNumber]:
    found = []
    for match in _CANDIDATE.finditer(text):
        short = match.group("short") or match.group("short12")
        century = match.group("century") or match.group("century12")
        tail = match.group("tail")
        day = int(short[4:6])
        kind = "samordningsnummer" if day > 60 else "personnummer"
        if not _is_date(century, short[:2], short[2:4], day - 60 if day > 60 else day):
            continue
        if luhn_valid(short + tail):
            found.append(PersonalNumber(match.group(0), kind))
    return found


def _is_date(century: str | None, year: str, month: str, day: int) -> bool:
    try:
        dt.date(int((century or "20") + year), int(month), day)
    except ValueError:
        # A 29 February in a two-digit year may belong to the other century.
        if century is None and month == "02" and day == 29:
            return _is_date("19", year, month, day)
        return False
    return True
