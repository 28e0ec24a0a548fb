"""Decide whether input is HTML or text, and refuse what is neither (binary, not UTF-8).

Input is made usable first (`usable_input`): a str may hold lone surrogates (half of a
UTF-16 pair, as surrogateescape or a JSON "\\ud800" leave them), which no encoder takes, so
each becomes U+FFFD; a NUL is binary when it comes in the first 8 KB of what is not HTML,
and is taken out anywhere else, so none reaches the text.
"""

from __future__ import annotations

import re

from ..errors import InputError

__all__ = ["decode_text", "looks_like_html", "usable_input"]

# One lazy `<!--.*?-->` also spans any run of comments (it runs on over the ones between);
# `(?:<!--.*?-->\s*)*` said the same with exponentially many ways to split a run.
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)\b",
    re.IGNORECASE | re.DOTALL,
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SNIFF = 8192  # how far in a NUL means binary content
_BINARY = "binary content (NUL bytes), not text or HTML"
_SURROGATE = re.compile("[\ud800-\udfff]")


def looks_like_html(data: str | bytes) -> bool:
    """HTML starts with a tag (after a BOM, XML declaration or comments)."""
    head = data[:2048]
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    for bom in _BOMS:
        head = head.removeprefix(bom)
    return bool(_HTML_START.match(head))


def _binary(data: str | bytes) -> bool:
    nul = "\x00" if isinstance(data, str) else b"\x00"
    return nul in data[:_SNIFF]


def _without_lone_surrogates(text: str) -> str:
    """Pairs joined into the character they stand for, lone halves replaced by U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def usable_input(data: str | bytes) -> str | bytes:
    """The input with lone surrogates replaced and NULs taken out; InputError when binary."""
    if isinstance(data, str):
        data = _without_lone_surrogates(data)
        nul = "\x00"
    else:
        nul = b"\x00"
    if nul not in data:
        return data
    if _binary(data) and not looks_like_html(data):
        raise InputError(_BINARY)
    return data.replace(nul, nul[:0])


def decode_text(data: str | bytes) -> str:
    """Text input as str: UTF-8 (a BOM is fine) or an InputError saying why not."""
    if _binary(data):
        raise InputError(_BINARY)
    if isinstance(data, str):
        text = data
    else:
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
