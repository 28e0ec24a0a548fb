"""The exemplar articles: read, cleaned like any capture, and turned into a relevance model.

Exemplars are `discover.exemplars` (files or globs), else the files of the `seeds:`
sources. `scrape clean` cleans them in its worker pool like any capture (one that hangs costs
itself) and builds the model once, in the main process; the workers get the model.
"""

from __future__ import annotations

import glob
from pathlib import Path

from ..cleaning import clean_lines, rulebook_for
from ..config import Config
from ..errors import InputError
from ..filters.language import detect_language
from ..models import Capture, Document
from ..sources import sources_of

__all__ = ["exemplar_captures", "exemplar_files", "load_exemplars"]


def exemplar_files(config: Config) -> list[Path]:
    if config.discover.exemplars is not None:
        found: set[Path] = set()
        for pattern in config.discover.exemplars:
            found.update(Path(p) for p in glob.glob(str(config.path(pattern)), recursive=True))
        return sorted(p for p in found if p.is_file())
    return [p for source in sources_of(config) for p in source.exemplar_files()]


def exemplar_captures(files: list[Path]) -> list[Capture]:
    return [Capture(id=p.stem, source="seed", content=p.read_bytes(), url=None) for p in files]


def load_exemplars(
    config: Config, files: list[Path] | None = None
) -> tuple[list[Document], list[str]]:
    """The cleaned exemplars with their language, and a line for each file that could not
    be used."""
    docs, problems = [], []
    book = rulebook_for(config)
    for path in exemplar_files(config) if files is None else files:
        try:
            doc, _ = clean_lines(book, path.read_bytes(), doc_id=path.stem, source="seed")
        except (InputError, OSError) as e:
            problems.append(f"{path}: not used as an exemplar: {e}")
            continue
        if not doc.text.strip():
            problems.append(f"{path}: not used as an exemplar: no text left after cleaning")
            continue
        docs.append(doc.replace(language=detect_language(doc.text)))  # as `scrape clean` does
    return docs, problems
