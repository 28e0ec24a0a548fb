"""Strict date parsing for metadata lines: a line is a date only if all of it reads as one."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import get_day_names, get_month_names

__all__ = ["parse_date", "date_from_url"]

# Languages whose month and day names a dateline may use; CLDR (babel) spells them in
# every form ("Juni", "juin", "junio", "июня", "czerwca"), so no list is written by hand.
_LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "pl", "cs", "ru", "id", "tr",
)  # fmt: skip


def _names(get, count: int) -> dict[str, int]:
    """name -> number (1-based) over _LANGUAGES, both widths and contexts; a name two
    languages give different numbers (none today) is left out rather than guessed."""
    seen: dict[str, set[int]] = {}
    for language in _LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get(width, context, language).items():
                    name = name.casefold().rstrip(".")
                    if len(name) >= 3:
                        seen.setdefault(name, set()).add(number)
    out = {name: min(numbers) for name, numbers in seen.items() if len(numbers) == 1}
    assert max(out.values()) <= count
    return out


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_MONTHS = _names(get_month_names, 12)
_MONTHS.update({"sept": 9})  # English usage CLDR does not list
_MONTH = rf"(?P<month>{_alternation(_MONTHS)})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = rf"(?:(?:{_alternation(_names(get_day_names, 6))}|tues|wednes|thurs)(?:day)?\.?,?\s+)?"
# a clock time: "09:15", "9.15 Uhr", "08h30", "4:15 PM EDT", "10:02 AM ET", "12:00 +02:00"
_CLOCK = (
    r"\d{1,2}(?:[:.h]\d\d(?::\d\d)?)?\s*(?:[ap]\.?m\.?|uhr|h)?"
    r"(?:\s*(?:[A-Z]{2,5}|[+-]\d\d:?\d\d))?"
)
# joining a date to its time: "at", "um", "à", "a las", "alle", "às", "om", "kl.", a comma,
# a dash, a bar or a slash ("November 19, 2019 / 8:16 AM")
_JOIN = r"(?:,|\s-|\s\||\s/)?\s*(?:(?:at|um|à|a las|a la|alle|às|om|kl\.?|o|в)\s+)?"
# a clock starts here: hours with minutes or with am/pm (a bare number is a day or year)
_CLOCK_AHEAD = r"(?=\d{1,2}[:.h]\d\d|\d{1,2}\s*[ap]\.?m)"
_TIME = rf"(?:{_JOIN}{_CLOCK_AHEAD}{_CLOCK})?"
_TIME_FIRST = rf"(?:{_WEEKDAY}{_CLOCK_AHEAD}{_CLOCK},?\s+)?"  # "Sat 8:31 PM, Feb 17, 2018"
_FORMS = [
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # February 07, 2012
    # 7 February 2012, 7. Juni 2023, 7 de junio de 2023, 7 juin 2023, 7 giugno 2023
    rf"{_WEEKDAY}{_DAY}\s+(?:of\s+|de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?{_YEAR}",
    r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})[./-](?P<c>(?:19|20)\d\d)",  # 31/05/2012
    r"(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:T[\d:.]+Z?)?",  # 2012-05-31
]
_DATE_LINE = [re.compile(rf"{_TIME_FIRST}{form}{_TIME}", re.IGNORECASE) for form in _FORMS]
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
            return _safe(int(g["year"]), _MONTHS[g["month"].casefold()], int(g["day"]))
        if form == 3:
            return _safe(int(g["y"]), int(g["m"]), int(g["d"]))
        a, b, y = int(g["a"]), int(g["b"]), int(g["c"])
        # 12.03.2024 is day first wherever dots are written (Europe); slashes follow `order`
        if a > 12 or ((order == "DMY" or g["sep"] == ".") and b <= 12):
            return _safe(y, b, a)
        return _safe(y, a, b)
    return None


def date_from_url(url: str | None) -> date | None:
    """Dated paths such as /2012/02/07/ say when an article appeared."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
