"""Turning raw bytes into text: charset and format detection, HTML extraction."""

from .decode import decode_text, looks_like_html
from .html import HtmlResult, extract_html

__all__ = ["HtmlResult", "decode_text", "extract_html", "looks_like_html"]
