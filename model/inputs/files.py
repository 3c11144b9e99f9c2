"""Reading the project's YAML files (the parameter tree, county folders, scenarios, sweep specs): one rule
for all of them, so that a file is either read exactly as written or refused with one line naming it.

Refused: a file that is missing or unreadable, not UTF-8, larger than its limit, not YAML, or that
repeats a key in one mapping (YAML would let the last one win silently).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from model.inputs.errors import InputError, yaml_problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when PyYAML has it: 10x faster
DATA_LIMIT = 20_000_000  # bytes: a county's or the tree's data file


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader that refuses a key repeated in one mapping."""


def _mapping(loader: StrictLoader, node: yaml.MappingNode) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in one mapping (line {mark.line + 1}); keep one", mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


class SettingsLoader(StrictLoader):
    """The strict loader for files a person writes by hand (scenarios): numbers written as YAML 1.2 and
    Python write them (2.0e8, 1e5) are numbers, as a reader expects, so that text in quotes is text
    and can be refused where a number belongs (YAML 1.1 would read 2.0e8 as text)."""


SettingsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.?[0-9]+[eE][-+]?[0-9]+$"), list("-+0123456789."))


def parse_yaml(text: str, where: str | Path, loader: type[StrictLoader] = StrictLoader) -> Any:
    """YAML text as data; InputError names `where` and the line of the problem."""
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise InputError(where, None, yaml_problem(exc)) from None


def read_text(path: Path, limit: int = DATA_LIMIT) -> str:
    """A UTF-8 text file of at most `limit` bytes."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(path, None, f"the file has {size:,} bytes; at most {limit:,} are read")
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, None, "is a directory, not a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, None, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except OSError as exc:
        raise InputError(path, None, f"cannot read the file ({exc.strerror})") from None


def read_yaml(path: Path, limit: int = DATA_LIMIT, loader: type[StrictLoader] = StrictLoader) -> Any:
    return parse_yaml(read_text(path, limit), path, loader)
