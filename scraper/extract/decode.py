"""Decide whether input is HTML or text, and refuse what is neither (binary, not UTF-8)."""

from __future__ import annotations

import re

from ..errors import InputError

__all__ = ["decode_text", "looks_like_html"]

# One lazy `<!--.*?-->` also spans any run of comments (it runs on over the ones between);
# `(?:<!--.*?-->\s*)*` said the same with exponentially many ways to split a run.
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)\b",
    re.IGNORECASE | re.DOTALL,
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def looks_like_html(data: str | bytes) -> bool:
    """HTML starts with a tag (after a BOM, XML declaration or comments)."""
    head = data[:2048]
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    for bom in _BOMS:
        head = head.removeprefix(bom)
    return bool(_HTML_START.match(head))


def decode_text(data: str | bytes) -> str:
    """Text input as str: UTF-8 (a BOM is fine) or an InputError saying why not."""
    if isinstance(data, str):
        text = data
    else:
        if b"\x00" in data[:8192]:
            raise InputError("binary content (NUL bytes), not text or HTML")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InputError(
                f"not UTF-8 text (invalid byte 0x{data[e.start]:02x} at {e.start})"
            ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("empty document")
    return text
