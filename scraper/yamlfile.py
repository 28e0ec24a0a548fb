"""Read YAML files and validate them into pydantic models with one-line errors.

Errors name the file, the line and the dotted key (`config.yaml:12: sources[0].wayback.match:
...`), so config and rule files report mistakes the same way.

Aliases are counted as they are read: a few hundred bytes of nested anchors ("billion
laughs") expand to gigabytes once the data is copied (validation, hashing), so a file whose
aliases add more than MAX_ALIAS_NODES nodes is refused at the alias that crosses the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ConfigError

__all__ = ["MAX_ALIAS_NODES", "load_yaml", "validate"]

M = TypeVar("M", bound=BaseModel)

MAX_ALIAS_NODES = 10_000  # nodes all aliases of a file may add; real configs add dozens


class _AliasError(Exception):
    """An alias that would expand too far; raised inside the composer, reported by load_yaml."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _CountingLoader(yaml.SafeLoader):
    """yaml.SafeLoader that counts the nodes each alias stands for, and stops at a bomb;
    and a date that does not exist (`2012-13-01`) is a YAML error with its place in the
    file rather than a bare ValueError from `datetime.date`."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._added = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if not self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        event = self.peek_event()
        node = super().compose_node(parent, index)
        line = event.start_mark.line + 1
        if node.end_mark is None:  # its anchor's node is still being read: a cycle
            raise _AliasError(line, f"alias *{event.anchor} refers to itself")
        self._added += _expanded_size(node, self._sizes)
        if self._added > MAX_ALIAS_NODES:
            raise _AliasError(
                line,
                f"aliases expand to more than {MAX_ALIAS_NODES} values (at *{event.anchor});"
                " write the values out",
            )
        return node

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as e:
            problem = f"{node.value!r} is not a date ({e})"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


_CountingLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _CountingLoader.construct_yaml_timestamp
)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many nodes `node` is once every alias in it is copied out (memoised by node)."""
    if id(node) not in sizes:
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        sizes[id(node)] = 1 + sum(_expanded_size(c, sizes) for c in children)
    return sizes[id(node)]


def _parse(text: str) -> tuple[Any, yaml.Node | None]:
    """One pass: the node tree (aliases counted), then the data built from it."""
    loader = _CountingLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def load_yaml(path: Path, *, text: str | None = None) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML file into data plus its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except (FileNotFoundError, IsADirectoryError):
        raise ConfigError(f"{path}: file not found") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    try:
        return _parse(text)
    except _AliasError as e:
        raise ConfigError(f"{path}:{e.line}: {e}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        if isinstance(e, yaml.constructor.ConstructorError) and mark is not None:
            loc = _loc_at(yaml.compose(text), mark.index)  # it parsed: only a value is wrong
            if loc:
                raise ConfigError(f"{path}{where}: {dotted(loc)}: {problem}") from None
        raise ConfigError(f"{path}{where}: invalid YAML: {problem}") from None


def _loc_at(node: yaml.Node | None, index: int, loc: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    """The key path of the value that starts at character `index` (empty: none does)."""
    if isinstance(node, yaml.ScalarNode):
        return loc if node.start_mark.index == index else ()
    if isinstance(node, yaml.MappingNode):
        children = [(k.value, v) for k, v in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = list(enumerate(node.value))
    else:
        return ()
    for part, child in children:
        if found := _loc_at(child, index, (*loc, part)):
            return found
    return ()


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the node at `loc`, or of its nearest existing parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(
    model: type[M],
    data: Any,
    *,
    path: Path | str,
    node: yaml.Node | None = None,
    error: type[ConfigError] = ConfigError,
    context: dict[str, Any] | None = None,
) -> M:
    """model.model_validate(data), with the first error as one line naming file:line: key."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
        line = line_of(node, loc) if node is not None else None
        where = f"{path}:{line}" if line else str(path)
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        msg = msg.removeprefix("Value error, ")
        more = f" (and {len(e.errors()) - 1} more)" if len(e.errors()) > 1 else ""
        raise error(f"{where}: {dotted(loc) or 'top level'}: {msg}{more}") from None
