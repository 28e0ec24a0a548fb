"""Strict date parsing for metadata lines: a line is a date only if all of it reads as one."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["parse_date", "date_from_url"]

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = (
    r"(?:,?\s*(?:at\s+|-\s+|\|\s+)?\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:[A-Z]{2,5}|[+-]\d\d:?\d\d|utc|gmt)?)?"
)
_FORMS = [
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # February 07, 2012
    rf"{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",  # 7 February 2012
    r"(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<c>(?:19|20)\d\d)",  # 31/05/2012
    r"(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:T[\d:.]+Z?)?",  # 2012-05-31
]
_DATE_LINE = [re.compile(rf"{form}{_TIME}", re.IGNORECASE) for form in _FORMS]
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|$|-)")


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str, order: str | None = None) -> date | None:
    """The date that `text` consists of, or None. `order` (DMY/MDY) settles 05/06/2012."""
    text = text.strip().rstrip(".")
    for form, rx in enumerate(_DATE_LINE):
        m = rx.fullmatch(text)
        if not m:
            continue
        g = m.groupdict()
        if form < 2:
            return _safe(int(g["year"]), _MONTHS[g["month"].lower()], int(g["day"]))
        if form == 3:
            return _safe(int(g["y"]), int(g["m"]), int(g["d"]))
        a, b, y = int(g["a"]), int(g["b"]), int(g["c"])
        if a > 12 or (order == "DMY" and b <= 12):
            return _safe(y, b, a)
        return _safe(y, a, b)
    return None


def date_from_url(url: str | None) -> date | None:
    """Dated paths such as /2012/02/07/ say when an article appeared."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
