"""How the command line fails: one line for the operator, and an exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_SETUP = 2


class CommandError(Exception):
    """An operator-facing failure: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_SETUP) -> None:
        super().__init__(message)
        self.code = code
