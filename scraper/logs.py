"""What `scrape` says while it works: library modules log, the command line picks how much.

Modules log to loggers under `scraper` (`logging.getLogger(__name__)`) and print nothing:
a fetch retry is INFO, each request DEBUG. `configure` sends them to the terminal at the
level `-v`/`-q` chose (warnings by default, INFO with -v, DEBUG with -vv, errors only with
-q), and with `--log FILE` everything, timed, to that file as well.
"""

from __future__ import annotations

import logging
from pathlib import Path

from rich.console import Console

__all__ = ["configure"]

ROOT = "scraper"
_LEVELS = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}
_PREFIX = {logging.ERROR: "Error: ", logging.WARNING: "warning: "}


class _Terminal(logging.Handler):
    """One plain line per record on stderr; a Console so that it prints above a progress
    bar rather than through it. A record's `prefix` (extra) replaces the level's."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.console = Console(stderr=True)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            prefix = getattr(record, "prefix", _PREFIX.get(record.levelno, ""))
            text = prefix + record.getMessage()
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)
        except Exception:  # a handler never raises into the code that logged
            self.handleError(record)


def configure(verbosity: int = 0, log_file: Path | None = None) -> None:
    """Route the `scraper` loggers: the terminal at `verbosity` (-1 quiet .. 2 debug), and
    `log_file` (appended to) at DEBUG. Called once per command; replaces earlier handlers,
    so repeated calls in one process (tests) do not print twice."""
    logger = logging.getLogger(ROOT)
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    terminal = _LEVELS.get(verbosity, logging.DEBUG)
    logger.addHandler(_Terminal(terminal))
    if log_file is not None:
        to_file = logging.FileHandler(log_file, mode="a", encoding="utf-8")
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
        logger.addHandler(to_file)
    logger.setLevel(logging.DEBUG if log_file is not None else terminal)
