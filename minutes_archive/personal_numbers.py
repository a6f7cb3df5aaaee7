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
_CANDIDATE = re.compile(r"(?<![\d-])(\d{6}|\d{8})([-+]?)(\d{4})(?![\d-])")


@dataclass(frozen=True)
class PersonalNumber:
    text: str
    kind: str
    """'personnummer' or 'samordningsnummer'."""
    start: int = 0
    """Offset of the number in the text searched."""

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


_SIX_DIGITS = re.compile(r"\d{6}")


def find_personal_numbers(text: str) -> list[PersonalNumber]:
    if not _SIX_DIGITS.search(text):
        return []  # the common case, found at C speed
    found = []
    for match in _CANDIDATE.finditer(text):
        date, separator, tail = match.groups()
        if len(date) == 6 and not separator:
            continue  # ten digits in a row are more often a phone number
        century, short = (date[:2], date[2:]) if len(date) == 8 else (None, date)
        if century not in (None, "18", "19", "20"):
            continue
        day = int(short[4:6])
        kind = "samordningsnummer" if day > 60 else "personnummer"
        if _is_date(century, short[:2], short[2:4], day - 60 if day > 60 else day) and luhn_valid(short + tail):
            found.append(PersonalNumber(match.group(0), kind, match.start()))
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
