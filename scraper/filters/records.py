"""The record gate: only HTTP responses with an HTML payload become documents.

Real crawls are mostly other records: requests, metadata, dns lookups, robots.txt,
redirects, error pages, feeds, images. Each is refused here, before cleaning, with a reason
that the run summary counts. The payload's kind is sniffed from its first bytes (as
browsers do, after WHATWG's MIME sniffing) as well as read from `Content-Type`: a feed
served as text/html is still a feed, and an HTML page served as text/plain is still HTML.
Seeds are exemplar texts and may be plain text: they are not judged here, and one that
cannot be read fails by name in the summary.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlsplit

from ..models import Capture
from .base import CaptureFilter, Context

__all__ = ["RecordGate", "declared_kind", "sniff"]

_HEAD = 1024
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# WHATWG "rules for identifying an unknown MIME type": tags that mark HTML; here searched
# in the first KB rather than only at its start (pages often open with a stray warning).
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p"
    rb"|meta|link|article|!--)[\s>/]",
    re.IGNORECASE,
)
_FEED = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_XHTML = re.compile(rb"<html[\s>]", re.IGNORECASE)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"BM", "image"),
    (b"\x00\x00\x01\x00", "image"),  # .ico
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"wOFF", "font"),
    (b"wOF2", "font"),
    (b"OggS", "media"),
    (b"ID3", "media"),
)
_DECLARED = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "text/xml": "XML",
    "application/xml": "XML",
    "application/json": "JSON",
    "text/json": "JSON",
    "application/ld+json": "JSON",
    "application/javascript": "script",
    "text/javascript": "script",
    "text/css": "stylesheet",
    "application/pdf": "PDF",
}


def sniff(body: bytes) -> str:
    """What the bytes are: html, feed, XML, JSON, text, empty, or a binary kind."""
    head = body[:_HEAD]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    head = head.lstrip()
    if not head:
        return "empty"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in {b"WEBP", b"WAVE", b"AVI "}:
        return "image" if head[8:12] == b"WEBP" else "media"
    if head.startswith(b"<?xml"):
        if _FEED.search(head):
            return "feed"
        return "html" if _XHTML.search(head) else "XML"
    if _FEED.match(head):
        return "feed"
    if _HTML_TAG.search(head):
        return "html"
    if head[:1] in (b"{", b"["):
        return "JSON"
    if b"\x00" in head:
        return "binary data"
    return "text"


def declared_kind(content_type: str | None) -> str | None:
    """The payload kind `Content-Type` declares (None: none, or one that says nothing)."""
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in _DECLARED:
        return _DECLARED[mime]
    major = mime.partition("/")[0]
    if major in {"image", "audio", "video", "font"}:
        return {"audio": "media", "video": "media"}.get(major, major)
    return None


class RecordGate(CaptureFilter):
    """HTTP responses (2xx) whose payload is HTML; anything else is counted by reason.
    A record cut short is refused too unless `filters.truncated: keep`."""

    name: ClassVar[str] = "record"

    def __init__(self, keep_cut: bool = False) -> None:
        self.keep_cut = keep_cut

    @classmethod
    def from_config(cls, ctx: Context) -> RecordGate:
        return cls(keep_cut=ctx.config.filters.truncated == "keep")

    def __call__(self, capture: Capture) -> str | None:
        why = self._record(capture) or self._payload(capture)
        return f"{self.name}: {why}" if why else None

    def _record(self, capture: Capture) -> str | None:
        if capture.record_type == "revisit":
            return "revisit whose original is not in the input"
        if capture.record_type not in {"response", "resource"}:
            return f"WARC {capture.record_type} record"
        url = capture.url or ""
        scheme = urlsplit(url).scheme.lower() if url else ""
        if scheme == "dns":
            return "dns lookup"
        if scheme and scheme not in {"http", "https"}:
            return f"not a web page ({scheme}: url)"
        status = capture.status
        if status is not None and not 200 <= status < 300:
            if 300 <= status < 400:
                return f"redirect (HTTP {status})"
            return f"HTTP {status}" if status else "unreadable HTTP status line"
        if url and urlsplit(url).path.lower() == "/robots.txt":
            return "robots.txt"
        if capture.cut and not (self.keep_cut and capture.cut.startswith("cut short")):
            return f"record {capture.cut}"
        return None

    def _payload(self, capture: Capture) -> str | None:
        if capture.source == "seed":  # chosen by hand: one that cannot be read is a failure
            return None  # named in the summary (scraper.clean says why), not a count
        found = sniff(capture.content)
        declared = declared_kind(capture.header("content-type"))
        if found == "html" and declared in {None, "html", "text", "XML"}:
            return None
        if found == "empty":
            return "empty payload"
        if found == "html":
            return f"{declared} payload (declared), not HTML"
        return f"{found} payload, not HTML"
