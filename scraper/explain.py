"""Why each line of a document was kept or dropped: the view behind `scrape explain`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .cleaning import clean_lines, rulebook_for
from .config import Config
from .errors import InputError, UsageError
from .filters.page_type import Verdict, classify
from .models import Document

__all__ = ["LineDecision", "explain", "explain_source", "explain_target", "page_type_of"]


@dataclass(frozen=True, slots=True)
class LineDecision:
    n: int  # line number in the input (for HTML: in trafilatura's text; 0: not in it)
    text: str
    decision: str  # kept | dropped | title | meta
    rule: str | None
    kind: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(
    data: str | bytes, config: Config, *, url: str | None = None
) -> tuple[Document, list[LineDecision]]:
    html_stage: list[tuple[str, str, str]] = []
    doc, lines = clean_lines(rulebook_for(config), data, url=url, html_drops_out=html_stage)
    # what trafilatura and prune rules took out of an HTML page, before any text rule ran
    out = [LineDecision(0, text, "dropped", rule, kind) for rule, kind, text in html_stage]
    for line in lines:
        if line.removed is None:
            kind = "lead" if line.lead else None  # put back from the page (cleaning/_lead.py)
            out.append(LineDecision(line.n, line.plain, "kept", None, kind))
            continue
        rule, kind = line.removed
        decision = "title" if kind == "title" else "meta" if rule.startswith("meta.") else "dropped"
        out.append(LineDecision(line.n, line.plain or line.raw, decision, rule, kind))
    return doc, out


def explain_target(target: str, config: Config) -> tuple[Document, list[LineDecision], str | None]:
    """`explain` of what `scrape explain TARGET` names (a file, or a url in the raw store),
    and its url; a target that cannot be explained is a UsageError naming it."""
    try:
        data, url = explain_source(target, config)
        return (*explain(data, config, url=url), url)
    except InputError as e:
        message = str(e) if str(e).startswith(target) else f"{target}: {e}"
        raise UsageError(message) from None


def page_type_of(doc: Document, url: str | None = None) -> Verdict:
    """The page type the filter stage gives this document, with the evidence that decided."""
    return classify(doc.evidence, url or doc.url, dated=doc.published is not None)


def explain_source(target: str, config: Config) -> tuple[bytes, str | None]:
    """The bytes to explain: a local file, or a url looked up in the raw store."""
    from .models import Capture
    from .sources import iter_store

    path = Path(target)
    if path.exists():
        return path.read_bytes(), None
    if target.startswith(("http://", "https://")):
        for capture in iter_store(config.store_dir):
            if isinstance(capture, Capture) and capture.url == target:
                return capture.content, capture.url
    raise InputError(f"{target}: no such file, and no capture of that url in the raw store")
