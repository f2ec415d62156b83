"""Runner: SQL rules that return one number (not failing rows), checked on the accepted rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from contractbook.contract import Contract
from contractbook.contract.thresholds import comparator, passes, plain, table_rules

from .plan import qi


class TableRuleError(ValueError):
    """A table-level SQL rule that cannot be evaluated (not one scalar, operator unknown)."""


@dataclass(frozen=True)
class TableRuleResult:
    """One table-level SQL rule's outcome: the metric its query returned against its threshold."""

    rule: str
    table: str
    value: float | int | str | None  # the metric (None: the query returned NULL)
    operator: str  # the ODCS operator, e.g. mustBeLessThan
    threshold: object
    passed: bool
    severity: str  # error: a failure fails the run (exit 1); otherwise reported only
    message: str = ""

    def to_dict(self) -> dict:
        """The JSON form (receipt)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> TableRuleResult:
        """The record of a JSON document written by to_dict()."""
        return cls(**d)

    @property
    def fails_run(self) -> bool:
        """True when this rule failed and its severity is error."""
        return not self.passed and self.severity == "error"

    def line(self) -> str:
        """One line for the console and the report."""
        verdict = "passed" if self.passed else f"FAILED ({self.severity})"
        bound = f"{comparator(self.operator).symbol} {self.threshold}"
        shown = "NULL" if self.value is None else self.value
        return f"table check {self.rule}: {shown} {bound}: {verdict}" + (
            f"; {self.message}" if self.message else ""
        )


def one_value(rule, columns: list[str], rows: list) -> object:
    """The one value of a query's result (its columns and first two rows), whatever the engine;
    TableRuleError for several rows or columns."""
    if len(columns) != 1 or len(rows) != 1:
        n = len(rows) if len(rows) < 2 else "several"
        shape = f"{n} row(s) of {len(columns)} column(s)"
        raise TableRuleError(
            f"SQL rule {rule.id}: its query returns {shape}, not one value; "
            "write a query returning one number, e.g. SELECT MAX(amount) FROM t"
        )
    return rows[0][0]


def _scalar(rc, rule, query: str):
    """The one value query returns in DuckDB."""
    res = rc.sql(query)
    return one_value(rule, res.columns, res.limit(2).fetchall())


def judge(rule, value) -> TableRuleResult:
    """Compare value with every threshold the rule declares (none: mustBe 0); the first failed."""
    declared = rule.params.get("thresholds") or (("mustBe", 0),)
    severity = rule.params.get("severity") or "error"
    results = [_one(rule, value, op, threshold, severity) for op, threshold in declared]
    return next((r for r in results if not r.passed), results[-1])


def _one(rule, value, op: str, threshold, severity: str) -> TableRuleResult:
    """value against one `op: threshold` of rule; a NULL value fails."""
    try:
        comparator(op)
    except ValueError as e:
        raise TableRuleError(f"SQL rule {rule.id}: {e}") from None
    ok, message = False, "the query returned NULL (no rows to measure?)"
    if value is not None:
        try:
            ok, message = passes(op, value, threshold), ""
        except (TypeError, ValueError) as e:
            raise TableRuleError(f"SQL rule {rule.id}: cannot compare {value!r}: {e}") from None
    return TableRuleResult(rule.id, rule.table, plain(value), op, threshold, ok, severity, message)


def evaluate(con, contract: Contract, table: str) -> list[TableRuleResult]:
    """Run each table-level rule of table on the accepted rows (ok.<t>), on a restricted
    connection (sqlconn.restricted_connection), and judge its one value."""
    from contractbook.contract.sqlrules import sql

    from .sqlconn import restricted_connection, rule_inputs

    rules = table_rules(contract, table)
    if not rules:
        return []
    trees = [r.params["tree"] for r in rules]
    rc = restricted_connection(rule_inputs(con, contract, table, trees, f"ok.{qi(table)}"))
    try:
        return [judge(r, _scalar(rc, r, sql(r.params["tree"]))) for r in rules]
    finally:
        rc.close()


def failures(checks) -> list[TableRuleResult]:
    """Every failed error-severity table rule of a run's checks (they make ingest exit 1)."""
    return [r for c in checks for r in getattr(c, "table_rules", ()) if r.fails_run]
