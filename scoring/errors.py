"""The project's exceptions: one small hierarchy, turned into messages in the CLI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with its place (file, sheet, cell may be empty)."""

    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        place = "!".join(p for p in (self.file, self.sheet, self.cell) if p)
        return f"{place}: {self.message}" if place else self.message


class ScorecardError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(ScorecardError):
    """The input or the command line is invalid; carries every problem found (exit status 2)."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RubricError(InputError):
    """A rubric file breaks R1.1."""


class ContractError(InputError):
    """A contract file is incomplete or inconsistent."""
