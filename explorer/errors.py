"""The exceptions Stakeholder Explorer raises.

::

    ExplorerError                 base of everything this package raises on purpose
     ├── DataError                one problem at one place in a data file (path:line:col)
     ├── DataErrors               every problem found in one file, raised together
     └── ExportError              an export or import that could not be written
          └── PageTooBig          a graph page over the size limit

Library code raises these; only the shells (``cli.py``, ``app.py``) catch them. Any other
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CONTROL_CHARACTERS",
    "DataError",
    "DataErrors",
    "ExplorerError",
    "ExportError",
    "PageTooBig",
    "Problem",
    "escape_controls",
]

#: C0 and C1 control characters (and DEL), except tab and newline: what a terminal may take
#: as a command (clear the screen, set the title, write the clipboard), what XML cannot
#: hold, what spreadsheets refuse. The model refuses them in every text of a map.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    r"""Write each control character as a visible escape, so printing ``text`` is safe.

    >>> escape_controls("a\x1b[2Jb")
    'a\\x1b[2Jb'
    """
    return CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


class ExplorerError(Exception):
    """Base class of every error Stakeholder Explorer raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding at one place in a file, an error or a warning.

    ``line`` and ``col`` count from 1; ``where`` is the location in the document in the
    form ``relations[3].target`` (list indices from 0).
    """

    path: str
    line: int
    col: int
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        # A file name or a quoted value may hold control characters; never print them raw.
        return escape_controls(
            f"{self.path}:{self.line}:{self.col}: {self.where}: {prefix}{self.message}"
        )


class DataError(ExplorerError):
    """One problem at one place in a data file."""

    def __init__(self, path: str, line: int, col: int, where: str, message: str) -> None:
        self.problem = Problem(path, line, col, where, message)
        super().__init__(str(self.problem))

    @property
    def path(self) -> str:
        return self.problem.path

    @property
    def line(self) -> int:
        return self.problem.line

    @property
    def col(self) -> int:
        return self.problem.col

    @property
    def where(self) -> str:
        return self.problem.where

    @property
    def message(self) -> str:
        return self.problem.message


class DataErrors(ExplorerError):
    """Every problem found in one data file, in file order.

    ``problems`` holds the errors (and, under ``--strict``, the warnings that failed the
    file); ``str()`` gives one ``path:line:col: where: message`` line each.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[DataError]:
        """The problems as single ``DataError`` objects."""
        return [DataError(p.path, p.line, p.col, p.where, p.message) for p in self.problems]


class ViewError(ExplorerError, ValueError):
    """A view asks for what the map does not have (an unknown scenario, say).

    ``field`` names the ``FilterSpec`` field at fault, so that a shell can name its own
    control (``--scenario``, the scenario picker).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ExportError(ExplorerError):
    """An export or import that could not be done; nothing was written."""


class PageTooBig(ExportError):
    """A graph page over the size limit: a browser would take minutes, or run out of memory.

    ``size`` is the page's size in bytes (``at_least``: the part counted before stopping).
    """

    def __init__(self, size: int, limit: int, *, at_least: bool = False) -> None:
        self.size = size
        self.limit = limit
        self.at_least = at_least
        super().__init__(
            f"the page would be {self.size_text}, over the limit of {limit / 1e6:,.1f} MB "
            "for one page; narrow the view (--kinds, --types, --focus, --search, "
            "--min-strength) or export GraphML, SVG or PDF"
        )

    @property
    def size_text(self) -> str:
        """The page's size in words, such as "at least 103.2 MB"."""
        return ("at least " if self.at_least else "") + f"{self.size / 1e6:,.1f} MB"
