"""Local archives for the collector tests, on 127.0.0.1: WARC writing, an Internet
Archive-style CDX + replay server, a Common Crawl index + data server, and a fault server.

These play the answer formats of the real services (the pywb tests use the real pywb);
each counts the requests it saw, so tests can assert what was fetched and how often.
"""

from __future__ import annotations

import gzip
import io
import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass
class Page:
    url: str
    timestamp: str  # 14 digits
    body: bytes
    status: str = "200 OK"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    warc_date: str | None = None  # written as WARC-Date instead of the timestamp's (bad ones)

    @property
    def mime(self) -> str:
        return dict(self.headers).get("Content-Type", "").split(";")[0]

    @property
    def urlkey(self) -> str:
        parts = urlsplit(self.url)
        host = ",".join(reversed((parts.hostname or "").removeprefix("www.").split(".")))
        return f"{host}){parts.path or '/'}"


def article(title: str, paragraphs: list[str]) -> bytes:
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{ps}</article></body></html>".encode()


def write_warc(path: Path, pages: list[Page]) -> list[tuple[int, int]]:
    """Write pages as WARC response records; return each record's (offset, length)."""
    spans = []
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for p in pages:
            start = f.tell()
            t = p.timestamp
            date = p.warc_date or f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"
            http = StatusAndHeaders(p.status, list(p.headers), protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                p.url,
                "response",
                payload=io.BytesIO(p.body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(rec)
            spans.append((start, f.tell() - start))
    return spans


class _Server:
    def __init__(self, handler_cls) -> None:
        self.hits: Counter[str] = Counter()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
        self.server.owner = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    @property
    def owner(self):
        return self.server.owner

    def send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def hang_up(self) -> None:
        """Close the connection with a reset, before any answer."""
        self.connection.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
        )
        self.connection.close()

    def send_short(self, body: bytes = b"only part of it") -> None:
        """Announce 1000 bytes more than `body`, send `body`, and hang up."""
        self.send_response(200)
        self.send_header("Content-Length", str(len(body) + 1000))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)


class IAArchive(_Server):
    """CDX in the Internet Archive's answer format (array of arrays, header row, resume
    keys when paging) at /cdx/search/cdx, and raw `id_` replay at /web/<ts>id_/<url>."""

    def __init__(self, pages: list[Page], *, page_size: int = 1000) -> None:
        self.pages = sorted(pages, key=lambda p: (p.urlkey, p.timestamp))
        self.page_size = page_size
        archive = self

        class Handler(_Handler):
            def do_GET(self):
                parts = urlsplit(self.path)
                archive.hits[unquote(parts.path)] += 1
                if parts.path == "/cdx/search/cdx":
                    return self.cdx(parse_qs(parts.query))
                if parts.path.startswith("/web/"):
                    return self.replay(
                        parts.path[len("/web/") :] + (f"?{parts.query}" if parts.query else "")
                    )
                self.send(404, b"unknown")

            def cdx(self, q):
                url = q["url"][0]
                match = q.get("matchType", ["exact"])[0]
                rows = [
                    p
                    for p in archive.pages
                    if (
                        p.url.split("://", 1)[-1].startswith(url.split("://", 1)[-1])
                        if match == "prefix"
                        else p.url.split("://", 1)[-1] == url.split("://", 1)[-1]
                    )
                ]
                start = int(q.get("resumeKey", ["0"])[0])
                limit = min(int(q.get("limit", [archive.page_size])[0]), archive.page_size)
                chunk = rows[start : start + limit]
                data = [
                    [
                        "urlkey",
                        "timestamp",
                        "original",
                        "mimetype",
                        "statuscode",
                        "digest",
                        "length",
                    ]
                ]
                data += [
                    [
                        p.urlkey,
                        p.timestamp,
                        p.url,
                        p.mime,
                        p.status.split()[0],
                        f"D{i}{p.timestamp}",
                        "100",
                    ]
                    for i, p in enumerate(chunk)
                ]
                if start + limit < len(rows) and q.get("showResumeKey"):
                    data += [[], [str(start + limit)]]
                if len(data) == 1:
                    data = []
                self.send(200, json.dumps(data).encode(), {"Content-Type": "application/json"})

            def replay(self, rest):
                stamp, _, url = rest.partition("id_/")
                hits = [p for p in archive.pages if p.url == url]
                if not hits:
                    return self.send(404, b"not archived")
                best = min(hits, key=lambda p: abs(int(p.timestamp) - int(stamp.ljust(14, "0"))))
                code = int(best.status.split()[0])
                headers = dict(best.headers)
                headers["Memento-Datetime"] = time.strftime(
                    "%a, %d %b %Y %H:%M:%S GMT", time.strptime(best.timestamp, "%Y%m%d%H%M%S")
                )
                self.send(code, best.body, headers)

        super().__init__(Handler)


class CommonCrawl(_Server):
    """/<crawl>-index?url=... answers one JSON object per line (404 + JSON when none);
    /data/<file> serves the crawl's WARC file with HTTP Range support."""

    def __init__(
        self, crawl: str, warc: Path, pages: list[Page], spans: list[tuple[int, int]]
    ) -> None:
        self.crawl, self.warc = crawl, warc
        self.rows = [
            {
                "urlkey": p.urlkey,
                "timestamp": p.timestamp,
                "url": p.url,
                "mime": p.mime,
                "status": p.status.split()[0],
                "digest": f"CC{i}",
                "length": str(n),
                "offset": str(o),
                "filename": f"crawl-data/{crawl}/{warc.name}",
            }
            for i, (p, (o, n)) in enumerate(zip(pages, spans, strict=True))
        ]
        cc = self

        class Handler(_Handler):
            def do_GET(self):
                parts = urlsplit(self.path)
                cc.hits[parts.path] += 1
                if parts.path == f"/{cc.crawl}-index":
                    url = parse_qs(parts.query)["url"][0].split("://", 1)[-1]
                    rows = [r for r in cc.rows if r["url"].split("://", 1)[-1].startswith(url)]
                    if not rows:
                        return self.send(
                            404, json.dumps({"message": f"No Captures found for: {url}"}).encode()
                        )
                    return self.send(200, "\n".join(json.dumps(r) for r in rows).encode() + b"\n")
                if parts.path == f"/data/crawl-data/{cc.crawl}/{cc.warc.name}":
                    data = cc.warc.read_bytes()
                    rng = self.headers.get("Range", "")
                    if rng.startswith("bytes="):
                        a, b = (int(x) for x in rng[6:].split("-"))
                        return self.send(
                            206, data[a : b + 1], {"Content-Range": f"bytes {a}-{b}/{len(data)}"}
                        )
                    return self.send(200, data)
                self.send(404, b"")

        super().__init__(Handler)


class Faults(_Server):
    """Paths that misbehave: /flaky/<n> answers 503 + Retry-After n times, then 200;
    /busy answers 429 always (Retry-After as an HTTP date); /reset closes the connection
    the first time; /truncated sends fewer bytes than announced; /stall never answers in
    time; /huge sends more bytes than any sane limit; /drip announces 100000 bytes and
    sends one every 0.05 s (40 at most, then hangs up)."""

    def __init__(self) -> None:
        faults = self

        class Handler(_Handler):
            def do_GET(self):
                faults.hits[self.path] += 1
                n = faults.hits[self.path]
                path = self.path.split("?")[0]
                if path.startswith("/flaky/"):
                    times = int(path.rsplit("/", 1)[1])
                    if n <= times:
                        return self.send(503, b"busy", {"Retry-After": "2"})
                    return self.send(200, b"<html><body><p>ok after retries</p></body></html>")
                if self.path == "/busy":
                    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 3))
                    return self.send(429, b"slow down", {"Retry-After": later})
                if self.path == "/reset":
                    return self.hang_up() if n == 1 else self.send(200, b"fine now")
                if self.path == "/truncated":
                    return self.send_short()
                if self.path == "/stall":
                    time.sleep(3)
                    return self.send(200, b"too late")
                if self.path == "/huge":
                    self.send_response(200)
                    self.send_header("Content-Length", str(50_000_000))
                    self.end_headers()
                    try:
                        for _ in range(1000):
                            self.wfile.write(b"x" * 50_000)
                    except OSError:
                        pass
                    return
                if self.path == "/drip":
                    self.send_response(200)
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    try:
                        for _ in range(40):
                            self.wfile.write(b"x")
                            time.sleep(0.05)
                    except OSError:
                        pass
                    self.close_connection = True
                    return
                self.send(404, b"")

        super().__init__(Handler)


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    host: str  # the Host header
    n: int  # how many times this path has been asked, this time included


class Scripted(_Server):
    """Answers each GET with `answer(request)`: (status, headers, body). For servers that
    misbehave in ways a test spells out; `requests` lists what it was asked, in order.
    `reset(answer)` readies it for the next test (starting a server costs ~0.5 s)."""

    def __init__(self, answer) -> None:
        self.requests: list[Request] = []
        self.answer = answer
        scripted = self

        class Handler(_Handler):
            def do_GET(self):
                parts = urlsplit(self.path)
                scripted.hits[parts.path] += 1
                request = Request(
                    parts.path,
                    parse_qs(parts.query),
                    self.headers.get("Host", ""),
                    scripted.hits[parts.path],
                )
                scripted.requests.append(request)
                status, headers, body = scripted.answer(request)
                self.send(status, body, headers)

        super().__init__(Handler)

    def reset(self, answer) -> Scripted:
        self.answer = answer
        self.hits.clear()
        self.requests.clear()
        return self


def gz(body: bytes) -> bytes:
    return gzip.compress(body, mtime=0)
