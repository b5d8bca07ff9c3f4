"""The one exception family of kg.

Every error a user can cause (a missing file, a broken JSON line, a graph file
that is not Turtle) is a :class:`KgError` whose message names the file, the
line when there is one, and what to do.  The CLI prints it on one line and
exits 1; library users catch ``KgError``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["GraphError", "KgError", "ReadError", "UsageError"]


class KgError(Exception):
    """Base class of all errors raised by kg on bad input or bad state."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.reason = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        # one printable line: control characters from file names or file contents are escaped
        return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in where + self.reason)


class ReadError(KgError):
    """An article source could not be read (missing, unreadable, malformed)."""


class GraphError(KgError):
    """A stored graph could not be read or written."""


class UsageError(KgError):
    """The caller asked for something that does not exist (a format, a state)."""
