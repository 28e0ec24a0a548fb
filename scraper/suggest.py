"""Rule suggestions: lines that repeat across many pages of one publisher are not article text.

For every document of the publisher (cleaned with the rules in force), each kept line is
counted once per document under four keys: the line itself, the line with numbers
normalised, the line with its names set apart (for "Follow clayclai on Twitter" and
"Follow jpmassar on Twitter": one pattern, not a rule per commenter), and its `Label:`
prefix (for templated lines such as "Filed under: World"). A key found in at least
`min_share` of the documents becomes a candidate rule; its kind is guessed from the
boilerplate vocabulary it uses. The result is a rule file in the shipped format, with
hits and examples as comments. Nothing is applied until the user lists the file under
`rules:` in config.yaml.

The publisher is named as the user knows it: its name, its rule file's stem (as
`scrape rules test` takes it) or one of its domains.
"""

from __future__ import annotations

import math
import re
import shlex
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tld import get_fld

from .cleaning import clean_lines, rulebook_for
from .config import Config
from .discover.terms import rarity
from .errors import InputError
from .filters.language import detect_language
from .pipeline import read_captures
from .repetition import KeyCounts, line_keys, literal, numbered
from .rules.engine import RuleBook

__all__ = [
    "Publisher",
    "SuggestedRule",
    "Suggestions",
    "find_publisher",
    "render_rule_file",
    "suggest",
]

_KIND_WORDS = {
    "newsletter": r"newsletter|inbox|subscribe|sign up|briefing",
    "donation": r"donat|support us|contribut|member|patron|premium",
    "social": r"follow|share|twitter|facebook|instagram|telegram",
    "related-links": r"read more|related|more from|see also|most read",
    "site-promo": r"listen|podcast|download|\bapp\b|premium|exclusive",
    "navigation": r"filed under|tags?:|section|home|menu|topics?",
    "attribution": r"produced by|reporting by|editing by|contributed|desk|staff",
    "advert": r"advert|sponsor|promoted",
}
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[@#]?\w+(?:['’.\-]\w+)*")
_FIXED_WORD = re.compile(r"[^\W\d_]{2,}")
_HANDLE = re.compile(r"^[@#]|[\d_]")
_RARE = 5.0  # rarity (8 - Zipf) above which a lower-case word is taken for a name or handle
_NAME = r"\S+(?: \S+){0,3}"  # a name of one to four words
_VALUES_KEPT = 50  # distinct names remembered per slot, enough to find what they share


@dataclass(frozen=True)
class Publisher:
    """The publisher a user asked for: the name its documents carry, the slug its rule
    names take, and its known domains."""

    name: str
    slug: str
    domains: tuple[str, ...] = ()


@dataclass
class SuggestedRule:
    pattern: str
    kind: str
    docs: int
    examples: list[tuple[str, str]] = field(default_factory=list)  # (document id, line)


@dataclass
class Suggestions:
    publisher: str
    documents: int
    domains: list[str]
    rules: list[SuggestedRule]
    slug: str = "suggested"
    threshold: int = 0  # documents a line had to appear in

    def nothing_found(self) -> str:
        """Why there is no rule file to write."""
        return (
            f"no line repeats in {self.threshold} or more of the {self.documents} documents"
            f" of {self.publisher}: nothing to suggest (a lower --min-share finds rarer lines)"
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "suggested"


def _host(text: str) -> str:
    """'https://www.x.com/a' or 'www.x.com' -> 'x.com'."""
    host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    return host.removeprefix("www.")


def find_publisher(book: RuleBook, given: str) -> Publisher:
    """The publisher meant by its name, its rule file's stem or one of its domains; a
    publisher without rules goes by its registered domain, as its documents do."""
    wanted, host = given.strip().casefold(), _host(given.strip().casefold())
    for name, files in book.publishers.items():
        for f in files:
            domains = tuple(d.casefold() for d in f.rules.domains)
            on_domain = any(host == d or host.endswith("." + d) for d in domains)
            if wanted in (name.casefold(), f.stem.casefold()) or on_domain:
                return Publisher(name, files[-1].stem, domains)
    registered = get_fld("http://" + host, fail_silently=True) if "." in host else None
    return Publisher(registered or given.strip(), _slug(registered or given))


def _is_name(word: str, language: str) -> bool:
    """Could the word be (part of) a name: capitalised, a handle (@x, digits, _), or a word
    general text hardly uses ("clayclai")? Only what varies between lines is generalised."""
    if _NUMBER.fullmatch(word):
        return False
    return (
        word[0].isupper() or bool(_HANDLE.search(word)) or rarity(word.casefold(), language) > _RARE
    )


def _names_apart(text: str, language: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The line as the fixed text around each run of names, and the runs:
    "Follow clayclai on Twitter" -> ("", " on ", ""), (("Follow", "clayclai"), ("Twitter",))."""
    fixed, runs, pos = [""], [], 0
    for m in _WORD.finditer(text):
        if not _is_name(m.group(), language):
            continue
        between = text[pos : m.start()]
        if runs and between == " " and fixed[-1] == "":
            runs[-1].append(m.group())  # the name goes on: "Lefty Coaster"
        else:
            fixed[-1] += between
            runs.append([m.group()])
            fixed.append("")
        pos = m.end()
    fixed[-1] += text[pos:]
    return tuple(fixed), tuple(tuple(r) for r in runs)


@dataclass
class _Shape:
    """Lines alike but for their names: the fixed text around each run of names (as the
    first such line has it), and the names seen in each run."""

    fixed: tuple[str, ...]  # one more than the runs
    runs: list[set[tuple[str, ...]]]

    @staticmethod
    def key(fixed: tuple[str, ...]) -> str:
        return "shape:" + "\x00".join(_NUMBER.sub("0", f).casefold() for f in fixed)

    def add(self, runs: tuple[tuple[str, ...], ...]) -> None:
        for seen, run in zip(self.runs, runs, strict=True):
            if len(seen) < _VALUES_KEPT:
                seen.add(run)

    def pattern(self) -> str | None:
        """One regex for every line of this shape. None where no name varies (the line is
        a key of its own) or no fixed word is left to anchor it (a line that is all name)."""
        slots = [_slot(seen) for seen in self.runs]
        kept = " ".join([*self.fixed, *(text for _, text, _ in slots)])
        if not any(varies for *_, varies in slots) or not _FIXED_WORD.search(kept):
            return None
        out = [numbered(self.fixed[0])]
        for (rx, _, _), after in zip(slots, self.fixed[1:], strict=True):
            out += [rx, numbered(after)]
        return "^" + "".join(out) + "$"


def _slot(seen: set[tuple[str, ...]]) -> tuple[str, str, bool]:
    """(regex, the text it keeps literal, whether it varies) for one run of names: what all
    its names share stays literal ("Follow"), what varies becomes a name of a few words."""
    if len(seen) == 1:
        text = " ".join(next(iter(seen)))
        return literal(text), text, False
    runs = list(seen)
    most = min(len(r) for r in runs) - 1  # every run keeps a word of name
    head = _shared(runs, most)
    tail = _shared([r[::-1] for r in runs], most - len(head))[::-1]
    before = " ".join(head) + " " if head else ""
    after = " " + " ".join(tail) if tail else ""
    return literal(before) + _NAME + literal(after), before + after, True


def _shared(runs: list[tuple[str, ...]], most: int) -> tuple[str, ...]:
    """The words every run starts with, at most `most` of them."""
    out: list[str] = []
    for words in zip(*runs):  # noqa: B905 - runs differ in length; the shortest ends it
        if len(out) >= most or len(set(words)) > 1:
            break
        out.append(words[0])
    return tuple(out)


def suggest(
    config: Config, publisher: str, *, min_share: float = 0.2, min_docs: int = 3
) -> Suggestions:
    """Candidate rules for the publisher named by its name, rule file stem or domain.

    Raises InputError when the sources hold none of its documents, or fewer than
    `min_docs`: from so few, every line repeats and none can be told from article text."""
    book = rulebook_for(config)
    target = find_publisher(book, publisher)
    counts = KeyCounts()
    patterns: dict[str, str] = {}
    shapes: dict[str, _Shape] = {}
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    domains: Counter[str] = Counter()
    others: Counter[str] = Counter()
    n = 0
    for cap in read_captures(config):
        try:
            doc, lines = clean_lines(
                book, cap.content, url=cap.url, captured=cap.capture_time, doc_id=cap.id
            )
        except InputError:
            continue
        if (doc.publisher or "").casefold() != target.name.casefold():
            others[doc.publisher or "(unknown)"] += 1
            continue
        n += 1
        if doc.url and (host := _host(doc.url)):
            domains[host] += 1
        language = detect_language(doc.text) or "en"
        seen: set[str] = set()
        for line in lines:
            if not line.kept:
                continue
            keys = line_keys(line.plain)
            fixed, runs = _names_apart(" ".join(line.plain.split()), language)
            if runs:
                key = _Shape.key(fixed)
                shapes.setdefault(key, _Shape(fixed, [set() for _ in runs])).add(runs)
                keys.append((key, ""))
            for key, rx in keys:
                if key not in seen:
                    seen.add(key)
                    patterns[key] = rx
                    if len(examples[key]) < 3:
                        examples[key].append((doc.id, line.plain))
        counts.add(seen)
    _enough(target.name, n, min_docs, others)
    threshold = counts.threshold(min_share, min_docs)
    frequent = counts.frequent(min_share, min_docs)
    df = counts.df
    rules: list[SuggestedRule] = []
    # the most general first: a label rule covers every variant of a templated line, a
    # shape rule every name in "Follow clayclai on Twitter", a number rule every count
    # of "Listen (4 min)", an exact rule one line
    for prefix in ("label:", "shape:", "num:", "line:"):
        for key in sorted((k for k in frequent if k.startswith(prefix)), key=lambda k: (-df[k], k)):
            pattern = shapes[key].pattern() if prefix == "shape:" else patterns[key]
            lines_here = [t for _, t in examples[key]]
            if pattern is None or any(re.search(r.pattern, t) for r in rules for t in lines_here):
                continue
            rules.append(
                SuggestedRule(pattern, _kind(" ".join(lines_here)), df[key], examples[key])
            )
    rules.sort(key=lambda r: (-r.docs, r.pattern))
    found = list(target.domains) or [d for d, _ in domains.most_common(3)]
    return Suggestions(target.name, n, found, rules, target.slug, math.ceil(threshold))


def _enough(name: str, n: int, min_docs: int, others: Counter[str]) -> None:
    """Raise when the sources hold too few of the publisher's documents to tell its
    repeated lines from article text (from two documents, every line repeats or none)."""
    if n >= min_docs:
        return
    if n == 0:
        held = ", ".join(f"{p} ({c})" for p, c in others.most_common(6)) or "no documents"
        raise InputError(
            f"no documents of publisher {name!r} in the configured sources; they hold: {held}"
        )
    raise InputError(
        f"only {n} document{'s' if n > 1 else ''} of {name} in the configured sources: a rule"
        f" is suggested for a line that repeats in at least {min_docs} documents, so none can be"
        " told from article text yet; collect more of its pages and run this again"
    )


def _kind(text: str) -> str:
    low = text.casefold()
    return next((k for k, words in _KIND_WORDS.items() if re.search(words, low)), "boilerplate")


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def render_rule_file(s: Suggestions) -> str:
    """The suggestions as a rule file, each rule with its hits and examples as comments."""
    out = [
        f"# Suggested by `scrape rules suggest {shlex.quote(s.publisher)}` from {s.documents}"
        " documents.",
        "# Review every rule: nothing applies until this file is listed under `rules:` in",
        "# config.yaml. Delete the rules that would take article text.",
        f"publisher: {_quote(s.publisher)}",
    ]
    if s.domains:
        out.append("domains: [" + ", ".join(s.domains) + "]")
    if s.rules:
        out.append("recognise: [" + _quote(s.rules[0].pattern) + "]")
    out += ["versions:", "  - id: suggested", "    text:", "      drop_lines:"]
    if not s.rules:
        out[-1] = "      drop_lines: []"
    for i, r in enumerate(s.rules, 1):
        share = r.docs / s.documents if s.documents else 0
        out.append(f"        # in {r.docs} of {s.documents} documents ({share:.0%}), e.g.:")
        out += [f"        #   {doc_id}: {line[:100]}" for doc_id, line in r.examples]
        out.append(
            f"        - {{name: {s.slug}-{i}, kind: {r.kind}, pattern: {_quote(r.pattern)}}}"
        )
    return "\n".join(out) + "\n"
