"""The line classifier for plain text: which lines of a text dump are article text, and
which one is the headline, for publishers no rule file knows.

Gradient-boosted tree models (LightGBM: small, fast on a CPU, and good with a few dozen
numeric features of mixed scales, which is what `_line_features.py` gives) read the
features of every line after the text rules ran (its neighbours' features among them, as
article text comes in runs): one model judges each line, a second pass judges it again
knowing what the first said of the lines around (`stacked_features`), another picks the
headline. `line_model.json`, beside this module, holds them with their thresholds;
`bench/train_line_model.py` rebuilds it from public labelled dumps and says how it scores
on publishers it did not see.

The text rules go first and win: the model judges only the lines they left, and takes a
line with a removal of kind `boilerplate` (rule `line-model`) so it is recorded like any
other.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..models import Removed
from ._line_features import FEATURE_NAMES, STACK_NAMES, line_features, stacked_features
from ._lines import Line

__all__ = ["LineJudge", "LineVerdict", "MODEL_FILE", "load_judge"]

MODEL_FILE = Path(__file__).with_name("line_model.json")
RULE = "line-model"
TITLE_MAX_WORDS = 30
SENTENCE_WORDS = 6  # a line this long that ends a sentence is never the model's to take
_DATED, _UPDATED, _BYLINE, _URLISH = map(
    FEATURE_NAMES.index, ("date", "cue_updated", "cue_byline", "urlish")
)
_CLOSERS = "\"”’'»)"
# a line that opens as an attribution ("— David Doe on Sunday") or a caption ("Image: ...")
_NOT_HEADLINE = re.compile(r"^(?:[—–-]\s|(?:image|photo|picture|video|foto|bild)\s*:)", re.I)
_SENTENCE_ENDS = (".", "!", "?", '"', "”", "»")


@dataclass
class LineVerdict:
    """What the model said of one document: a keep probability per line (None where a
    rule took the line already) and the headline line, if one stands out."""

    keep: list[float | None]
    title: Line | None = None


class LineJudge:
    """Both models with their thresholds; call it on a document's lines."""

    def __init__(
        self,
        keep_model,
        keep_threshold: float,
        title_model,
        title_threshold: float,
        stack_model=None,
    ) -> None:
        self.keep_model = keep_model
        self.stack_model = stack_model
        self.keep_threshold = keep_threshold
        self.title_model = title_model
        self.title_threshold = title_threshold

    def features(self, lines: list[Line]) -> np.ndarray:
        from ..discover.terms import stoplist
        from ..filters.language import detect_language

        sample = "\n".join(line.plain for line in lines if line.words >= 8)
        language = detect_language(sample) or "en"
        return line_features(lines, stoplist(language))

    def __call__(self, lines: list[Line]) -> LineVerdict:
        kept = [i for i, line in enumerate(lines) if line.kept]
        if not kept:
            return LineVerdict([None] * len(lines))
        x = self.features(lines)[kept]
        p_keep = self.keep_model.predict(x, num_threads=1)
        p_title = None
        if self.stack_model is not None:  # second pass: the first one's verdicts around
            p_title = np.asarray(self.title_model.predict(x, num_threads=1))
            rows2 = stacked_features(x, p_keep, p_title)
            p_keep = self.stack_model.predict(rows2, num_threads=1)
        keep: list[float | None] = [None] * len(lines)
        for i, p in zip(kept, p_keep, strict=True):
            keep[i] = float(p)
        # a headline: not a lone word, a sentence or a list item, and text follows it; a
        # heading the markup marks near the top is the title already (rules/meta.py)
        marked = any(lines[i].heading for i in kept[:3])
        rows = [
            k
            for k, i in enumerate(kept[:-1])
            if not marked
            and 2 <= lines[i].words <= TITLE_MAX_WORDS
            and not lines[i].plain.rstrip(_CLOSERS).endswith(".")  # also '... said.”'
            and not x[k, _URLISH]  # a tweet quoted with its pic.twitter.com address
            and not lines[i].bulleted
            # "Published on 31/05/2012", "Von Anna Schmidt publiziert am 30. Juli 2018"
            and not (x[k, _DATED] and (x[k, _UPDATED] or x[k, _BYLINE]))
            and not _NOT_HEADLINE.match(lines[i].plain)
        ]
        if not rows:
            return LineVerdict(keep)
        if p_title is None:
            p_title = np.asarray(self.title_model.predict(x[rows], num_threads=1))
        else:
            p_title = p_title[rows]
        best = int(np.argmax(p_title))
        title = lines[kept[rows[best]]] if p_title[best] >= self.title_threshold else None
        return LineVerdict(keep, title)

    def drop(self, lines: list[Line], verdict: LineVerdict) -> list[tuple[int, Removed]]:
        """Take the lines still kept that the model does not think article text."""
        judged = [(line, p) for line, p in zip(lines, verdict.keep, strict=True) if p is not None]
        taken = [
            line
            for line, p in judged
            if line.kept and p < self.keep_threshold and not _sentence(line)
        ]
        words = sum(line.words for line, _ in judged if line.kept)
        if words and sum(line.words for line in taken) == words:
            return []  # all of the text: a page unlike any it learnt from; the rules stand
        for line in taken:
            line.removed = (RULE, "boilerplate")
        return [(line.n, Removed(RULE, "boilerplate", line.plain)) for line in taken]


def _sentence(line: Line) -> bool:
    """A whole sentence of some length: article text unless a rule says otherwise (the
    model is unsure of these; on the dev set sparing them costs 0.007 of drop)."""
    return line.words >= SENTENCE_WORDS and line.plain.endswith(_SENTENCE_ENDS)


@lru_cache(maxsize=1)
def load_judge(path: Path = MODEL_FILE) -> LineJudge | None:
    """The shipped models, or None when the file is absent (a build from source without
    it): plain text is then cleaned by the rules alone."""
    if not path.exists():
        return None
    import lightgbm

    data = json.loads(path.read_text(encoding="utf-8"))
    stack = data.get("stack")
    if data["features"] != FEATURE_NAMES or (stack and stack["features"] != STACK_NAMES):
        raise ValueError(f"{path}: built for other features; run bench/train_line_model.py")
    return LineJudge(
        lightgbm.Booster(model_str=data["keep"]["model"]),
        data["keep"]["threshold"],
        lightgbm.Booster(model_str=data["title"]["model"]),
        data["title"]["threshold"],
        lightgbm.Booster(model_str=stack["model"]) if stack else None,
    )
