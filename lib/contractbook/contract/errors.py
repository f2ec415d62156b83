"""Problems found in a contract, each naming the file, the place and the fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding: an error stops the pipeline, a warning is reported and kept."""

    file: str
    path: str
    message: str
    fix: str = ""
    line: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity}: {self.path or '<root>'}: {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


class ContractError(Exception):
    """A contract that cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity != "error"]
        super().__init__(self.report())

    def report(self) -> str:
        """All errors as text, one block per problem."""
        head = f"{len(self.problems)} error(s) in the contract:"
        return "\n".join([head, *(str(p) for p in self.problems)])
