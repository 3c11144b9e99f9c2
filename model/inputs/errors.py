"""One kind of error for bad input: it names the file, the key and what is allowed."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


class InputError(Exception):
    """Bad user input (scenario, sweep spec, --set, registry). The CLI prints it on one line, exit 2."""

    def __init__(self, where: str, key: str | None, message: str):
        self.where = str(where)
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        key = f": {self.key}" if self.key else ""
        return _one_line(f"{self.where}{key}: {self.message}")

    def __reduce__(self):
        """Rebuilt from its three parts, so that one raised in a worker process reaches the caller as
        itself (the default pickling passes only the message and fails)."""
        return type(self), (self.where, self.key, self.message)


def _one_line(text: str) -> str:
    """Text with its control characters (a newline in a key, say) written as escapes: the error stays one line."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c).startswith("C") else c for c in text)


def yaml_problem(exc: Exception) -> str:
    """A YAML parser error as one short phrase with its line and column."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"malformed YAML{where}: {problem}"


def closest(word: object, allowed: Iterable[str]) -> str | None:
    """The allowed word a typo most likely meant (difflib's closest match), or None: the one did-you-mean."""
    close = difflib.get_close_matches(str(word), list(allowed), n=1)
    return close[0] if close else None


def unknown_key(key: object, allowed: Iterable[str]) -> str:
    """'unknown key' with the closest allowed key, so that a typo is named as a typo (not as a missing key)."""
    allowed = list(allowed)
    close = closest(key, allowed)
    hint = f" (did you mean '{close}'?)" if close else f"; allowed keys: {', '.join(allowed)}"
    return f"unknown key {str(key)!r}{hint}"  # quoted as Python writes it: a newline in the key stays on one line
