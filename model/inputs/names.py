"""Names that become folder names (a scenario's results directory, a sweep's summary folder): refused
unless they name one folder inside the place they are meant for, so that no name writes elsewhere."""

from __future__ import annotations

import unicodedata

from model.inputs.errors import InputError

NAME_LIMIT = 100  # characters: a folder name with room for the hash the results directory adds


def check_name(name: str, where: str, key: str = "name") -> str:
    """`name` if it is one plain folder name; InputError naming `where` and `key` otherwise."""
    problem = _problem(name)
    if problem:
        raise InputError(where, key, f"{name[:40]!r}{'...' if len(name) > 40 else ''} {problem}; a name is up to "
                         f"{NAME_LIMIT} characters without '/', '\\', '..', a leading '.' or control characters")
    return name


def _problem(name: str) -> str | None:
    if not name.strip():
        return "is empty"
    if len(name) > NAME_LIMIT:
        return f"has {len(name)} characters"
    if "/" in name or "\\" in name:
        return "contains a path separator"
    if ".." in name:
        return "contains '..'"
    if name.startswith("."):
        return "starts with a dot"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return "contains a control character"
    return None
