"""Hostile input: what an attacker or a broken archive can hand us is refused or cleaned,
quickly, with the documented errors only."""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import itertools
import math
import pkgutil
import re
import signal
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hostile_inputs import KINDS, read_seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import scraper
from scraper import ConfigError, Document, InputError, RuleError, clean, load_config
from scraper.cleaning import _lines as lines  # white-box: the scanners against the old regexes
from scraper.cleaning import to_plain
from scraper.fetch.client import Response
from scraper.fetch.store import KEY_HEADER, WarcStore
from scraper.models import Capture, Listing
from scraper.rules.engine import load_rule_file, packaged_rule_files
from scraper.rules.meta import _person
from scraper.sources.warcfile import read_warc, warc_paths


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


# --- YAML: aliases that expand to gigabytes ("billion laughs")


def alias_bomb(levels: int = 9, width: int = 4, indent: str = "  ") -> str:
    """Nested anchors, each level `width` aliases of the one before: width**levels values."""
    out = [f"{indent}- &l0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels):
        out.append(f"{indent}- &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(out) + "\n"


def test_alias_bomb_in_config_is_refused_at_its_line(tmp_path):
    text = (
        "publishers:\n  - publisher: Bomb\n    versions: [{id: v1}]\n    recognise:\n"
        + alias_bomb(indent="      ")
    )
    with pytest.raises(ConfigError, match=r"my-config\.yaml:\d+: aliases expand") as e:
        load_config(write(tmp_path, "my-config.yaml", text))
    line = int(str(e.value).split(":")[1])
    assert "*l" in text.splitlines()[line - 1]
    assert "\n" not in str(e.value)


def test_alias_bomb_in_rule_file_is_refused(tmp_path):
    text = "publisher: Bomb\nversions: [{id: v1}]\nrecognise:\n" + alias_bomb()
    with pytest.raises(ConfigError, match=r"r\.yaml:\d+: aliases expand"):
        load_rule_file(write(tmp_path, "r.yaml", text))


def test_alias_that_refers_to_itself_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"c\.yaml:1: alias \*a refers to itself"):
        load_config(write(tmp_path, "c.yaml", "publishers: &a [*a]\n"))


def test_deeply_nested_yaml_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"c\.yaml"):
        load_config(write(tmp_path, "c.yaml", "rules: " + "[" * 5000 + "]" * 5000 + "\n"))


def test_a_few_aliases_still_work(tmp_path):
    text = (
        "discover: {exemplars: &terms [syria, russia]}\nsources:\n"
        "  - wayback: {urls: [a.com/2012/], url_terms: *terms}\n"
        "  - wayback: {urls: [b.com/2012/], url_terms: *terms}\n"
    )
    cfg = load_config(write(tmp_path, "c.yaml", text))
    assert [s.wayback.url_terms for s in cfg.sources] == [["syria", "russia"]] * 2


# --- regexes: every built-in pattern takes time linear in the line


class TooSlow(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the block after `seconds` (the regex engine checks for signals, so
    an exponential match is cut short instead of hanging the test run)."""

    def alarm(signum, frame):
        raise TooSlow

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def best_time(f: Callable[[], object], repeat: int = 3, limit: float = 2.0) -> float:
    """The least of a few timings (the others are other people's load); infinite when one
    runs longer than `limit`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            with time_limit(limit):
                f()
        except TooSlow:
            return math.inf
        times.append(time.perf_counter() - start)
    return min(times)


def grows_linearly(f: Callable[[str], object], make: Callable[[int], str], n: int) -> bool:
    """Whether f takes well under 16 times as long on an input 4 times as long (4x for
    linear time, 16x for quadratic): less than 10x, give or take 5 ms of noise. Asked
    twice before saying no: a busy machine can slow one measurement down."""
    small, large = make(n), make(4 * n)
    return any(
        best_time(lambda: f(large)) < 10 * best_time(lambda: f(small)) + 0.005 for _ in range(2)
    )


# shapes that make backtracking regexes slow: runs of one class, openers never closed
PUMPS = [" ", "\x0b", "a", "A", "1", "a ", "A ", "1 ", "aA", "a.", "a-", "a:", "a/", "a@", ".",
         ":", "-", "/", "_", "*", "**a ", "__a ", "[", "![", "[](", "![](", "(", "()", "<http:",
         "<!--", "-->", "<!---->", "# ", "a, ", "»", "© ", "a |", "\u2028"]  # fmt: skip
SUFFIXES = ["", "!", "a"]


def rule_sets(rule: object) -> list[re.Pattern]:
    """A keyword family's sets, each compiled to one pattern."""
    return list(getattr(rule, "sets", []))


def builtin_patterns() -> list[tuple[str, re.Pattern]]:
    """Every compiled regex in the package and every pattern of the packaged rule files."""
    out = []
    for info in pkgutil.walk_packages(scraper.__path__, "scraper."):
        for key, value in vars(importlib.import_module(info.name)).items():
            values = value if isinstance(value, list) else [value]
            out += [(f"{info.name}.{key}", rx) for rx in values if isinstance(rx, re.Pattern)]
    for path in packaged_rule_files():
        rules = load_rule_file(path).rules
        out += [(f"{path.name}:recognise", rx) for rx in rules.recognise]
        for v in rules.versions:
            for section, items in v.text:
                for rule in items if isinstance(items, list) else []:
                    for field in ("pattern", "start", "end", "header"):
                        if isinstance(rx := getattr(rule, field, None), re.Pattern):
                            out.append((f"{path.name}:{v.id}.{section}.{rule.name}.{field}", rx))
                    out += [(f"{path.name}:{v.id}.{rule.name}.sets", rx) for rx in rule_sets(rule)]
            out += [(f"{path.name}:{v.id}.recognise", rx) for rx in v.recognise]
            for field in ("author", "date", "url"):
                out += [(f"{path.name}:{v.id}.meta.{field}", rx) for rx in getattr(v.meta, field)]
    return out


def openings(rx: re.Pattern) -> list[str]:
    """Words a pattern starts with (`^(?:by|posted by)`), to get hostile text past them."""
    source = rx.pattern if isinstance(rx.pattern, str) else rx.pattern.decode("latin-1")
    words = re.findall(r"(?:\^|\^\(\?:|\|)\(?(?:\?:)?((?:[^\W\d_]|[ '])+)", source)
    return [""] + sorted({w + sep for w in words for sep in (" ", ": ")}, key=len)[:6]


def slow_pumps(rx: re.Pattern, n: int = 500) -> list[str]:
    """The hostile lines on which `rx` grows faster than linearly (rules match plain text,
    where runs of spaces are one space, but each pattern is held to any line)."""
    encode = isinstance(rx.pattern, bytes)
    slow = []
    for prefix, pump, suffix in itertools.product(openings(rx), PUMPS, SUFFIXES):

        def make(k: int, parts=(prefix, pump, suffix)) -> str | bytes:
            line = parts[0] + parts[1] * (k // len(parts[1])) + parts[2]
            return line.encode() if encode else line

        once = best_time(lambda: rx.search(make(n)), 2)
        if once > 0.1 or (once > 0.0003 and not grows_linearly(rx.search, make, n)):
            slow.append(repr(make(8)))  # 0.1 s for 500 characters: no need to try 2000
    return slow


def test_every_builtin_pattern_is_linear_on_hostile_lines():
    slow = {name: s for name, rx in builtin_patterns() if (s := slow_pumps(rx))}
    assert not slow


# --- markdown: scanners instead of regexes, the same output in linear time

# what lines.py used before, each the reference for the scanner that replaced it
OLD_MARKDOWN = {
    "images": (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), 1, "![]()a \n"),
    "links": (re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)"), 1, "[]()a! \n"),
    "autolinks": (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), 1, "<>a \nhttp:s"),
    "emphasis": (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), 2, "*_a \nb"),
}
OLD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")


@pytest.mark.parametrize("name", sorted(OLD_MARKDOWN))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_markdown_scanners_give_what_the_regexes_gave(name, data):
    rx, group, alphabet = OLD_MARKDOWN[name]
    pieces = [*alphabet, "http:", "mailto:", "**", "__", "](", "!["]
    s = data.draw(st.lists(st.sampled_from(pieces), max_size=16).map("".join))
    scanner = getattr(lines, f"_strip_{name}")
    assert scanner(s) == rx.sub(lambda m: m.group(group), s)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["#", " ", "\t", "\n", "a", "\u00a0", "##", "x #"]), max_size=12))
def test_heading_scanner_gives_what_the_regex_gave(pieces):
    s = "".join(pieces)
    m = OLD_HEADING.match(s)
    assert lines._heading(s) == (m.group(2) if m else None)


HOSTILE_MARKDOWN = {
    "emphasis never closed": lambda n: "**a " * (n // 4),
    "links never closed": lambda n: "[](" * (n // 3),
    "images never closed": lambda n: "![](" * (n // 4),
    "brackets": lambda n: "[" * n,
    "autolinks never closed": lambda n: "<http:" * (n // 6),
    "heading with a run of spaces": lambda n: "# a" + " " * n + "b",
    "nested targets": lambda n: "[a](" + "()" * (n // 2),
    "links inside targets": lambda n: ("[a](x" + "()" * 5 + "[b](") * (n // 20),
    "delimiters": lambda n: "*_" * (n // 2),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_MARKDOWN))
def test_markdown_takes_linear_time(name):
    assert grows_linearly(to_plain, HOSTILE_MARKDOWN[name], 20_000)


@pytest.mark.parametrize("line", ["**a " * 20000, "[](" * 100000], ids=["emphasis", "links"])
def test_the_reported_lines_clean_in_well_under_a_second(line):
    assert best_time(lambda: clean(line), repeat=1) < 2.0  # 13.7 s and 11.6 s before


# --- rule patterns rewritten to be linear: the same matches as before

OLD_RULES = {  # (rule file, rule or meta field, the pattern before, pieces of test lines)
    "caps-link": ("_generic.yaml", r"(?-i:^[^a-z]*[A-Z]{2}[^a-z]*$)", ["A", "B", "a", " ", "1"]),
    "date-line": (
        "_generic.yaml",
        r"^(?:(?:zuletzt )?aktualisiert(?: am)?|letzte (?:änderung|aktualisierung)(?: am)?|veröffentlicht(?: am)?|veröffentlichung|erstellt(?: am)?|release date|last (?:modified|updated)|news date|publié le|mis à jour le|actualizado|publicado)\s*:?\s*(?:\d{1,4}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{1,2}\.? \w+ \d{4}|\w+ \d{1,2},? \d{4})?\.?(?:\s+\d{1,2}:\d\d(?:\s?[ap]m)?)?$",
        [
            "erstellt",
            " am",
            " ",
            ":",
            "\x0b",
            "12.01.2021",
            "3 May 2020",
            "May 3, 2020",
            "12:30",
            " pm",
            ".",
            "x",
            "\n",
        ],
    ),
    "reading-time": (
        "_generic.yaml",
        r"^ten tekst przeczytasz\b|^(?:reading time|read time|lesezeit|lesedauer|tempo de leitura|temps de lecture|tiempo de lectura)\s*:?\s*(?:ca\.?\s*)?\d+|^\d+\s*(?:min(?:ute)?s?|minuten)\.?\s+(?:read|lesezeit)$",
        ["lesezeit", " ", ":", "ca", ".", "5", "\x0b", "x"],
    ),
    "meta.author[1]": (
        "_generic.yaml",
        r"^(?:author|written by|words by|posted by|reporting by)\s*:?\s+(?P<author>.{2,80}?)\s*$",
        ["author", "written by", " ", ":", "X", "x", "\x0b", "Ab"],
    ),
    "meta.date[0]": (
        "_generic.yaml",
        r"^(?:(?:published|posted|updated|last updated|first published|date|created)(?:\s+(?:on|at))?\s*:?\s*)?(?P<date>.{6,60}?)\s*$",
        ["published", " on", " ", ":", "May 3, 2020", "x", "\x0b", "12"],
    ),
    "meta.url[0]": (
        "_generic.yaml",
        r"^(?:original|source|canonical|article)\s+(?:url|link|address)\s*:?\s*(?P<url><?https?://\S+>?)?$",
        ["original url", " ", ":", "<", "https://a.b/c", ">", "x", "\x0b"],
    ),
    "meta.author[0]@mt": (
        "themoscowtimes.yaml",
        r"^By \[?(?P<author>[^\]\n|]+?)\]?\s*$",
        ["By ", "[", "]", " ", "\x0b", "N", "a", "|", "\n", "Jo"],
    ),
}


@functools.cache
def packaged_pattern(file: str, name: str) -> re.Pattern:
    """A drop_lines rule's pattern by its name, or a meta pattern (`meta.author[1]@...`)."""
    path = next(p for p in packaged_rule_files() if p.name == file)
    version = load_rule_file(path).rules.versions[0]
    if m := re.match(r"meta\.(\w+)\[(\d)\]", name):
        return getattr(version.meta, m[1])[int(m[2])]
    return next(r.pattern for r in version.text.drop_lines if r.name == name)


@pytest.mark.parametrize("name", sorted(OLD_RULES))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_rewritten_rule_patterns_match_what_they_matched(name, data):
    file, old, pieces = OLD_RULES[name]
    new, old = packaged_pattern(file, name), re.compile(old, re.IGNORECASE)
    s = data.draw(st.lists(st.sampled_from(pieces), max_size=10).map("".join))
    before, after = old.search(s), new.search(s)
    if "author" in name:  # a name of spaces and brackets may differ: it is no name either way
        assert _person(before["author"] if before else "") == _person(
            after["author"] if after else ""
        )
    else:
        assert (before and before.groupdict() or bool(before)) == (
            after and after.groupdict() or bool(after)
        )


# --- input: lone surrogates, NUL characters


@pytest.mark.parametrize("html", [False, True])
def test_lone_surrogates_become_replacement_characters(html):
    body = "Russian diplomats met the Syrian \ud800delegation in Moscow on Tuesday, officials said."
    page = f"<html><body><article><h1>A title</h1><p>{body}</p></article></body></html>"
    doc = clean(page if html else "A title\n\n" + body)
    assert "\ufffddelegation" in doc.text
    assert clean("A title\n\nA smile: \ud83d\ude00.").text == "A smile: \U0001f600."  # a pair


BODY = "Russian diplomats met the Syrian delegation in Moscow on Tuesday, officials said. "


@pytest.mark.parametrize("as_bytes", [False, True])
def test_nul_after_the_first_8_kb_is_dropped(as_bytes):
    text = "A title\n\n" + BODY * 120 + "\n\nThe last\x00 paragraph of the story ends here."
    assert len(text.split("\x00")[0].encode()) > 8192
    doc = clean(text.encode() if as_bytes else text)
    assert "\x00" not in doc.text and doc.text.endswith(
        "The last paragraph of the story ends here."
    )


@pytest.mark.parametrize("as_bytes", [False, True])
def test_nul_in_the_first_8_kb_of_text_is_binary_for_str_and_bytes_alike(as_bytes):
    text = "A title\n\nBody\x00 text.\n\n" + BODY
    with pytest.raises(InputError, match="binary"):
        clean(text.encode() if as_bytes else text)


# --- config: inline publishers


def test_an_error_in_inline_publishers_names_the_config_file(tmp_path):
    cfg = load_config(write(tmp_path, "site.yaml", "publishers:\n  - publisher: X\n"))
    with pytest.raises(RuleError, match=r"site\.yaml:publishers\[0\]: versions: Field required"):
        clean("A title\n\nSome text here.", config=cfg)


# --- local WARC files: a link that loops


def write_one_capture(folder: Path) -> None:
    folder.mkdir(parents=True)
    store = WarcStore(folder)
    store.write(*capture(0))
    store.close()


def capture(i: int) -> tuple[Listing, Response, datetime, dict]:
    x = Listing("wayback", f"https://example.org/{i}", "20120622000000", f"http://archive/{i}")
    page = f"<html><body><p>{BODY * 3}</p></body></html>".encode()
    response = Response(x.fetch, 200, "OK", [("Content-Type", "text/html")], page, 1)
    return x, response, datetime(2012, 6, 22, tzinfo=timezone.utc), {}


def test_a_glob_through_a_looping_link_reads_each_file_once(tmp_path):
    write_one_capture(tmp_path / "archives")
    (tmp_path / "archives" / "loop").symlink_to(".")  # archives/loop/loop/... is archives
    found = warc_paths(["archives/**/*.warc.gz"], tmp_path)
    assert [p.name for p in found] == [next((tmp_path / "archives").glob("*.warc.gz")).name]
    paths = warc_paths(["archives/**/*.warc.gz", "archives/*.warc.gz"], tmp_path)
    records = [c for p in paths for c in read_warc(p) if isinstance(c, Capture)]
    assert [c.record_type for c in records] == ["response", "metadata"]


# --- the raw store: a capture is its response and its metadata record, or nothing


class CountingFile:
    """A file that counts the writes made to it."""

    def __init__(self, f) -> None:
        self.f, self.writes = f, 0

    def write(self, data: bytes) -> int:
        self.writes += 1
        return self.f.write(data)

    def __getattr__(self, name: str):
        return getattr(self.f, name)


def test_a_capture_is_written_in_one_piece(tmp_path):
    store = WarcStore(tmp_path)
    store._open()
    store._file = counting = CountingFile(store._file)
    store.write(*capture(0))
    assert counting.writes == 1


def test_a_response_whose_metadata_record_was_cut_off_is_a_torn_tail(tmp_path):
    store = WarcStore(tmp_path)
    for i in range(2):
        store.write(*capture(i))
    open_file = next(tmp_path.glob("*.open"))
    whole = open_file.stat().st_size
    listing, response, when, _ = capture(2)
    with open(open_file, "ab") as f:  # killed between the response and its metadata
        writer = WARCWriter(f, gzip=True)
        http = StatusAndHeaders("200 OK", response.headers, protocol="HTTP/1.1")
        headers = {"WARC-Date": "2012-06-22T00:00:00Z", KEY_HEADER: listing.key}
        writer.write_record(
            writer.create_warc_record(
                listing.url, "response", payload=io.BytesIO(response.body), http_headers=http,
                warc_headers_dict=headers,
            )
        )  # fmt: skip
    store._file = None  # the killed process never closed it
    recovered: dict[str, str] = {}
    WarcStore(tmp_path).recover(recovered.update)
    assert sorted(recovered) == [capture(i)[0].key for i in range(2)]
    assert next(tmp_path.glob("*.warc.gz")).stat().st_size == whole


# --- clean() on anything: a Document or InputError, in seconds

SEEDS = read_seeds()


def document_or_input_error(data: str | bytes) -> None:
    """clean(data) gives a Document or raises InputError (the documented error), in < 5 s."""
    start = time.perf_counter()
    try:
        assert isinstance(clean(data), Document)
    except InputError:
        pass
    assert time.perf_counter() - start < 5


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False), st.sampled_from(sorted(KINDS)))
def test_clean_on_hostile_documents(rnd, kind):
    document_or_input_error(KINDS[kind](rnd, SEEDS))


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=())) | st.binary())
def test_clean_on_any_text_or_bytes(data):
    document_or_input_error(data)


def test_clean_does_not_read_a_response_whose_metadata_record_never_came(tmp_path):
    from scraper.sources import iter_store

    store = WarcStore(tmp_path)
    store.write(*capture(0))
    open_file = next(tmp_path.glob("*.open"))
    listing, response, _, _ = capture(1)
    with open(open_file, "ab") as f:  # killed between the response and its metadata
        writer = WARCWriter(f, gzip=True)
        http = StatusAndHeaders("200 OK", response.headers, protocol="HTTP/1.1")
        headers = {"WARC-Date": "2012-06-22T00:00:00Z", KEY_HEADER: listing.key}
        rec = writer.create_warc_record(
            listing.url, "response", payload=io.BytesIO(response.body), http_headers=http,
            warc_headers_dict=headers,
        )  # fmt: skip
        writer.write_record(rec)
    urls = [c.url for c in iter_store(tmp_path)]
    assert urls == ["https://example.org/0"]
