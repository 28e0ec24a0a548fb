"""Clean one document: decode -> (HTML: trafilatura) -> text rules -> metadata -> Document."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

from lxml.html import HtmlElement
from tld import get_fld

from ..config import Config, default_config, load_config
from ..models import Capture, Document, document_id
from ..rules.apply import apply_text_rules
from ..rules.engine import ActiveRules, RuleBook, load_rulebook
from ..rules.kinds import Found
from ..rules.meta import Metadata, find_url, read_metadata, scan_date, take_line
from ._author import markup_author
from ._dates import date_from_url
from ._decode import decode_text, looks_like_html, usable_input
from ._guard import SUSPECT_WORDS, fragment, restore_dropped, suspect, verdict
from ._html import main_lines, page_words, parse_html, reference_lines
from ._html_drops import html_drops
from ._html_meta import PageMetadata, page_metadata
from ._lead import find_lead
from ._line_model import LineJudge, load_judge
from ._lines import Line, split_lines, to_plain
from ._page_signals import evidence, html_signals

__all__ = ["clean", "clean_lines", "rulebook_for"]


def rulebook_for(config: Config) -> RuleBook:
    rules = [config.path(p) for p in config.rules]
    book = load_rulebook(rules, config.publishers, config=config.source_file)
    if not config.clean.line_model:  # a copy: the loaded book is cached and shared
        book = copy.copy(book)
        book.line_model = False
    return book


def _registered_domain(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return get_fld(url, fail_silently=True)
    except Exception:
        return None


def _html_lines(
    book: RuleBook,
    tree: HtmlElement,
    page: PageMetadata,
    url: str | None,
    captured: datetime | None,
    full_out: list[Line],
) -> tuple[list[Line], list[str]]:
    """trafilatura's text as Lines, pruned with the publisher's XPaths, lead put back; and
    the XPaths pruned. `full_out` as for main_lines."""
    pub = book.publisher_for(url, "")
    day = captured.date() if captured else None
    prune = book.select(url, "", None, captured=day).prune_xpath
    lines = main_lines(tree, url=url, prune_xpath=prune, full_out=full_out)
    text = "\n".join(line.raw for line in lines)
    if pub is None and book.publisher_for(url, text) is not None:
        again = book.select(url, text, page.published, captured=day).prune_xpath
        if again != prune:
            lines = main_lines(tree, url=url, prune_xpath=again, full_out=full_out)
            text = "\n".join(line.raw for line in lines)
            prune = again
    lead = find_lead(tree, page.description, text)
    if lead:
        at = next((i for i, line in enumerate(lines) if not line.heading), len(lines))
        lines.insert(at, Line(0, lead, to_plain(lead), lead=True))
        for n, line in enumerate(lines, 1):
            line.n = n
    return lines, prune


def _guarded(
    tree: HtmlElement,
    lines: list[Line],
    removed: Found,
    rules: ActiveRules,
    url: str | None,
    prune: list[str],
    full: list[Line],
) -> tuple[list[Line], Found]:
    """Our lines, or trafilatura's own where ours collapsed (cleaning/_guard.py); `full`:
    its full-mode lines when main_lines extracted them already."""
    reference = full or reference_lines(tree, url=url, prune_xpath=prune)
    if verdict(lines, reference) == "keep" and fragment(lines, reference, page_words(tree)):
        # both chose a short block: trafilatura's default balance may find the page's text
        # in another, larger one (favor_recall and default part ways on some layouts)
        other = reference_lines(tree, url=url, prune_xpath=prune, recall=False)
        if sum(line.words for line in other) >= SUSPECT_WORDS:  # a page's worth, not more scraps
            reference = other
    if verdict(lines, reference) == "replace":
        lines = [replace(line) for line in reference]
        removed = apply_text_rules(lines, rules)
    if verdict(lines, reference) == "restore":
        numbers = restore_dropped(lines, reference)
        back = {(line.n, line.plain) for line in lines if line.n in numbers}
        removed = [(n, r) for n, r in removed if (n, r.text) not in back]
    return lines, removed


def clean_lines(
    book: RuleBook,
    data: str | bytes,
    *,
    url: str | None = None,
    captured: datetime | None = None,
    doc_id: str | None = None,
    source: str = "text",
    content_type: str | None = None,
    html_drops_out: list[tuple[str, str, str]] | None = None,
    line_judge: LineJudge | bool = True,
) -> tuple[Document, list[Line]]:
    """`clean` with the rule book given (for runs of many documents), returning also every
    input line with its decision (for `scrape explain` and `scrape report`).

    `html_drops_out`, when given, receives (rule, kind, text) for each block of an HTML
    page that trafilatura or a prune rule left out (cleaning/_html_drops.py; explain only).

    `line_judge`: the line classifier that plain text goes through after the rules
    (cleaning/_line_model.py): True for the shipped one (unless the config's
    `clean.line_model` is false), False for none.

    Language and page type are not set here: they are annotations of the filter stage
    (`filters.annotate`, which `clean` runs)."""
    data = usable_input(data)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    raw_sha256 = hashlib.sha256(raw).hexdigest()
    given = Metadata()
    tree = None
    prune: list[str] = []
    full: list[Line] = []
    html_language = None
    signals = None
    if looks_like_html(data):
        tree = parse_html(data, content_type=content_type)
        signals = html_signals(tree)
        page = page_metadata(tree, url)
        lines, prune = _html_lines(book, tree, page, url, captured, full)
        text = "\n".join(line.raw for line in lines)
        given = Metadata(page.title, page.author, page.published, page.url)
        html_language = page.language
    else:
        text = decode_text(data)
        lines = split_lines(text)
    generic = book.select(None, "", None)
    trailer_url, _ = find_url(lines, generic)
    where = url or given.url or trailer_url
    published: date | None = date_from_url(where) or given.published or scan_date(lines, generic)
    rules = book.select(where, text, published, captured=captured.date() if captured else None)
    removed = apply_text_rules(lines, rules)
    if tree is not None and suspect(lines):
        lines, removed = _guarded(tree, lines, removed, rules, url, prune, full)
    if tree is not None and html_drops_out is not None:
        html_drops_out += html_drops(tree, lines, prune)
    judge = None
    if tree is None:  # the classifier reads plain text only; markup has its own guards
        judge = (load_judge() if book.line_model else None) if line_judge is True else line_judge
    verdict = judge(lines) if judge else None
    if verdict is not None and verdict.title is not None and not given.title:
        given = replace(given, title=verdict.title.plain)
        take_line(verdict.title, "title", "title", removed)
    meta, meta_removed = read_metadata(lines, rules, given)
    if verdict is not None:
        meta_removed += judge.drop(lines, verdict)
    if meta.author is None and tree is not None:
        meta.author = markup_author(tree)  # after the text: the slowest metadata step
    body = "\n\n".join(line.plain for line in lines if line.kept)
    final_url = meta.url or url
    doc = Document(
        id=doc_id or document_id(final_url, captured, raw_sha256),
        text=body,
        url=final_url,
        source=source,
        capture_time=captured.astimezone(timezone.utc) if captured else None,
        publisher=rules.publisher or _registered_domain(final_url),
        title=meta.title,
        author=meta.author,
        published=meta.published,
        removed=tuple(r for _, r in sorted(removed + meta_removed, key=lambda x: x[0])),
        raw_sha256=raw_sha256,
        rule_version=rules.label,
        evidence=evidence(signals, lines, language=html_language),
    )
    return doc, lines


def clean(
    text_or_html: str | bytes,
    url: str | None = None,
    captured: datetime | None = None,
    config: Config | str | Path | None = None,
) -> Document:
    """Clean one page or text: boilerplate out, metadata read, every removal recorded.

    `config` is a Config, a path to a config file, or None for the packaged defaults.
    Raises InputError when the input is empty, binary, not UTF-8, or holds no text. Lone
    surrogates in a str become U+FFFD and NUL characters are dropped (cleaning/_decode.py).
    """
    from ..filters import annotate

    if not isinstance(config, Config):
        config = load_config(config) if config is not None else default_config()
    doc = clean_lines(rulebook_for(config), text_or_html, url=url, captured=captured)[0]
    return annotate(doc, Capture(id=doc.id, source=doc.source, content=b"", url=url))
