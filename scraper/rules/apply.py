"""Apply the text rules chosen for a document to its lines.

Phases run in a fixed order, each over all active rule files (the publisher's first, then
the generic ones): strip spans, cut trailers, drop blocks, drop lists, drop link lists,
drop lines, drop keyword families, drop breadcrumbs, drop repeated lines. A line taken by
one rule is not matched again, and every removal is returned as a `Removed` with the
rule's name and kind.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import groupby
from statistics import median

from ..cleaning import Line
from ..models import Removed
from .engine import ActiveRules
from .schema import BlockRule

__all__ = ["Found", "apply_text_rules"]


Found = list[tuple[int, Removed]]  # (input line number, removal)


def _drop(line: Line, name: str, kind: str, out: Found) -> None:
    if line.kept:
        line.removed = (name, kind)
        out.append((line.n, Removed(name, kind, line.plain)))


def _strip(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    for name, rule in rules.sections("strip"):
        for line in lines:
            if not line.kept:
                continue
            m = rule.pattern.search(line.raw)
            if m and m.group(0).strip():
                out.append((line.n, Removed(name, rule.kind, m.group(0).strip())))
                line.set_raw(line.raw[: m.start()] + line.raw[m.end() :])
                if not line.plain:
                    line.removed = (name, rule.kind)


def _truncate(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    for name, rule in rules.sections("truncate_after"):
        first = int(len(lines) * rule.min_position)
        for i in range(first, len(lines)):
            if lines[i].kept and rule.pattern.search(lines[i].plain):
                for line in lines[i:]:
                    _drop(line, name, rule.kind, out)
                break


def _block_end(lines: list[Line], i: int, rule: BlockRule) -> int | None:
    """The index of the block's last line: its end marker, else the text's last line
    when the page was cut short inside the block."""
    stop = min(len(lines), i + rule.max_lines)
    end = next((j for j in range(i, stop) if rule.end.search(lines[j].plain)), None)
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


def _blocks(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    for name, rule in rules.sections("drop_blocks"):
        i = 0
        while i < len(lines):
            if lines[i].kept and rule.start.search(lines[i].plain):
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


def _lists(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    for name, rule in rules.sections("drop_lists"):
        for i, line in enumerate(lines):
            if not (line.kept and rule.header.search(line.plain)):
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


def _link_lists(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    for name, rule in rules.sections("link_lists"):
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


def _line_rules(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    line_rules = rules.sections("drop_lines")

    # the hottest loop of a run (every rule x every line): most rules have a `max_words`,
    # so lines are visited shortest first and a rule stops at its limit
    order = sorted(range(len(lines)), key=lambda i: lines[i].words)
    sizes = [lines[i].words for i in order]

    def matches(rule) -> list[bool]:
        search, links = rule.pattern.search, rule.min_links
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
                and rule.pattern.search(line.plain) is not None
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


def _families(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    for name, rule in rules.sections("families"):
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


def _breadcrumbs(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    for name, rule in rules.sections("breadcrumbs"):
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


def _repeats(lines: list[Line], rules: ActiveRules, out: Found) -> None:
    repeat = next((v.repeat for v in rules.versions if v.repeat), None)
    if repeat is None:
        return
    name, rule = repeat
    prev: Line | None = None
    for line in lines:
        if not line.kept:
            continue
        if prev is not None and line.plain.casefold() == prev.plain.casefold():
            _drop(line, name, rule.kind, out)
        else:
            prev = line


_PHASES = (
    _strip,
    _truncate,
    _blocks,
    _lists,
    _link_lists,
    _line_rules,
    _families,
    _breadcrumbs,
    _repeats,
)


def apply_text_rules(lines: list[Line], rules: ActiveRules) -> Found:
    """Mark the lines the rules remove; return what was removed with its line number."""
    out: Found = []
    for phase in _PHASES:
        phase(lines, rules, out)
    return out
