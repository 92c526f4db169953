"""The project's one error model (interfaces.md §5).

Every problem found in the input has a stable code (``E-...``, table ``CODES`` below), a place
(``FILE!SHEET!CELL`` or ``FILE:key``) and a Simplified-Chinese message. Readers and rules collect
problems into lists and raise them together once, as one ``InputError`` (the way pandera's
``SchemaErrors`` carries every failure of a validation); the three faces render the same
``Problem`` objects: the CLI as ``place: message`` lines on stderr, ``--json`` as
``{"errors": [{"code", "place", "message"}]}`` on stdout, the add-in as ``错误：message`` in a cell.
What to do about the problems (advice) is not a problem: it travels beside them, printed after them
and under ``"advice"`` in the JSON, so a script counting errors counts only errors.

Codes are stable once published: add new ones, never rename or reuse one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

# The published codes: code -> (what it means, rule of rules.md or interfaces.md section).
CODES: dict[str, tuple[str, str]] = {
    "E-INPUT": ("other invalid input (no more specific code yet)", "§1"),
    "E-ARGUMENT": ("a command-line option or a spreadsheet-function argument is invalid", "§1, §3"),
    "E-POLICY": ("a --policy KEY=VALUE is malformed, unknown or has an invalid value", "R2.3, R3, R6, R9"),
    "E-FEE": ("--fee is not an amount of yuan with at most 2 decimals", "R4, R10"),
    "E-PERIOD": ("a period is malformed or outside the contract's service year", "R10, §1"),
    "E-EXPERTS": ("expert names: repeated, unusable in file names, panel too small or even", "R2.1, R2.2"),
    "E-FILE-MISSING": ("an input file or folder does not exist, or a folder holds no workbook", "§1"),
    "E-FILE-FORMAT": ("a file is not a safe, readable .xlsx workbook (pre-flight check)", "§1"),
    "E-FILE-FOREIGN": ("a workbook was not made by this program (defined names or tables missing)", "§2"),
    "E-OUTPUT": ("the output cannot be written there (exists, is an input, folder missing, locked)", "§1"),
    "E-SCORE-MISSING": ("a score cell is blank or an item has no score", "R1.2, R2.2"),
    "E-SCORE-TYPE": ("a score cell holds a formula, an error value, text, a date, a boolean", "R1.2"),
    "E-SCORE-RANGE": ("a score is negative, above the item's points, or outside its allowed range", "R1.2, R5-R9"),
    "E-SCORE-DECIMALS": ("a score has more than 2 decimals", "R1.2"),
    "E-NOTE": ("a note cell holds a formula or overlong text", "R1.2"),
    "E-PANEL-SIZE": ("the panel has fewer than 3 experts or an even number", "R2.1"),
    "E-PANEL-DUPLICATE": ("one expert appears twice, or a sheet is renamed or listed twice", "R2.2"),
    "E-PANEL-MISMATCH": ("sheets of one panel carry different contracts, periods or rubric versions", "R2.2"),
    "E-EVIDENCE-CELL": ("an evidence cell is missing, of the wrong type or out of order", "§2, R5-R9"),
    "E-EVIDENCE-PERIOD": ("the evidence workbook is for another period", "§2"),
    "E-EVIDENCE-CONTRACT": ("the evidence workbook is for another contract", "§2, §5"),
    "E-EVIDENCE-REQUIRED": ("a year-end assessment without evidence", "R5"),
    "E-CALENDAR-YEAR": ("a working-day calculation needs a year no calendar covers", "R7"),
    "E-CALENDAR-HOLIDAY": ("a working-day count spans a statutory holiday the user's table does not list", "R7"),
    "E-EVIDENCE-BLANK": ("an evidence cell left blank would change a result; it must be filled", "§2, R5, R8, R9"),
    "E-FILE-CONVERT": ("a .xls/.ods/Strict Open XML file could not be converted (no LibreOffice, or it failed)", "§1"),
    "E-TEMPLATE": ("the summary template uses an unknown variable or does not evaluate", "§2"),
    "E-DATA-READ": ("a contract or rubric TOML file cannot be read or parsed", "§5"),
    "E-DATA-KEY": ("a contract or rubric file has an unknown key or table (nearest valid key named)", "§5"),
    "E-DATA-MISSING": ("a contract or rubric file lacks a required key", "§5"),
    "E-DATA-TYPE": ("a contract or rubric value has the wrong type", "§5"),
    "E-DATA-VALUE": ("a contract or rubric value is out of range or inconsistent (bands, sums, ids)", "R1.1, §5"),
    # The service year (interfaces.md §4): annual, correct, --history, dissent.
    "E-SUMMARY-EDITED": ("a summary's figures no longer recompute from the scores and options it records", "§4"),
    "E-SUMMARY-SERIES": ("summaries that cannot stand together: another contract or rubric version, a period twice, "
                         "outside the service year, not before the current period, the 密评 penalty twice", "§4, R5"),
    "E-FILE-CHANGED": ("an input's bytes differ from the SHA-256 its summary records", "§1, §4"),
    "E-CORRECTION": ("a correction outside 87号令 Art. 64: reason, expert, item, score, reviewer or its record", "§4"),
    "E-DISSENT": ("a dissent without a reason, a reason under no dissent, a reason that is a formula, or a dissent "
                  "cell not 是/否", "§4"),
    "E-RECTIFICATION": ("a rectification record of another contract, not of an earlier period, or with a bad date",
                        "合同五, R7"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: a stable code, a place (file, sheet, cell or key) and a Chinese message."""

    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    code: str = "E-INPUT"
    key: str = ""  # a key of a data file (contract, rubric), written FILE:key

    @property
    def place(self) -> str:
        """``FILE!SHEET!CELL`` for a workbook, ``FILE:key`` for a data file, '' when the run has no place."""
        if self.key:
            return f"{self.file}:{self.key}" if self.file else self.key
        return "!".join(p for p in (self.file, self.sheet, self.cell) if p)

    def as_dict(self) -> dict[str, str]:
        """The JSON form of interfaces.md §5: code, place, message."""
        return {"code": self.code, "place": self.place, "message": self.message}

    def __str__(self) -> str:
        place = self.place
        return f"{place}: {self.message}" if place else self.message


class ScorecardError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(ScorecardError):
    """The input or the command line is invalid; carries every problem found (exit status 2)."""

    def __init__(self, problems: Iterable[Problem] | Problem | str, code: str = "E-INPUT",
                 advice: Iterable[str] = ()):
        if isinstance(problems, str):
            problems = [Problem(problems, code=code)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.advice: list[str] = list(advice)  # what to do next: no code, no place, not counted as a problem
        super().__init__("\n".join([str(p) for p in self.problems] + self.advice))

    @property
    def codes(self) -> list[str]:
        """The codes of the problems, in order (for tests and callers that branch on them)."""
        return [p.code for p in self.problems]


class RubricError(InputError):
    """A rubric file breaks R1.1 or the data-file schema."""


class ContractError(InputError):
    """A contract file is incomplete, inconsistent or has unknown keys."""


class BadArgument(InputError, ValueError):
    """A spreadsheet-function argument that cannot be used; its message goes into the cell (interfaces.md §3)."""

    def __init__(self, message: str, code: str = "E-ARGUMENT"):
        super().__init__(Problem(message, code=code))

    def __str__(self) -> str:
        return self.problems[0].message


class Problems:
    """A collector: add problems as they are found, raise them all at once (never stop at the first)."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, message: str, code: str = "E-INPUT", **place: str) -> None:
        """Record one problem with its code and place (file=, sheet=, cell=, key=)."""
        self.items.append(Problem(message, code=code, **place))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere."""
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, error: type[InputError] = InputError) -> None:
        """Raise `error` carrying every recorded problem, if there is one."""
        if self.items:
            raise error(self.items)


def unique(problems: Iterable[Problem]) -> list[Problem]:
    """One problem per place: a cell already reported is not reported again by a later check."""
    seen: set[object] = set()
    result = []
    for problem in problems:
        key = (problem.file, problem.sheet, problem.cell) if problem.cell else str(problem)
        if key not in seen:
            seen.add(key)
            result.append(problem)
    return result


def json_errors(problems: Iterable[Problem], advice: Iterable[str] = ()) -> dict[str, list[Any]]:
    """``{"errors": [{"code", "place", "message"}]}`` for ``--json`` with exit status 2 (interfaces.md §5), and
    ``"advice": [text]`` beside it when the run says what to do about them."""
    result: dict[str, list[Any]] = {"errors": [p.as_dict() for p in unique(problems)]}
    if advice:
        result["advice"] = list(advice)
    return result


def cell_text(problem: Problem) -> str:
    """What an add-in cell shows for a problem (interfaces.md §3): a short Chinese message, never a traceback."""
    return f"错误：{problem.message}"
