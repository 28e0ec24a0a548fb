"""One document's cleaning: bytes -> text (decode, HTML extraction) -> lines -> rules ->
metadata (read by the meta rules, `rules/meta.py`) -> a Document. The modules are
private; what the rest of the package uses is named here.

    _document       the entry point: clean(), clean_lines(), rulebook_for()
    _lines          Line, the unit every rule and metadata step works on
    _dates          dates in urls and in text, in many languages
    _decode         bytes -> str: BOM, HTTP charset, <meta charset>, detection
    _html           trafilatura's main text as Lines (_blocks: links, list items)
    _chunks         an article cut into chunks, joined before extraction
    _lead           the lead paragraph trafilatura leaves out, put back
    _html_drops     what trafilatura and prune rules left out, for scrape explain
    _html_meta      title, author, date, canonical url from the markup (_author)
    _page_signals   what a page says about its kind, for filters/page_type.py
"""

# _lines first: rules/ imports Line from here while _document is still being imported
from ._lines import Line, split_lines, to_plain, word_count  # noqa: I001
from ._dates import date_from_url, parse_date
from ._decode import Decoded, decode_page, decode_text, looks_like_html
from ._html import parse_html
from ._page_signals import html_signals, text_shape
from ._document import clean, clean_lines, rulebook_for

__all__ = [
    "Decoded",
    "Line",
    "clean",
    "clean_lines",
    "date_from_url",
    "decode_page",
    "decode_text",
    "html_signals",
    "looks_like_html",
    "parse_date",
    "parse_html",
    "rulebook_for",
    "split_lines",
    "text_shape",
    "to_plain",
    "word_count",
]
