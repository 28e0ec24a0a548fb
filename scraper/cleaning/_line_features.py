"""What a line of plain text looks like, in numbers: the input of the line classifier
(`_line_model.py`), kept apart so that its training script (`bench/train_line_model.py`)
computes exactly what inference sees.

A line is described by itself (length, ending, stopword share as jusText measures it,
capitals, digits, separators, boilerplate vocabulary), by where it sits (relative to the
document's main run of prose, found as the densest stretch of prose lines), by its
neighbours (the same measures two lines up and down, and whether a rule took them) and by
repetition inside the document. No feature names a publisher or holds a page's words.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from ..patterns import top_level_alternatives
from ._lines import Line

__all__ = ["FEATURE_NAMES", "STACK_NAMES", "line_features", "stacked_features"]

_WORD = re.compile(r"[^\W\d_]+")
_ENDS_SENTENCE = tuple('.!?…"”’»)')
_SEPARATORS = re.compile(r"[|·•/»›>]")
_BULLET = re.compile(r"^\s*(?:[*•\-–—]|\d+[.)])\s+")
_URLISH = re.compile(r"https?://|www\.|@\w|\.com\b|\.org\b", re.I)
_URL_MARKS = ("http", "www.", "@", ".com", ".org")  # one of these is in every match
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s?[ap]\.?m\.?\b", re.I)
_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b(?:19|20)\d{2}\b")
# Words that furniture uses in many languages: sharing, following, subscribing, adverts,
# reading on, credits, comments, navigation. A count per group, not the words themselves.
_CUES = {
    "social": r"share|tweet|facebook|twitter|whatsapp|linkedin|pinterest|instagram|telegram"
    r"|reddit|e-?mail|print|copy link|teilen|compartir|partager|condividi|delen",
    "follow": r"follow|subscribe|sign up|newsletter|inbox|register|log ?in|sign in|account"
    r"|abonn|suscr|iscriviti|anmelden|registr|notification|download|app\b|podcast",
    "advert": r"advert|sponsor|promot|ad choices|anzeige|werbung|publicidad|publicité"
    r"|pubblicità|partner|affiliate|commission|deal",
    "more": r"read more|more from|related|recommended|most (?:read|popular|viewed)"
    r"|you may also|also read|see also|trending|next|previous|mehr|más|plus|altro|leia",
    "credit": r"photo|image|picture|getty|reuters|afp|\bap\b|associated press|shutterstock"
    r"|credit|foto|bild|imagen|illustration|video|watch|gallery|caption",
    "legal": r"©|copyright|all rights|privacy|cookie|terms|rights reserved|datenschutz",
    "talk": r"comment|repl(?:y|ies)|says:|discussion|kommentar|comentario|commentaire|commento",
    "byline": r"^(?:by|von|por|par|di|door|av|de|written by|reporting by|posted by)\b"
    r"|\b(?:editor|correspondent|reporter|staff writer|contributor|author)\b",
    "updated": r"updated|published|posted|last modified|aktualisiert|actualizado|mis à jour"
    r"|ago\b|minutes?\b|hours?\b|uhr\b",
}


def _cue_pattern() -> tuple[re.Pattern[str], list[int]]:
    """One pass over a lowercased line finds every cue; the group that matched names its
    group (`lastindex`). Cues start a word (or are the © sign), and the alternatives are
    bucketed by their first letter, so at a word start the engine tries one bucket, not
    every cue: five times fewer branches than one plain alternation. Returns the pattern
    and, for each of its groups, the column of the cue's group in `_CUES`."""
    anywhere: list[tuple[str, str]] = []
    buckets: dict[str, list[tuple[str, str]]] = {}
    for name, rx in _CUES.items():
        for alt in top_level_alternatives(rx):
            if alt[0].isalpha():
                buckets.setdefault(alt[0], []).append((name, alt[1:]))
            else:
                anywhere.append((name, alt))
    names: list[str] = [""]  # group 0 is the whole match: no cue
    parts = []
    for name, alt in anywhere:
        parts.append(f"({alt})")
        names.append(name)
    for first, alts in buckets.items():
        parts.append(re.escape(first) + "(?:" + "|".join(f"({alt})" for _, alt in alts) + ")")
        names += [name for name, _ in alts]
    columns = [list(_CUES).index(name) if name else -1 for name in names]
    return re.compile(r"(?:\b|(?=©))(?:" + "|".join(parts) + ")"), columns


_CUE_RE, _CUE_OF = _cue_pattern()
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]|_")

_SELF = [
    "log_chars",
    "words",
    "ends_sentence",
    "ends_colon",
    "ends_comma",
    "sentences",
    "stop_share",
    "cap_share",
    "upper_share",
    "digit_share",
    "punct_share",
    "separators",
    "bullet",
    "urlish",
    "time",
    "date",
    "heading",
    "mean_word_len",
    *(f"cue_{name}" for name in _CUES),
]
_CONTEXT = ["log_chars", "words", "ends_sentence", "stop_share", "cap_share", "bullet"]
_OFFSETS = (-2, -1, 1, 2)
_CONTEXT_INDEX = [_SELF.index(name) for name in _CONTEXT]
FEATURE_NAMES: list[str] = [
    *_SELF,
    "removed",
    "position",
    "in_main",
    "before_main",
    "after_main",
    "chars_to_main",
    "repeats",
    "repeated_before",
    "doc_lines",
    "doc_prose_share",
    "word_overlap_main",
    *(f"{name}@{d:+d}" for d in _OFFSETS for name in (*_CONTEXT, "removed")),
]


# what a neighbour reads of a line (`_CONTEXT`, and `_prose` of every line)
_AS_CONTEXT = [
    _SELF.index(name)
    for name in ("log_chars", "words", "ends_sentence", "stop_share", "cap_share", "bullet")
]


def _own(line: Line, words: list[str], stop: frozenset[str]) -> list[float]:
    """The line's `_SELF` columns. A line a rule took is never judged, only read as a
    neighbour: of it only the `_AS_CONTEXT` columns are computed, the rest left 0."""
    text = line.plain
    n = max(len(words), 1)
    log_chars = math.log1p(len(text))
    ends = float(text.endswith(_ENDS_SENTENCE))
    stop_share = sum(map(stop.__contains__, map(str.casefold, words))) / n
    cap_share = sum(map(str.isupper, [w[0] for w in words])) / n
    bullet = float(bool(_BULLET.match(line.raw)))
    if not line.kept:
        row = [0.0] * len(_SELF)
        for at, value in zip(
            _AS_CONTEXT, (log_chars, line.words, ends, stop_share, cap_share, bullet), strict=True
        ):
            row[at] = value
        return row
    low = text.lower()
    chars = len(text)
    cues = [0.0] * len(_CUES)
    for m in _CUE_RE.finditer(low):
        cues[_CUE_OF[m.lastindex]] += 1
    digits = len(_DIGIT.findall(text))
    # the cheap tests first: a time or a date needs a digit, an address one of its marks
    urlish = any(mark in low for mark in _URL_MARKS) and _URLISH.search(text) is not None
    return [
        log_chars,
        line.words,
        ends,
        float(text.endswith(":")),
        float(text.endswith((",", ";", "-", "–", "—"))),
        text.count(". ") + text.count("? ") + text.count("! "),
        stop_share,
        cap_share,
        sum(w.isupper() and len(w) > 1 for w in words) / n,
        digits / max(chars, 1),
        len(_PUNCT.findall(text)) / max(chars, 1),
        len(_SEPARATORS.findall(text)),
        bullet,
        float(urlish),
        float(digits > 0 and _TIME.search(text) is not None),
        float(digits > 0 and _DATE.search(text) is not None),
        float(line.heading),
        sum(map(len, words)) / n,
        *cues,
    ]


def _prose(own: list[float]) -> bool:
    words, ends, stop_share = own[1], own[2], own[6]
    return words >= 12 and bool(ends) and stop_share >= 0.15


def _main_run(lines: list[Line], prose: list[bool]) -> tuple[int, int]:
    """The stretch [a, b] of lines with the most prose: each prose line adds its length,
    every other line costs a little (Kadane's maximum subarray)."""
    best, best_at = -1.0, (0, len(lines) - 1)
    run, start = 0.0, 0
    for i, line in enumerate(lines):
        gain = len(line.plain) if prose[i] else -(40 + len(line.plain) / 2)
        if run <= 0:
            run, start = 0.0, i
        run += gain
        if run > best:
            best, best_at = run, (start, i)
    return best_at


def line_features(lines: list[Line], stop: frozenset[str]) -> np.ndarray:
    """One row of FEATURE_NAMES per line, all lines of the document (rule-removed ones
    included, as context: their own columns outside `_CONTEXT` are 0), in order."""
    n = len(lines)
    if not n:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    words = [_WORD.findall(line.plain) for line in lines]
    own = [_own(line, w, stop) for line, w in zip(lines, words, strict=True)]
    prose = [_prose(row) for row in own]
    a, b = _main_run(lines, prose)
    folded = [{w.casefold() for w in ws} for ws in words]
    main_words = set().union(*folded[a : b + 1])
    offsets = np.cumsum([0] + [len(line.plain) for line in lines])
    keys = [line.plain.casefold() for line in lines]
    counts = Counter(keys)
    seen: set[str] = set()
    removed = [float(not line.kept) for line in lines]
    prose_share = sum(prose) / n
    rows = []
    for i, key in enumerate(keys):
        if a <= i <= b:
            overlap, to_main = 1.0, 0.0
        else:
            overlap = len(folded[i] & main_words) / max(len(folded[i]), 1)
            to_main = (offsets[a] - offsets[i + 1]) if i < a else (offsets[i] - offsets[b + 1])
        rows.append(
            [
                removed[i],
                i / n,
                float(a <= i <= b),
                float(max(a - i, 0)),
                float(max(i - b, 0)),
                math.log1p(max(to_main, 0)),
                float(counts[key]),
                float(key in seen),
                float(n),
                prose_share,
                overlap,
            ]
        )
        seen.add(key)
    mine = np.asarray(own, dtype=np.float32)
    context = np.column_stack([mine[:, _CONTEXT_INDEX], np.asarray(removed, dtype=np.float32)])
    shifted = [_shifted(context, d) for d in _OFFSETS]
    return np.hstack([mine, np.asarray(rows, dtype=np.float32), *shifted])


def _shifted(values: np.ndarray, d: int) -> np.ndarray:
    """Row i holds the value of row i + d, or -1 past either end."""
    near = np.full_like(values, -1.0)
    if d < 0:
        near[-d:] = values[:d]
    elif d > 0:
        near[:-d] = values[d:]
    return near


# The second pass: what the first model thought of the lines around (article text comes in
# runs, and a comment thread or a link list is a run of its own), as a CRF would use the
# neighbours' labels. Computed over the lines the rules left, in order.
_P_OFFSETS = (-3, -2, -1, 1, 2, 3)
_SURE = 0.5
STACK_NAMES: list[str] = [
    "p",
    *(f"p@{d:+d}" for d in _P_OFFSETS),
    "p_mean3",
    "p_mean8",
    "p_max_above",
    "p_max_below",
    "sure_share_above",
    "sure_share_below",
    "lines_to_sure_above",
    "lines_to_sure_below",
    "before_first_sure",
    "after_last_sure",
    "sure_chars_above",
    "sure_chars_below",
    "dated_share8",
    "talk_above",
    "p_title",
    "title_sure",
    "before_title",
    "from_title",
]


def _window_mean(v: np.ndarray, r: int) -> np.ndarray:
    """Mean of v over the r lines either side, the line itself left out."""
    c = np.concatenate([[0.0], np.cumsum(v)])
    idx = np.arange(len(v))
    lo, hi = np.maximum(idx - r, 0), np.minimum(idx + r + 1, len(v))
    count = hi - lo - 1
    return np.where(count > 0, (c[hi] - c[lo] - v) / np.maximum(count, 1), -1.0)


def stacked_features(x: np.ndarray, p: np.ndarray, p_title: np.ndarray) -> np.ndarray:
    """FEATURE_NAMES + STACK_NAMES rows: the first-pass rows `x` of the judged lines with
    the first model's keep probabilities `p` around each, and where each line lies from
    the likeliest headline (`p_title`: what comes above it is mostly menus)."""
    m = len(p)
    if not m:
        return np.zeros((0, len(FEATURE_NAMES) + len(STACK_NAMES)), dtype=np.float32)
    p = np.asarray(p, dtype=np.float64)
    cols: list[np.ndarray] = [p, *(_shifted(p, d) for d in _P_OFFSETS)]
    cols += [_window_mean(p, 3), _window_mean(p, 8)]
    above = np.concatenate([[0.0], np.maximum.accumulate(p)[:-1]])
    below = np.concatenate([np.maximum.accumulate(p[::-1])[::-1][1:], [0.0]])
    sure = (p >= _SURE).astype(np.float64)
    idx = np.arange(m)  # also the number of lines above each
    sure_above = np.concatenate([[0.0], np.cumsum(sure)[:-1]])
    sure_below = sure.sum() - sure_above - sure
    sure_at = np.flatnonzero(sure)
    if len(sure_at):
        prev = np.searchsorted(sure_at, idx, side="left") - 1
        nxt = np.searchsorted(sure_at, idx, side="right")
        to_above = np.where(prev >= 0, idx - sure_at[np.maximum(prev, 0)], m)
        to_below = np.where(nxt < len(sure_at), sure_at[np.minimum(nxt, len(sure_at) - 1)] - idx, m)
        first, last = sure_at[0], sure_at[-1]
    else:
        to_above = to_below = np.full(m, m)
        first, last = m, -1
    chars = np.expm1(x[:, FEATURE_NAMES.index("log_chars")]) * sure
    chars_above = np.concatenate([[0.0], np.cumsum(chars)[:-1]])
    chars_below = chars.sum() - chars_above - chars
    dated = np.maximum(x[:, FEATURE_NAMES.index("time")], x[:, FEATURE_NAMES.index("date")])
    talk = (x[:, FEATURE_NAMES.index("cue_talk")] > 0).astype(np.float64)
    cols += [
        above,
        below,
        sure_above / np.maximum(idx, 1),
        sure_below / np.maximum(m - 1 - idx, 1),
        np.log1p(to_above),
        np.log1p(to_below),
        (idx < first).astype(np.float64),
        (idx > last).astype(np.float64),
        np.log1p(chars_above),
        np.log1p(chars_below),
        _window_mean(dated.astype(np.float64), 8),
        np.log1p(np.concatenate([[0.0], np.cumsum(talk)[:-1]])),
    ]
    p_title = np.asarray(p_title, dtype=np.float64)
    top = int(np.argmax(p_title))
    cols += [
        p_title,
        np.full(m, p_title[top]),
        (idx < top).astype(np.float64),
        np.sign(idx - top) * np.log1p(np.abs(idx - top)),
    ]
    return np.hstack([x, np.column_stack(cols).astype(np.float32)])
