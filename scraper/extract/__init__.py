"""Turning raw bytes into text: charset and format detection, HTML extraction."""

from .author import markup_author
from .decode import decode_text, looks_like_html, usable_input
from .html import main_lines, parse_html
from .html_meta import PageMetadata, page_metadata
from .lead import find_lead

__all__ = [
    "PageMetadata",
    "decode_text",
    "find_lead",
    "looks_like_html",
    "main_lines",
    "markup_author",
    "page_metadata",
    "parse_html",
    "usable_input",
]
