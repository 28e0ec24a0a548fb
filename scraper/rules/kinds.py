"""Every kind of text rule, each one class: its fields (the pydantic model a rule file is
checked against), its section name in a rule file, and the function that applies it.

`KINDS` lists them in the order they run (the phases): strip spans, cut trailers, drop
blocks, drop lists, drop link lists, drop lines, drop keyword families, drop menus, drop
comment threads, drop breadcrumbs, drop repeated lines. A new kind is a class here and an entry
in `KINDS`; `TextRules`, the rule book and `apply_text_rules` take it from there.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import groupby
from statistics import median
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field, model_validator

from ..models import Removed
from ._types import Regex, Stems, Strict
from .probe import probe

if TYPE_CHECKING:
    from ..cleaning import Line

__all__ = ["KINDS", "Found", "Named", "RuleKind"]

Found = list[tuple[int, Removed]]  # (input line number, removal)
Named = list[tuple[str, Any]]  # (rule name, rule) of one kind, from every active version
Phase = Callable[["list[Line]", Named, Found], None]


class RuleKind(Strict):
    """A kind of text rule: where it sits in a rule file and what applies it."""

    section: ClassVar[str]
    apply: ClassVar[Phase]
    single: ClassVar[bool] = False  # one rule per version, which replaces the parent's

    @classmethod
    def declared(cls, text: Any) -> list[RuleKind]:
        """This kind's rules as a version declares them (`text` is its TextRules)."""
        own = getattr(text, cls.section)
        if cls.single:
            return [] if own is None else [own]
        return list(own)


class _PatternRule(RuleKind):
    """A kind whose rule may be written as a bare pattern string."""

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        return {"pattern": value} if isinstance(value, str) else value


def _drop(line: Line, name: str, kind: str, out: Found) -> None:
    if line.kept:
        line.removed = (name, kind)
        out.append((line.n, Removed(name, kind, line.plain)))


def _strip(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        for line in lines:
            if not line.kept:
                continue
            m = rule.pattern.search(line.raw)
            if m and m.group(0).strip():
                out.append((line.n, Removed(name, rule.kind, m.group(0).strip())))
                line.set_raw(line.raw[: m.start()] + line.raw[m.end() :])
                if not line.plain:
                    line.removed = (name, rule.kind)


def _truncate(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        first = int(len(lines) * rule.min_position)
        for i in range(first, len(lines)):
            if lines[i].kept and probe(rule.pattern)(lines[i].plain):
                for line in lines[i:]:
                    _drop(line, name, rule.kind, out)
                break


def _block_end(lines: list[Line], i: int, rule: BlockRule) -> int | None:
    """The index of the block's last line: its end marker, else the text's last line
    when the page was cut short inside the block."""
    stop = min(len(lines), i + rule.max_lines)
    ended = probe(rule.end)
    end = next((j for j in range(i, stop) if ended(lines[j].plain)), None)
    if end is None and _cut_short_inside(lines, i, rule):
        return len(lines) - 1
    return end


def _cut_short_inside(lines: list[Line], i: int, rule: BlockRule) -> bool:
    """Whether a block without its end marker is the text's tail: it starts past
    `unclosed_from` of the text's words and what follows is short."""
    if rule.unclosed_from is None or len(lines) - i > rule.max_lines:
        return False
    after = sum(line.words for line in lines[i:] if line.kept)
    total = after + sum(line.words for line in lines[:i] if line.kept)
    return after <= rule.unclosed_max_words and total - after >= total * rule.unclosed_from


def _blocks(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        i, starts = 0, probe(rule.start)
        while i < len(lines):
            if lines[i].kept and starts(lines[i].plain):
                end = _block_end(lines, i, rule)
                if end is not None:
                    for line in lines[i : end + 1]:
                        _drop(line, name, rule.kind, out)
                    i = end
            i += 1


def _looks_like_item(line: Line, max_words: int) -> bool:
    """A related-link item reads like a headline: short, not a finished sentence."""
    text = line.plain
    return line.kept and line.words <= max_words and not text.endswith((".", ",", ";"))


def _lists(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        header = probe(rule.header)
        for i, line in enumerate(lines):
            if not (line.kept and header(line.plain)):
                continue
            j = i + 1
            while j < len(lines) and _looks_like_item(lines[j], rule.item_max_words):
                j += 1
            if j - i - 1 >= rule.min_items:
                for item in lines[i:j]:
                    _drop(item, name, rule.kind, out)


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive True flags."""
    out, i = [], 0
    for flag, group in groupby(flags):
        n = len(list(group))
        if flag:
            out.append((i, i + n))
        i += n
    return out


def _link_lists(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        teasers = [
            line.kept
            and (line.item or not rule.items_only)
            and line.link_first
            and line.links >= rule.min_links
            and (rule.max_words is None or line.words <= rule.max_words)
            for line in lines
        ]
        for i, j in _runs(teasers):
            run = lines[i:j]
            if len(run) < rule.min_items or median(x.words for x in run) > rule.median_max_words:
                continue
            above = lines[i - 1] if i else None
            if above and above.kept and not above.item and above.words <= rule.header_max_words:
                _drop(above, name, rule.kind, out)
            for item in run:
                _drop(item, name, rule.kind, out)


def _line_rules(lines: list[Line], named: Named, out: Found) -> None:
    line_rules = named

    # the hottest loop of a run (every rule x every line): most rules have a `max_words`,
    # so lines are visited shortest first and a rule stops at its limit
    order = sorted(range(len(lines)), key=lambda i: lines[i].words)
    sizes = [lines[i].words for i in order]

    def matches(rule) -> list[bool]:
        search, links = probe(rule.pattern), rule.min_links
        upto = len(order) if rule.max_words is None else bisect_right(sizes, rule.max_words)
        flags = [False] * len(lines)
        for i in order[:upto]:
            line = lines[i]
            if (
                line.removed is None
                and (links is None or line.links >= links)
                and search(line.plain) is not None
            ):
                flags[i] = True
        return flags

    for name, rule in line_rules:
        if rule.near is not None:
            continue  # below
        for i, j in _runs(matches(rule)):
            if j - i >= rule.min_run:
                for line in lines[i:j]:
                    _drop(line, name, rule.kind, out)
    # `near` rules take weak lines only beside a removal of the same kind, until nothing
    # more changes, so a widget's leftover buttons go with the widget and nowhere else.
    # Their patterns are loose and slow, so a line is tested only once it is beside one.
    near_rules = [(name, rule, {}) for name, rule in line_rules if rule.near is not None]

    def weak(rule, tested: dict[int, bool], i: int) -> bool:
        if i not in tested:
            line = lines[i]
            tested[i] = (
                (rule.max_words is None or line.words <= rule.max_words)
                and (rule.min_links is None or line.links >= rule.min_links)
                and probe(rule.pattern)(line.plain) is not None
            )
        return tested[i]

    changed = True
    while changed:
        changed = False
        for name, rule, tested in near_rules:
            if not any(o.removed and o.removed[1] == rule.kind for o in lines):
                continue
            for i, line in enumerate(lines):
                if not line.kept:
                    continue
                lo, hi = max(0, i - rule.near), min(len(lines), i + rule.near + 1)
                if any(o.removed and o.removed[1] == rule.kind for o in lines[lo:hi]) and weak(
                    rule, tested, i
                ):
                    _drop(line, name, rule.kind, out)
                    changed = True


def _menus(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        run: list[Line] = []
        for line in [*lines, None]:
            if line is not None and line.list_level and _menu_item(line, rule.max_words):
                run.append(line)
                continue
            levels = {item.list_level for item in run}
            if len(run) >= rule.min_items and len(levels) >= rule.min_levels:
                for item in run:
                    _drop(item, name, rule.kind, out)
            run = []


def _menu_item(line: Line, max_words: int) -> bool:
    return line.words <= max_words and not line.plain.endswith((".", "!", "?", ";", ":"))


def _threads(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        voices: dict[int, bool] = {}  # the marks: line index -> a voice (else a stamp)
        voice, stamp = probe(rule.voices), rule.stamps and probe(rule.stamps)
        for i, line in enumerate(lines):  # a mark a rule took already ("Reply") still counts
            if line.words <= rule.mark_max_words:
                if voice(line.plain):
                    voices[i] = True
                elif stamp and stamp(line.plain):
                    voices[i] = False
        clusters: list[list[int]] = []
        for i in voices:
            if clusters and i - clusters[-1][-1] <= rule.max_gap:
                clusters[-1].append(i)
            else:
                clusters.append([i])
        for cluster in clusters:
            if len(cluster) < rule.min_marks:
                continue
            if not any(voices[i] for i in cluster):
                continue  # stamps alone: a live blog's entries or a list of stories
            first, last = cluster[0], min(cluster[-1] + rule.tail, len(lines) - 1)
            if sum(line.words for line in lines[:first] if line.kept) < rule.min_words_above:
                continue  # no article above it: not a thread under one
            for line in lines[first : last + 1]:
                _drop(line, name, rule.kind, out)


def _families(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        for line in lines:
            if line.kept and line.words <= rule.max_words and rule.matches(line.plain):
                _drop(line, name, rule.kind, out)


_SEPARATORS = re.compile(r"\s(?:»|›|>|/|\||::)\s|\s?[»›]\s?")
_TRAIL_SEGMENT_WORDS = 5


def _is_trail(text: str) -> bool:
    """Section names between separators: short labels, not a table row of figures."""
    if text.startswith("|") or text.endswith("|"):
        return False  # a table row, as trafilatura writes tables
    segments = [seg.strip() for seg in _SEPARATORS.split(text) if seg.strip()]
    return all(
        len(seg.split()) <= _TRAIL_SEGMENT_WORDS and not any(ch.isdigit() for ch in seg)
        for seg in segments[:-1]  # the last one may be the (longer) title
    )


def _breadcrumbs(lines: list[Line], named: Named, out: Found) -> None:
    for name, rule in named:
        kept = [line for line in lines if line.kept][: rule.top_lines]
        for line, nxt in zip(kept, kept[1:], strict=False):
            text = line.plain
            if line.words > rule.max_words:
                continue
            seps = len(_SEPARATORS.findall(text)) if _is_trail(text) else 0
            tail_is_title = text.casefold().endswith(nxt.plain.casefold()) and text != nxt.plain
            if seps >= rule.min_separators or (
                rule.pattern.search(text) and (tail_is_title or seps)
            ):
                _drop(line, name, rule.kind, out)


def _repeats(lines: list[Line], named: Named, out: Found) -> None:
    if not named:
        return
    name, rule = named[0]  # the first version's: a later one replaces an earlier one
    prev: Line | None = None
    for line in lines:
        if not line.kept:
            continue
        if prev is not None and line.plain.casefold() == prev.plain.casefold():
            _drop(line, name, rule.kind, out)
        else:
            prev = line


class LineRule(_PatternRule):
    """Drop a line that matches; `max_words`, `near` and `min_run` guard article text."""

    section: ClassVar[str] = "drop_lines"
    apply: ClassVar[Phase] = staticmethod(_line_rules)

    pattern: Regex
    kind: str = "boilerplate"
    name: str | None = None
    max_words: int | None = Field(None, ge=1)
    near: int | None = Field(None, ge=1, description="only within N lines of a drop of this kind")
    min_run: int = Field(1, ge=1, description="only in a run of N consecutive matching lines")
    min_links: float | None = Field(
        None, gt=0, le=1, description="only lines this share of which is links (HTML input)"
    )


class LinkListRule(RuleKind):
    """Drop a run of list items that each lead with a link: teasers for other pages.

    HTML input only (text input does not say what was a link). Items of a list of links
    inside the article text are rarer than boxes of other stories, and those are kept by
    `min_items` and `min_links`.
    """

    section: ClassVar[str] = "link_lists"
    apply: ClassVar[Phase] = staticmethod(_link_lists)

    kind: str = "related-links"
    name: str | None = None
    min_items: int = Field(3, ge=1)
    min_links: float = Field(0.25, gt=0, le=1, description="share of each item that is links")
    median_max_words: int = Field(
        25, ge=1, description="teasers are headlines: longer items are a list in the article"
    )
    header_max_words: int = Field(8, ge=0, description="also drop a short line just above")
    max_words: int | None = Field(None, ge=1, description="a longer line ends the run")
    items_only: bool = Field(
        True, description="only list items; false also takes runs of paragraphs and headings"
    )


class BlockRule(RuleKind):
    """Drop from a start line through an end line, if the end comes within max_lines.

    A page cut short loses the end line: then the block goes to the end of the text, but
    only for a rule that sets `unclosed_from` (a start marker specific enough, such as a
    letter's salutation), when the block starts past that share of the text's words and
    the rest is at most `unclosed_max_words` words, so an article is never eaten.
    """

    section: ClassVar[str] = "drop_blocks"
    apply: ClassVar[Phase] = staticmethod(_blocks)

    start: Regex
    end: Regex
    kind: str = "boilerplate"
    name: str | None = None
    max_lines: int = Field(40, ge=1)
    unclosed_from: float | None = Field(
        None,
        ge=0.5,
        le=1,
        description="an unclosed block starts past this share of words; null: never",
    )
    unclosed_max_words: int = Field(120, ge=1, description="an unclosed block is this short")


class ListRule(RuleKind):
    """Drop a header line and the short, title-like lines that follow it."""

    section: ClassVar[str] = "drop_lists"
    apply: ClassVar[Phase] = staticmethod(_lists)

    header: Regex
    kind: str = "related-links"
    name: str | None = None
    item_max_words: int = Field(16, ge=1)
    min_items: int = Field(1, ge=0)


class TrailerRule(_PatternRule):
    """Drop a matching line and everything after it."""

    section: ClassVar[str] = "truncate_after"
    apply: ClassVar[Phase] = staticmethod(_truncate)

    pattern: Regex
    kind: str = "trailer"
    name: str | None = None
    min_position: float = Field(0.5, ge=0, le=1, description="only in the last part of the text")


class StripRule(RuleKind):
    """Cut a span out of a line as written (e.g. a bold photo credit after a caption)."""

    section: ClassVar[str] = "strip"
    apply: ClassVar[Phase] = staticmethod(_strip)

    pattern: Regex
    kind: str = "boilerplate"
    name: str | None = None


class BreadcrumbRule(RuleKind):
    """Drop a navigation trail near the top.

    Either a line matching `pattern` (e.g. starting with "Home") that ends with the next
    line (the title) or holds a separator, or any short line with `min_separators` of
    » › > / | between words.
    """

    section: ClassVar[str] = "breadcrumbs"
    apply: ClassVar[Phase] = staticmethod(_breadcrumbs)

    pattern: Regex
    kind: str = "navigation"
    name: str | None = None
    max_words: int = Field(30, ge=1)
    min_separators: int = Field(2, ge=1)
    top_lines: int = Field(12, ge=1, description="only among the first N lines")


class RepeatRule(RuleKind):
    """Drop a line that repeats the line just before it (duplicated captions)."""

    section: ClassVar[str] = "drop_repeated"
    apply: ClassVar[Phase] = staticmethod(_repeats)
    single: ClassVar[bool] = True

    kind: str = "duplicate"
    name: str | None = None


class MenuRule(RuleKind):
    """Drop a site's menu copied with the page: a run of at least `min_items` short list
    items in at least `min_levels` levels of nesting. An article holds lists too, but of
    one level; nested short items are a navigation tree. (On the 120 tuned public text
    dumps, runs of 8 nested items held 997 boilerplate lines and 7 of article text; runs
    of one level held 353 and 43.)"""

    section: ClassVar[str] = "drop_menus"
    apply: ClassVar[Phase] = staticmethod(_menus)

    kind: str = "navigation"
    name: str | None = None
    min_items: int = Field(8, ge=2)
    min_levels: int = Field(2, ge=1, description="distinct indents or markers (*, +, o)")
    max_words: int = Field(9, ge=1, description="a longer item, or a sentence, ends the run")


class ThreadRule(RuleKind):
    """Drop a thread of readers' comments: the lines from the first of `min_marks` marks
    that sign a comment, each within `max_gap` lines of the next, through `tail` lines
    after the last. A mark is a voice ("name says:", "May 3, 2019 at 6:34 am", "Rating: 12
    Votes", "Reply") or a stamp ("2 days ago"). The comments' own sentences lie between the
    marks and read like article text, so no line rule or classifier can take them one by
    one; the marks, in a run, can. A thread sits under an article, so it needs
    `min_words_above` of text above; and a live blog's entries are stamped too, so stamps
    alone are not a thread: one mark must be a voice.
    """

    section: ClassVar[str] = "drop_threads"
    apply: ClassVar[Phase] = staticmethod(_threads)

    voices: Regex = Field(description="a mark a reader's comment makes; a thread needs one")
    stamps: Regex | None = Field(None, description="a mark that counts only beside a voice")
    kind: str = "comments"
    name: str | None = None
    min_marks: int = Field(3, ge=2)
    max_gap: int = Field(6, ge=1, description="lines from one mark to the next")
    tail: int = Field(3, ge=0, description="lines after the last mark: its comment")
    mark_max_words: int = Field(12, ge=1)
    min_words_above: int = Field(60, ge=0)


class FamilyRule(RuleKind):
    """Drop a short line that holds a word of each of (at least `min_sets` of) its keyword
    sets: one rule for a donation appeal or a paywall meter reworded over the years,
    where a regex per wording would always be one wording behind."""

    section: ClassVar[str] = "families"
    apply: ClassVar[Phase] = staticmethod(_families)

    sets: list[Stems] = Field(
        min_length=1, description="lists of word stems, e.g. [donat, support]"
    )
    kind: str = "boilerplate"
    name: str | None = None
    max_words: int = Field(30, ge=1, description="article sentences are longer, or lack a set")
    min_sets: int | None = Field(None, ge=1, description="how many sets must match; all by default")

    def matches(self, text: str) -> bool:
        need = self.min_sets or len(self.sets)
        return sum(1 for s in self.sets if s.search(text)) >= need


KINDS: tuple[type[RuleKind], ...] = (
    StripRule,
    TrailerRule,
    BlockRule,
    ListRule,
    LinkListRule,
    LineRule,
    FamilyRule,
    MenuRule,
    ThreadRule,
    BreadcrumbRule,
    RepeatRule,
)
