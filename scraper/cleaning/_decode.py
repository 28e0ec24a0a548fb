"""Bytes -> text: decide whether input is HTML or text, and which charset its bytes are in.

`decode_page` follows the order browsers use (WHATWG "determining the character encoding"):
byte order mark, the HTTP `Content-Type` charset, a `<meta>` charset near the top, then
detection. Archived pages are often mislabelled (a CMS that says ISO-8859-1 and writes UTF-8,
a server default that contradicts the page), so a declared charset is checked: one that does
not decode, or decodes to mojibake, is set aside for the next candidate.

Libraries: beautifulsoup4's `EncodingDetector` strips the BOM and finds the `<meta>`/XML
declaration (we already depend on bs4); charset-normalizer detects undeclared charsets and
measures mojibake (`mess_ratio`). We call charset-normalizer directly rather than through
`UnicodeDammit`, which hands detection to whichever of cchardet, chardet or
charset-normalizer happens to be installed, so results would depend on the machine. Where
charset-normalizer cannot tell Latin-script charsets apart, the project's language
identifier (filters/language.py) decides.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email.message import Message
from typing import Literal

from bs4.dammit import EncodingDetector
from charset_normalizer import CharsetMatch, from_bytes
from charset_normalizer.md import mess_ratio

from ..errors import InputError
from ..filters.language import language_score

__all__ = ["Decoded", "decode_page", "decode_text", "looks_like_html", "usable_input"]

How = Literal["bom", "http", "meta", "detected", "repaired"]


@dataclass(frozen=True)
class Decoded:
    """A page's text, the Python codec that gave it, and which step chose that codec.

    `how`: `bom`, `http` (Content-Type charset), `meta` (`<meta>` in the page), `detected`
    (nothing declared), or `repaired` (a declared charset failed or gave mojibake, so
    another was taken).
    """

    text: str
    encoding: str
    how: How


# One lazy `<!--.*?-->` also spans any run of comments (it runs on over the ones between);
# `(?:<!--.*?-->\s*)*` said the same with exponentially many ways to split a run.
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_HEAD = 16384  # how far in the document tags of a page with a stray start may be
_DOCUMENT_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SNIFF = 8192  # how far in a NUL means binary content
_BINARY = "binary content (NUL bytes), not text or HTML"
_SURROGATE = re.compile("[\ud800-\udfff]")


def looks_like_html(data: str | bytes) -> bool:
    """HTML starts with a tag (after a BOM, XML declaration or comments); or with a stray
    tag before its document tags, as a page does that opens with a server's warning
    (`<br />\n<b>Deprecated</b>: …` and then `<!DOCTYPE html>`)."""
    head = data[:_HTML_HEAD]
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    for bom in _BOMS:
        head = head.removeprefix(bom)
    if _HTML_START.match(head):
        return True
    return head.lstrip().startswith(b"<") and bool(_DOCUMENT_TAG.search(head))


def _binary(data: str | bytes) -> bool:
    nul = "\x00" if isinstance(data, str) else b"\x00"
    return nul in data[:_SNIFF]


def _without_lone_surrogates(text: str) -> str:
    """Pairs joined into the character they stand for, lone halves replaced by U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def usable_input(data: str | bytes) -> str | bytes:
    """The input with lone surrogates replaced and NULs taken out; InputError when binary.

    A str may hold lone surrogates (half of a UTF-16 pair, as surrogateescape or a JSON
    "\\ud800" leave them), which no encoder takes, so each becomes U+FFFD; a NUL is binary
    when it comes in the first 8 KB of what is not HTML, and is taken out anywhere else.
    """
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


# WHATWG Encoding Standard labels -> the Python codec that decodes like a browser: the
# Latin-1 and ASCII labels mean windows-1252, GBK/GB2312 mean GB18030, Big5 means
# Big5-HKSCS, Shift_JIS means windows-31j (cp932), EUC-KR means windows-949 (cp949).
# A label not listed is unknown and ignored, as browsers do (no UTF-7, no Python-only names).
_LABELS_BY_CODEC = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 "
    "iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 "
    "iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 "
    "iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 "
    "iso_8859-5 iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 "
    "iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 "
    "iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 "
    "iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 "
    "iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 "
    "iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 "
    "iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 "
    "x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 "
    "ksc5601 ksc_5601 windows-949",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
}
_CODEC_BY_LABEL = {
    label: codec for codec, labels in _LABELS_BY_CODEC.items() for label in labels.split()
}
# Codecs that charset-normalizer reports, mapped to the superset a browser would use.
_SUPERSET = {
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}
# Where the browser's decoder covers two Python codecs: Big5-HKSCS lacks cp950's additions
# (the euro sign at A3E1 among them), which Taiwanese pages use.
_ALSO = {"big5hkscs": "cp950"}
_UTF16 = ("utf-16-le", "utf-16-be")


def _codec_for(label: str | None, *, in_page: bool = False) -> str | None:
    """The Python codec for a charset label as WHATWG reads it, or None when unknown.

    `in_page`: a `<meta>` that says UTF-16 cannot be right (the bytes were read as ASCII to
    find it), so it means UTF-8; x-user-defined means windows-1252; both as in browsers.
    """
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if in_page and label == "x-user-defined":
        return "cp1252"
    codec = _CODEC_BY_LABEL.get(label)
    if in_page and codec in _UTF16:
        return "utf-8"
    return codec


# Charsets detection may choose: those in real use on the web (W3Techs), so that a short
# Polish text is not called ISO-8859-10 or Mac Central European.
_DETECTABLE = [
    "utf_8", "cp1252", "cp1250", "iso8859_2", "cp1251", "koi8_r", "koi8_u", "cp1253",
    "iso8859_7", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "gb18030",
    "big5hkscs", "cp950", "cp932", "euc_jp", "iso2022_jp", "cp949",
]  # fmt: skip
_MULTIBYTE = {"gb18030", "big5hkscs", "cp950", "cp932", "euc_jp", "iso2022_jp", "cp949"}
# How far into the page a <meta> charset is looked for: browsers look at the first 1 KB,
# but archived pages put long <script>s first; a regex over 16 KB costs microseconds.
_META_SCAN = 16384
# Bytes of non-ASCII text (with their words) that detection and the mojibake check look at:
# enough to tell charsets apart, and a bounded cost on a 10 MB page.
_SAMPLE = 4096
# mess_ratio of a right reading is 0 on the test pages; mojibake scores 0.1 (Russian in the
# other Cyrillic charset, Polish windows-1250 read as ISO-8859-2) to 1-4 (CJK read as Latin,
# Big5 as GBK). Some wrong readings score 0 (Shift_JIS as EUC-KR: valid Hangul) and stay.
_CLEAN = 0.05
# A declared charset is set aside only for one whose text is this much less messy.
_BETTER = 0.05

_HIGH = re.compile(rb"[\x80-\xff]")
_TAG_EDGE = re.compile(rb"[<>]")
# ASCII bytes that are never the second (or later) byte of a character in any charset
# above: UTF-8 and EUC trail bytes are non-ASCII, GBK/Big5/Shift_JIS trail bytes start at
# 0x40, GB18030's four-byte forms use digits. Cutting just before one of them (or at a tag's
# "<") never splits a character. The ones text is full of, for bytes.rfind:
_CUTS = tuple(bytes([b]) for b in b" \n\t.,;:!?()\"'/-")
# A text with none of those (CJK without spaces) is taken whole, up to this.
_SAMPLE_MAX = 65536
_C1 = re.compile(rb"[\x80-\x9f]")
# Latin-script 8-bit charsets, most common on the web first (W3Techs): ties between them
# are broken in this order.
_LATIN = ("cp1252", "cp1250", "iso8859-2", "cp1254", "cp1257", "cp1258")


def decode_page(data: bytes, content_type: str | None = None) -> Decoded:
    """A fetched page's text, as a browser would decode it but with mislabels repaired.

    Order: BOM, the charset in `content_type` (the HTTP header), `<meta charset>` or
    `<meta http-equiv=Content-Type>` (or an XML declaration) in the first 16 KB, then
    detection. A declared charset that does not decode, or gives mojibake while another
    charset reads cleanly, is set aside (`how="repaired"`); when the header and the
    `<meta>` disagree and both read cleanly the header wins, as in browsers. Never raises:
    the last resort is UTF-8 with replacement characters.
    """
    stripped, bom = EncodingDetector.strip_byte_order_mark(data)
    if bom:
        codec = codecs.lookup(bom).name
        return Decoded(stripped.decode(codec, "replace"), codec, "bom")
    page = _Page(data)
    declared: list[tuple[str, How]] = []
    http = _codec_for(_http_charset(content_type))
    if http:
        declared.append((http, "http"))
    meta = _codec_for(_meta_charset(data), in_page=True)
    if meta and meta != http:
        declared.append((meta, "meta"))
    for i, (codec, how) in enumerate(declared):
        got = page.declared(codec)
        if got:
            return Decoded(got[0], got[1], "repaired" if i else how)
    text, codec = page.detect()
    return Decoded(text, codec, "repaired" if declared else "detected")


def _http_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header (quotes and RFC 2231 handled)."""
    if not content_type:
        return None
    msg = Message()
    msg["content-type"] = content_type
    return msg.get_content_charset()


def _meta_charset(data: bytes) -> str | None:
    """The charset a `<meta>` (or XML declaration) near the top of the page declares."""
    return EncodingDetector.find_declared_encoding(
        data[:_META_SCAN], is_html=True, search_entire_document=True
    )


class _Page:
    """One page's bytes, with what the checks compute once and share: the strict decodes,
    the UTF-8 reading, the sample and detection's guesses."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ascii = data.isascii()
        self._decoded: dict[str, tuple[str, str] | None] = {}
        self._utf8: str | None | bool = False  # False: not computed yet
        self._sample: bytes | None = None
        self._guesses: list[str] | None = None

    def declared(self, codec: str) -> tuple[str, str] | None:
        """(text, codec) when the declared codec reads the page cleanly, else None."""
        if codec in _UTF16:
            return self.strict(codec) if _utf16_order(self.data) == codec else None
        if codec == "utf-8":
            text = self.utf8()
            return None if text is None else (text, codec)
        got = self.strict(codec)
        if got is None or self.ascii:
            return got
        text = self.utf8()
        if text is not None and len(self.data) - len(text) >= (4 if codec in _MULTIBYTE else 1):
            return None  # UTF-8 read as an 8-bit or CJK charset: the classic mojibake
        return None if self.garbled(got[1]) else got

    def detect(self) -> tuple[str, str]:
        """(text, codec) by detection: ASCII, UTF-16 by its zero bytes, UTF-8 by validity,
        then charset-normalizer on the sample; UTF-8 with replacements when all fail."""
        if self.ascii:
            if b"\x1b$" in self.data:  # ISO-2022-JP: 7-bit, switching sets by escapes
                got = self.strict("iso2022_jp")
                if got:
                    return got
            return self.data.decode("ascii"), "ascii"
        order = _utf16_order(self.data)
        if order:
            return self.data.decode(order, "replace"), order
        text = self.utf8()
        if text is not None:
            return text, "utf-8"
        for codec in self.guesses():
            got = self.strict(codec)
            if got:
                return got
        return self.strict("cp1252") or (self.data.decode("utf-8", "replace"), "utf-8")

    def strict(self, codec: str) -> tuple[str, str] | None:
        """(text, codec that decoded it) when `codec` (or its wider sibling) decodes strictly."""
        if codec not in self._decoded:
            self._decoded[codec] = None
            for name in (codec, _ALSO.get(codec)):
                if name is None:
                    continue
                try:
                    self._decoded[codec] = (self.data.decode(name), name)
                    break
                except UnicodeDecodeError:
                    continue
        return self._decoded[codec]

    def utf8(self) -> str | None:
        """The page as UTF-8 when it is UTF-8: valid, or with rare invalid bytes (a string
        cut mid-character by a CMS) among many valid multi-byte characters."""
        if self._utf8 is False:
            self._utf8 = _utf8(self.data)
        return self._utf8  # type: ignore[return-value]

    def sample(self) -> bytes:
        if self._sample is None:
            self._sample = _sample(self.data)
        return self._sample

    def guesses(self) -> list[str]:
        """Detection's candidates, best first, as codecs a browser would use."""
        if self._guesses is None:
            sample = self.sample()
            found = list(from_bytes(sample, cp_isolation=_DETECTABLE, preemptive_behaviour=False))
            guesses: list[str] = []
            for match in found:
                # could_be_from_charset: the match itself and those reading the same text
                for name in match.could_be_from_charset:
                    codec = _browser_codec(name)
                    if codec not in guesses:
                        guesses.append(codec)
            if guesses and guesses[0] in _LATIN:
                first = _latin_tiebreak(found, sample)
                if first in ("cp1250", "iso8859-2"):
                    # windows-1250 puts š ś ť ž ź and its quotes in 0x80-0x9F, where
                    # ISO-8859-2 has control codes: whether such bytes occur tells them apart.
                    first = "cp1250" if _C1.search(self.data) else "iso8859-2"
                guesses = [first] + [g for g in guesses if g != first]
            self._guesses = guesses
        return self._guesses

    def garbled(self, codec: str) -> bool:
        """Whether `codec` reads the sample as mojibake: messy, where a detected charset
        that decodes the whole page reads it clearly less messy."""
        sample = self.sample()
        mess = _mess(sample, codec)
        if mess < _CLEAN:
            return False
        return any(
            other != codec
            and _mess(sample, other) <= mess - _BETTER
            and self.strict(other) is not None  # the whole page, only when worth it
            for other in self.guesses()
        )


def _latin_tiebreak(found: list[CharsetMatch], sample: bytes) -> str:
    """The Latin-script charset to take among those charset-normalizer cannot tell apart.

    Its mess measure often ties windows-1252 with windows-1250 (Portuguese "São" reads
    "Săo", both letters) and its letter-frequency language measure then picks either.
    Among the Latin charsets as little messy as its best (within 0.005), the one whose text
    the language identifier (fastText, loaded anyway for the language column) recognises
    best wins: "včera" is Czech, "vèera" is nothing. Ties go to the one more common on the
    web (the order of _LATIN).
    """
    top = found[0].chaos
    tied = {
        _browser_codec(name)
        for match in found
        if match.chaos - top < 0.005
        for name in match.could_be_from_charset
    }
    candidates = [codec for codec in _LATIN if codec in tied]
    if len(candidates) < 2:
        return candidates[0] if candidates else _browser_codec(found[0].encoding)
    try:
        language_score("warm up")
    except Exception:  # neither model would load: decoding must not fail for that
        return candidates[0]
    return max(
        candidates, key=lambda codec: round(language_score(sample.decode(codec, "replace"))[1], 2)
    )


def _browser_codec(name: str) -> str:
    """A codec name as charset-normalizer reports it -> the superset browsers decode with."""
    codec = codecs.lookup(name).name
    return _SUPERSET.get(codec, codec)


def _utf8(data: bytes) -> str | None:
    """`data` as UTF-8 when it is: valid, or invalid in under one byte per 20 that valid
    multi-byte characters add (8-bit text read as UTF-8 fails at nearly every non-ASCII
    byte). The first 64 KB answer for most pages, before the whole is decoded again."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = 65536
    while head < len(data) and head > 65532 and data[head] & 0xC0 == 0x80:
        head -= 1  # not inside a character: a cut one would count as invalid
    for part in (data[:head], data) if len(data) > head else (data,):
        text = part.decode("utf-8", "replace")
        bad = text.count("\ufffd") - part.count(b"\xef\xbf\xbd")
        if len(part) - len(text) < 20 * bad:
            return None
    return text


def _utf16_order(data: bytes) -> str | None:
    """UTF-16 without a BOM, told by the zero byte of every ASCII character in markup."""
    head = data[:1024]
    half = len(head) // 2
    if half < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.6 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def _sample(data: bytes) -> bytes:
    """About _SAMPLE bytes of the page's text that holds non-ASCII bytes: each such text
    between tags, whole, cut only on character boundaries (see _CUTS), joined by newlines.
    Markup is left out: it would only dilute what tells charsets apart."""
    parts: list[bytes] = []
    size = pos = 0
    while size < _SAMPLE:
        found = _HIGH.search(data, pos)
        if found is None:
            break
        start = found.start()
        # From pos (a "<" or the start) up to `start` all is ASCII: any byte starts a character.
        back = max(data.rfind(b">", pos, start), data.rfind(b"<", pos, start)) + 1 or pos
        edge = _TAG_EDGE.search(data, start)
        end = edge.start() if edge else len(data)
        room = back + _SAMPLE - size
        if end > room:
            cut = max(data.rfind(c, start, room) for c in _CUTS)
            if cut > start:
                end = cut
            elif parts:
                break
            else:
                end = min(end, back + _SAMPLE_MAX)
        parts.append(data[back:end])
        size += end - back + 1
        pos = end
    return b"\n".join(parts)


def _mess(sample: bytes, codec: str) -> float:
    """charset-normalizer's measure of how unlike real text the sample reads in `codec`."""
    return mess_ratio(sample.decode(codec, "replace"), maximum_threshold=1.0)
