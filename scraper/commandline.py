"""What every `scrape` command shares: the global options, errors, exit statuses, Ctrl-C.

`--config`, `-v`/`-q` and `--log` are taken before the command's name and after it
(`scrape --config x.yaml versions` and `scrape versions --config x.yaml`; the later one
wins), so a command body never parses them. It raises instead of exiting: `command` turns
a ScraperError into one line and the error's exit status (`errors.Exit`), and Ctrl-C into
the summary so far (`interrupt_summary`) and status 130, never a traceback or `Aborted!`.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from .config import load_config
from .errors import Exit, ScraperError, UsageError
from .logs import configure

__all__ = [
    "Interrupted",
    "command",
    "console",
    "global_options",
    "interrupt_summary",
    "usage_checked",
    "writable_file",
]

console = Console(stderr=True)  # progress bars, summaries, notes: what -q silences
log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Session:
    """The global options as given so far (the group's, then the command's)."""

    config_path: Path | None = None
    verbosity: int = 0  # -1 with -q, 1 per -v
    log_file: Path | None = None


def _set(field: str, value_of: Callable[..., Any] | None = None) -> Callable[..., None]:
    """An option callback that records a value given on the command line in the Session,
    which the group's context and the command's share. `value_of(ctx, param, value)`
    checks or converts it first."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value_of is not None:
            value = value_of(ctx, param, value)
        if value:  # not given: keep what the group's options set
            setattr(ctx.ensure_object(Session), field, value)

    return callback


def writable_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """An option naming a file to write: its folder must exist (said before any work)."""
    if value is not None and not value.parent.is_dir():
        raise click.BadParameter(f"{value}: there is no folder {value.parent}", ctx, param)
    return value


def usage_checked(check: Callable[[str], str]) -> Callable[..., str | None]:
    """An option callback from a library check that raises UsageError on a bad value."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        try:
            return None if value is None else check(value)
        except UsageError as e:
            raise click.BadParameter(str(e), ctx, param) from None

    return callback


def global_options(*, config: bool = True) -> Callable[[F], F]:
    """--config (where it applies), -v/--verbose, -q/--quiet, --log FILE."""
    path = click.Path(dir_okay=False, path_type=Path)
    config_option = click.option(
        "--config",
        type=path,
        expose_value=False,
        callback=_set("config_path"),
        help="Config file (default: ./config.yaml, else the packaged defaults).",
    )
    options = [config_option] if config else []
    options += [
        click.option(
            "-v",
            "--verbose",
            count=True,
            expose_value=False,
            callback=_set("verbosity"),
            help="Say more: -v each retry, -vv each request.",
        ),
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            expose_value=False,
            callback=_set("verbosity", lambda ctx, param, quiet: -1 if quiet else 0),
            help="Print errors only.",
        ),
        click.option(
            "--log",
            type=path,
            expose_value=False,
            callback=_set("log_file", writable_file),
            help="Also append everything, -vv included and timed, to this file.",
        ),
    ]

    def decorate(fn: F) -> F:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, after the command printed what it had done; the message is the advice."""


@contextmanager
def interrupt_summary(show: Callable[[], None], advice: str) -> Iterator[None]:
    """On Ctrl-C inside the block: `show()` the summary so far, then leave with `advice`
    (what a rerun does) and exit status 130."""
    try:
        yield
    except KeyboardInterrupt:
        show()
        raise Interrupted(advice) from None


def command(group: click.Group, name: str | None = None) -> Callable[[F], Any]:
    """Register `fn` as a command of `group` with the global options; the config is
    loaded for it when it takes `config`, or its path given when it takes `config_path`
    (None: --config was not given). Errors and Ctrl-C end it as the module says."""

    def decorate(fn: F) -> Any:
        wants = inspect.signature(fn).parameters
        takes_config, takes_path = "config" in wants, "config_path" in wants

        @functools.wraps(fn)
        def run(**kwargs: Any) -> Any:
            ctx = click.get_current_context()
            session = ctx.ensure_object(Session)
            console.quiet = session.verbosity < 0
            configure(session.verbosity, session.log_file)
            try:
                if takes_config:
                    kwargs["config"] = load_config(session.config_path)
                if takes_path:
                    kwargs["config_path"] = session.config_path
                return fn(**kwargs)
            except ScraperError as e:
                log.error("%s", e)
                ctx.exit(e.exit_code)
            except KeyboardInterrupt as e:
                advice = f": {e}" if isinstance(e, Interrupted) and str(e) else ""
                log.error("interrupted%s", advice, extra={"prefix": ""})
                ctx.exit(Exit.INTERRUPTED)

        # the global options after the command's own in --help: those are what it is about
        own = getattr(fn, "__click_params__", [])
        run.__click_params__ = []  # type: ignore[attr-defined]
        global_options(config=takes_config or takes_path)(run)
        run.__click_params__ += own  # type: ignore[attr-defined]
        return group.command(name)(run)

    return decorate
