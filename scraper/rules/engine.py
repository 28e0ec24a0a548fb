"""Load rule files, resolve `extends`, and pick the rules that apply to one document.

Where a rule is applied: `scraper/rules/kinds.py`. Where it is chosen: `RuleBook.select`.
Packaged files (this folder, `_generic.yaml` for every publisher) come first; the user's
files from config.yaml (`rules:`, inline `publishers:`) replace a packaged publisher of
the same name, and a user file with `publisher: generic` adds generic rules ahead of ours.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import RuleError
from ..yamlfile import load_yaml, validate
from .kinds import KINDS
from .schema import HtmlRules, MetaRules, RuleFile
from .signatures import Signature, hits

__all__ = ["ActiveRules", "RuleBook", "ResolvedVersion", "load_rulebook", "packaged_rule_files"]


@dataclass(frozen=True, slots=True)
class ResolvedVersion:
    """One version of one publisher's rules with `extends` flattened and every rule named."""

    publisher: str
    version: str
    source: str  # file the version came from
    text: dict[str, list[tuple[str, Any]]]  # section -> [(rule name, rule)]
    html: HtmlRules
    meta: MetaRules
    signatures: tuple[Signature, ...] = ()  # this layout's own

    def signature_hits(self, text: str, folded: str) -> int:
        """`folded` is `text.casefold()`, made once for every version's signatures."""
        return hits(self.signatures, text, folded)


@dataclass(frozen=True, slots=True)
class LoadedFile:
    rules: RuleFile
    path: str
    sha256: str
    versions: dict[str, ResolvedVersion]

    @property
    def stem(self) -> str:
        """Short name, in default rule names and fixture folders (`_generic` -> generic)."""
        return _stem(Path(self.path))

    def version_for(
        self, when: date | None, *, text: str = "", captured: date | None = None
    ) -> ResolvedVersion:
        """The layout the page wears: an old article captured recently wears the recent
        layout, so the capture date decides when known, then the layout's signatures in
        the text, and only then `when`, the article's date (fundus-style: the first
        version whose valid_until is on or after it)."""
        if captured is None and text and any(v.signatures for v in self.versions.values()):
            folded = text.casefold()
            found = [(v.signature_hits(text, folded), v) for v in self.versions.values()]
            best = max((h for h, _ in found), default=0)
            if best:
                return next(v for h, v in found if h == best)
        return self._dated(captured or when)

    def _dated(self, when: date | None) -> ResolvedVersion:
        chosen = self.rules.versions[-1]
        if when is not None:
            chosen = next(
                (v for v in self.rules.versions if v.valid_until is None or v.valid_until >= when),
                chosen,
            )
        return self.versions[chosen.id]


@dataclass(frozen=True, slots=True)
class ActiveRules:
    """What applies to one document: publisher rules first, then the generic ones."""

    publisher: str | None
    versions: tuple[ResolvedVersion, ...]

    @property
    def label(self) -> str | None:
        """Which rule versions applied, e.g. `The Moscow Times@v2024` (user files first)."""
        specific = [v for v in self.versions if v.publisher != "generic"]
        if not specific:
            return None
        return specific[0].publisher + "@" + "+".join(v.version for v in specific)

    def sections(self, name: str) -> list[tuple[str, Any]]:
        return [rule for v in self.versions for rule in v.text[name]]

    @property
    def prune_xpath(self) -> list[str]:
        out: list[str] = []
        for v in self.versions:
            out += v.html.prune_xpath
            out += [_css_to_xpath(c) for c in v.html.prune_css]
        return out

    def meta(self, field_name: str) -> list[re.Pattern[str]]:
        return [p for v in self.versions for p in getattr(v.meta, field_name)]

    @property
    def date_order(self) -> str | None:
        return next((v.meta.date_order for v in self.versions if v.meta.date_order), None)

    @property
    def header_lines(self) -> int:
        return next((v.meta.header_lines for v in self.versions if v.meta.header_lines), 8)


def _css_to_xpath(css: str) -> str:
    from cssselect import GenericTranslator

    return GenericTranslator().css_to_xpath(css, prefix="//")


def _stem(path: Path) -> str:
    return path.stem.lstrip("_")


def _resolve(rf: RuleFile, stem: str, path: str) -> dict[str, ResolvedVersion]:
    out: dict[str, ResolvedVersion] = {}
    for v in rf.versions:
        parent = out.get(v.extends) if v.extends else None
        text = {k.section: list(parent.text[k.section]) if parent else [] for k in KINDS}
        for k in KINDS:
            own = k.declared(v.text)
            if k.single and own:
                text[k.section] = []  # one rule per version: this one replaces the parent's
            for i, rule in enumerate(own):
                default = f"{stem}.{v.id}.{k.section}" + ("" if k.single else f"[{i}]")
                text[k.section].append((rule.name or default, rule))
        meta = v.meta
        if parent:
            meta = MetaRules(
                author=v.meta.author + parent.meta.author,
                date=v.meta.date + parent.meta.date,
                url=v.meta.url + parent.meta.url,
                date_order=v.meta.date_order or parent.meta.date_order,
                header_lines=v.meta.header_lines or parent.meta.header_lines,
            )
            html = HtmlRules(
                prune_xpath=parent.html.prune_xpath + v.html.prune_xpath,
                prune_css=parent.html.prune_css + v.html.prune_css,
            )
        else:
            html = v.html
        signatures = tuple(Signature.of(p) for p in v.recognise)
        out[v.id] = ResolvedVersion(rf.publisher, v.id, path, text, html, meta, signatures)
    return out


def load_rule_file(path: Path, *, data: Any = None) -> LoadedFile:
    """Validate one rule file (or, with `data`, an inline one); errors name file, line, key."""
    node = None
    if data is None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise RuleError(f"{path}: rule file not found") from None
        except UnicodeDecodeError as e:
            raise RuleError(f"{path}: not UTF-8 text (byte {e.start})") from None
        data, node = load_yaml(path, text=text)
    else:
        text = json.dumps(data, sort_keys=True, default=str)
    rf = validate(RuleFile, data, path=path, node=node, error=RuleError)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return LoadedFile(rf, str(path), digest, _resolve(rf, _stem(path), str(path)))


def packaged_rule_files() -> list[Path]:
    folder = resources.files("scraper.rules")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


class RuleBook:
    """Every rule file in force for a run, and the choice of rules for one document.

    A user's file for a publisher we ship does not replace ours: its rules run first, so
    they win where both would act, and ours still apply after them.
    """

    line_model: bool = True  # plain text also goes through the line classifier

    def __init__(self, files: list[LoadedFile]) -> None:
        self.files = files
        self.generic: list[LoadedFile] = []
        self.publishers: dict[str, list[LoadedFile]] = {}
        for f in reversed(files):  # the user's files come last in `files`, first here
            if f.rules.is_generic:
                self.generic.append(f)
            else:
                self.publishers.setdefault(f.rules.publisher, []).append(f)
        self._signatures = {  # compiled once: `publisher_for` runs several times a document
            name: [Signature.of(p) for f in files for p in f.rules.recognise]
            for name, files in self.publishers.items()
        }

    def digests(self, base: Path | None = None) -> dict[str, str]:
        """sha256 of every rule file, for versions.json: packaged ones by file name, the
        user's by their path from `base` (the config's folder), so that the record names
        them as config.yaml does and does not change when the project folder moves."""
        packaged = {str(p): p.name for p in packaged_rule_files()}

        def key(path: str) -> str:
            if path in packaged:
                return packaged[path]
            if base is None or not Path(path).is_absolute():
                return path
            rel = Path(os.path.relpath(path, base)).as_posix()
            return f"./{rel}" if rel in packaged.values() else rel  # a copy of a packaged file

        return {key(f.path): f.sha256 for f in self.files}

    def publisher_for(self, url: str | None, text: str) -> str | None:
        """The publisher: by url domain first, else by the most text signatures found."""
        host = (urlsplit(url).hostname or "").lower() if url else ""
        if host:
            for name, files in self.publishers.items():
                domains = [d for f in files for d in f.rules.domains]
                if any(host == d or host.endswith("." + d) for d in domains):
                    return name
        best, most = None, 0
        folded = text.casefold()
        for name, signatures in self._signatures.items():
            n = hits(signatures, text, folded)
            if n > most:
                best, most = name, n
        return best

    def select(
        self, url: str | None, text: str, when: date | None, *, captured: date | None = None
    ) -> ActiveRules:
        """The rules for one document; `when` is the article's date, `captured` the
        capture's, which decides the layout first (`LoadedFile.version_for`)."""
        name = self.publisher_for(url, text)
        files = self.publishers.get(name, []) if name else []
        versions = [f.version_for(when, text=text, captured=captured) for f in files + self.generic]
        return ActiveRules(name, tuple(versions))


@lru_cache(maxsize=8)
def _load_cached(keys: tuple[tuple[str, int, int], ...], inline: str, config: str) -> RuleBook:
    files = [load_rule_file(Path(p)) for p, _, _ in keys]
    for i, data in enumerate(json.loads(inline)):
        files.append(load_rule_file(Path(f"{config}:publishers[{i}]"), data=data))
    return RuleBook(files)


def load_rulebook(
    extra: list[Path] | None = None,
    inline: list[dict] | None = None,
    *,
    config: str = "config.yaml",
) -> RuleBook:
    """The packaged rules plus the user's; cached while no file changes. `config` is the
    config file that holds `inline`, which its errors name."""
    paths = packaged_rule_files() + list(extra or [])
    keys = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            raise RuleError(f"{p}: rule file not found") from None
        keys.append((str(p), st.st_mtime_ns, st.st_size))
    return _load_cached(tuple(keys), json.dumps(inline or [], sort_keys=True, default=str), config)
