"""How many bytes a body decodes to, counted as it arrives and never kept.

A gzip bomb is small on the wire and huge once decoded, so a size limit must hold for the
decoded bytes, which are what a reader of the capture gets. Every decoder here hands its
output out in pieces of at most `CHUNK` bytes: measuring costs bounded memory whatever the
compression ratio, and stops as soon as the limit is passed.

Decoded here: gzip (several members too) and deflate (zlib-wrapped or raw) always; br
with brotli or brotlicffi >= 1.2 and zstd with `compression.zstd` (Python 3.14) or
`backports.zstd`, the bindings that can bound their output (older ones decode a whole
input chunk at once, which is the bomb). A body in an encoding not decoded here counts as
its raw size: no reader here can decode it either. `ENCODINGS` is what may be advertised
in Accept-Encoding.

`decoded_size_within` is the one-call form, for a body already in hand (the raw store).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from functools import partial
from typing import Protocol

__all__ = ["CHUNK", "ENCODINGS", "DecodedMeter", "decoded_size_within"]

CHUNK = 1 << 16
MAX_LAYERS = 4  # Content-Encoding: gzip, gzip, ... past this is not decoded (counted raw)
_GZIP = zlib.MAX_WBITS | 16


class _Decoder(Protocol):
    def pieces(self, data: bytes) -> Iterator[bytes]: ...


class _Zlib:
    """gzip or deflate, through zlib with a bounded output per call."""

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._obj = zlib.decompressobj(wbits)
        self._done = False

    def pieces(self, data: bytes) -> Iterator[bytes]:
        while data and not self._done:
            out = self._obj.decompress(data, CHUNK)
            if out:
                yield out
            if not self._obj.eof:
                data = self._obj.unconsumed_tail
            elif self._wbits == _GZIP and self._obj.unused_data:  # the next gzip member
                data, self._obj = self._obj.unused_data, zlib.decompressobj(self._wbits)
            else:  # whatever follows the end of the stream is not part of the body
                self._done = True


class _Deflate:
    """`deflate` as the RFC says (zlib-wrapped) or as some servers send it (raw)."""

    def __init__(self) -> None:
        self._head = b""
        self._zlib: _Zlib | None = None

    def pieces(self, data: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._zlib = _Zlib(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        yield from self._zlib.pieces(data)


_DECODERS: dict[str, Callable[[], _Decoder]] = {"gzip": partial(_Zlib, _GZIP), "deflate": _Deflate}
_ERRORS: tuple[type[Exception], ...] = (zlib.error,)

try:
    import brotli  # type: ignore[import-not-found]
except ImportError:
    try:
        import brotlicffi as brotli  # type: ignore[import-not-found,no-redef]
    except ImportError:
        brotli = None


def _brotli_bounded() -> bool:
    try:
        brotli.Decompressor().process(b"", output_buffer_limit=1)
    except TypeError:  # before 1.2: no way to bound the output
        return False
    return True


if brotli is not None and _brotli_bounded():

    class _Brotli:
        def __init__(self) -> None:
            self._obj = brotli.Decompressor()

        def pieces(self, data: bytes) -> Iterator[bytes]:
            out = self._obj.process(data, output_buffer_limit=CHUNK)
            while out:  # input already taken may hold more output: ask with no new input
                yield out
                if self._obj.is_finished():
                    return
                out = self._obj.process(b"", output_buffer_limit=CHUNK)

    _DECODERS["br"] = _Brotli
    _ERRORS += (brotli.error,)

try:
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    try:
        from backports import zstd  # type: ignore[import-not-found,no-redef]
    except ImportError:
        zstd = None

if zstd is not None:

    class _Zstd:
        def __init__(self) -> None:
            self._obj = zstd.ZstdDecompressor()

        def pieces(self, data: bytes) -> Iterator[bytes]:
            while True:
                if self._obj.eof:  # a frame ended: what follows is the next frame
                    data = self._obj.unused_data + data
                    if not data:
                        return
                    self._obj = zstd.ZstdDecompressor()
                out = self._obj.decompress(data, CHUNK)
                data = b""
                if out:
                    yield out
                if not self._obj.eof and (self._obj.needs_input or not out):
                    return

    _DECODERS["zstd"] = _Zstd
    _ERRORS += (zstd.ZstdError,)

ENCODINGS: tuple[str, ...] = tuple(_DECODERS)


def _chain(encoding: str | None) -> list[_Decoder] | None:
    """Decoders in the order to apply them (the reverse of the header's), or None when the
    body cannot be decoded here."""
    names = [n.strip().lower() for n in (encoding or "").split(",")]
    names = [{"x-gzip": "gzip"}.get(n, n) for n in names if n and n != "identity"]
    if len(names) > MAX_LAYERS or any(n not in _DECODERS for n in names):
        return None
    return [_DECODERS[n]() for n in reversed(names)]


def _through(decoders: list[_Decoder], data: bytes) -> Iterator[bytes]:
    if not decoders:
        yield data
        return
    for piece in decoders[0].pieces(data):
        yield from _through(decoders[1:], piece)


class DecodedMeter:
    """Counts the bytes a body decodes to as its raw bytes arrive, up to just past `limit`.

    A stream that stops decoding (corrupt, truncated) counts what it gave until then: no
    reader gets more out of it."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.decoded = 0
        self._decoders = _chain(encoding)
        self._broken = False

    @property
    def decodable(self) -> bool:
        """False when the encoding is not decoded here and raw bytes are counted instead."""
        return self._decoders is not None

    def feed(self, raw: bytes) -> bool:
        """Count the next raw bytes; whether the body so far decodes to at most `limit`."""
        if self._decoders is None:
            self.decoded += len(raw)
        elif not self._broken and self.decoded <= self.limit:
            try:
                for piece in _through(self._decoders, raw):
                    self.decoded += len(piece)
                    if self.decoded > self.limit:
                        break
            except _ERRORS:
                self._broken = True
        return self.decoded <= self.limit


def decoded_size_within(body: bytes, encoding: str | None, limit: int) -> bool:
    """Whether `body`, sent with Content-Encoding `encoding`, decodes to at most `limit` bytes."""
    return DecodedMeter(encoding, limit).feed(body)
