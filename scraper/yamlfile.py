"""Read YAML files and validate them into pydantic models with one-line errors.

Errors name the file, the line and the dotted key (`config.yaml:12: sources[0].wayback.match:
...`), so config and rule files report mistakes the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ConfigError

__all__ = ["load_yaml", "validate"]

M = TypeVar("M", bound=BaseModel)


def load_yaml(path: Path, *, text: str | None = None) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML file into data plus its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except (FileNotFoundError, IsADirectoryError):
        raise ConfigError(f"{path}: file not found") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"{path}{where}: invalid YAML: {problem}") from None


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
