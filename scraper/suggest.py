"""Rule suggestions: lines that repeat across many pages of one publisher are not article text.

For every document of the publisher (cleaned with the rules in force), each kept line is
counted once per document under three keys: the line itself, the line with numbers
normalised, and its `Label:` prefix (for templated lines such as "Filed under: World").
A key found in at least `min_share` of the documents becomes a candidate rule; its kind
is guessed from the boilerplate vocabulary it uses. The result is a rule file in the
shipped format, with hits and examples as comments. Nothing is applied until the user
lists the file under `rules:` in config.yaml.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .cleaning import clean_lines, rulebook_for
from .config import Config
from .errors import InputError
from .pipeline import read_captures

__all__ = ["SuggestedRule", "Suggestions", "render_rule_file", "suggest"]

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
_LABEL = re.compile(r"^([^:]{2,40}):\s+\S")


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


def _kind(text: str) -> str:
    low = text.casefold()
    return next((k for k, words in _KIND_WORDS.items() if re.search(words, low)), "boilerplate")


def _literal(text: str) -> str:
    """A regex for text as written, readable in YAML: spaces stay spaces."""
    return re.escape(text).replace("\\ ", " ")


def _keys(text: str) -> list[tuple[str, str]]:
    """(key, regex) pairs a line is counted under, most specific first."""
    norm = " ".join(text.split())
    out = [("line:" + norm.casefold(), "^" + _literal(norm) + "$")]
    if _NUMBER.search(norm):
        parts = _NUMBER.split(norm)
        out.append(
            (
                "num:" + _NUMBER.sub("0", norm).casefold(),
                "^" + r"\d+".join(map(_literal, parts)) + "$",
            )
        )
    if m := _LABEL.match(norm):
        out.append(("label:" + m.group(1).casefold(), "^" + _literal(m.group(1)) + r":\s"))
    return out


def suggest(
    config: Config, publisher: str, *, min_share: float = 0.2, min_docs: int = 3
) -> Suggestions:
    book = rulebook_for(config)
    df: Counter[str] = Counter()
    patterns: dict[str, str] = {}
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    domains: Counter[str] = Counter()
    wanted = publisher.casefold()
    n = 0
    for cap in read_captures(config):
        try:
            doc, lines = clean_lines(
                book, cap.content, url=cap.url, captured=cap.capture_time, doc_id=cap.id
            )
        except InputError:
            continue
        if (doc.publisher or "").casefold() != wanted:
            continue
        n += 1
        if doc.url and (host := re.sub(r"^www\.", "", doc.url.split("/")[2])):
            domains[host] += 1
        seen: set[str] = set()
        for line in lines:
            if not line.kept:
                continue
            for key, rx in _keys(line.plain):
                if key in seen:
                    continue
                seen.add(key)
                df[key] += 1
                patterns[key] = rx
                if len(examples[key]) < 3:
                    examples[key].append((doc.id, line.plain))
    threshold = max(min_docs, min_share * n)
    frequent = [k for k, count in df.items() if count >= threshold]
    rules: list[SuggestedRule] = []
    # the most general first: a label rule covers every variant of a templated line,
    # a number rule every count of "Listen (4 min)", an exact rule one line
    for prefix in ("label:", "num:", "line:"):
        for key in sorted((k for k in frequent if k.startswith(prefix)), key=lambda k: (-df[k], k)):
            lines_here = [t for _, t in examples[key]]
            if any(re.search(r.pattern, t) for r in rules for t in lines_here):
                continue
            rules.append(
                SuggestedRule(patterns[key], _kind(" ".join(lines_here)), df[key], examples[key])
            )
    rules.sort(key=lambda r: (-r.docs, r.pattern))
    return Suggestions(publisher, n, [d for d, _ in domains.most_common(3)], rules)


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def render_rule_file(s: Suggestions, *, slug: str) -> str:
    out = [
        f"# Suggested by `scrape rules suggest {s.publisher}` from {s.documents} documents.",
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
        out.append(f"        - {{name: {slug}-{i}, kind: {r.kind}, pattern: {_quote(r.pattern)}}}")
    return "\n".join(out) + "\n"
