"""The application code (mã hồ sơ) pattern, without Rasa: the action server reuses it to read typed codes."""

from __future__ import annotations

import re

# receiving agency (3.2.2 digits + letter and two digits) - yymmdd - sequence; separators optional,
# because citizens type spaces, lower case, or leave the dots out.
_SEP = r"[\s.\-_/]*"
APPLICATION_CODE = re.compile(
    rf"(?<![\w.])(\d{{3}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}([a-zA-Z]\d{{2}}){_SEP}"
    rf"(\d{{6}}){_SEP}(\d{{4}})(?![\w])"
)


def canonical(match: re.Match[str]) -> str:
    """The code in the form the one-stop systems print: 000.00.17.H12-251120-0042."""
    a, b, c, agency, day, sequence = match.groups()
    return f"{a}.{b}.{c}.{agency.upper()}-{day}-{sequence}"


def find_application_codes(text: str) -> list[tuple[str, int, int]]:
    """Every application code in a text as (canonical code, start, end)."""
    return [(canonical(m), m.start(), m.end()) for m in APPLICATION_CODE.finditer(text)]
