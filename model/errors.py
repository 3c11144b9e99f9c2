"""One kind of error for bad input: it names the file, the key and what is allowed."""

from __future__ import annotations


class InputError(Exception):
    """Bad user input (scenario, sweep spec, --set, registry). The CLI prints it on one line, exit 2."""

    def __init__(self, where: str, key: str | None, message: str):
        self.where = str(where)
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        key = f": {self.key}" if self.key else ""
        return f"{self.where}{key}: {self.message}"
