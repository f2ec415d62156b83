"""Tables and a chart that explain a contract in the validate-contract notebook."""

from __future__ import annotations

PROBLEM_COLUMNS = ["severity", "path", "message", "fix", "file", "line"]
RULE_COLUMNS = ["id", "kind", "table", "columns", "policy", "description"]


def problems_table(problems):
    """Errors first, then warnings, one row each (an empty table when the contract is clean)."""
    import pandas as pd

    rows = [{c: getattr(p, c) for c in PROBLEM_COLUMNS} for p in problems]
    df = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    df["file"] = df["file"].map(_shown_path)
    return df.sort_values("severity", kind="stable", key=lambda s: s != "error", ignore_index=True)


def _shown_path(path) -> str:
    """A problem's file relative to the project root (reports name no build-machine path)."""
    from pathlib import Path

    from contractbook.paths import project_root

    if not path or not Path(str(path)).is_absolute():
        return path
    try:
        return str(Path(str(path)).relative_to(project_root()))
    except (ValueError, FileNotFoundError):
        return Path(str(path)).name


def verdict(contract, problems) -> str:
    """One line: valid or not, with the counts."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if contract is None or errors:
        return f"INVALID: {errors} error(s), {warnings} warning(s)"
    return (
        f"valid: {contract.id} v{contract.version} ({contract.api_version}), "
        f"{len(contract.tables)} tables, {len(contract.rules)} rules, {warnings} warning(s)"
    )


def raise_on_errors(problems) -> None:
    """Stop the task (and the DAG) when the contract has any error."""
    from contractbook.contract import ContractError

    if any(p.severity == "error" for p in problems):
        raise ContractError(list(problems))


def rules_table(contract):
    """The rule catalogue: one row per checkable rule, grouped by kind."""
    import pandas as pd

    rows = [
        {
            "id": r.id,
            "kind": r.kind,
            "table": r.table,
            "columns": ", ".join(r.columns),
            "policy": r.policy,
            "description": r.description,
        }
        for r in contract.rules
    ]
    df = pd.DataFrame(rows, columns=RULE_COLUMNS)
    return df.sort_values(["kind", "table"], kind="stable", ignore_index=True)


def rules_by_kind(contract):
    """Counts of rules per table (rows, contract order) and kind (columns), with totals."""
    import pandas as pd

    df = rules_table(contract)
    counts = pd.crosstab(df["table"], df["kind"], margins=True, margins_name="total")
    return counts.reindex([*contract.table_names, "total"])


def plot_rules(contract):
    """Stacked bar chart of rules per table, one colour per kind; returns the figure."""
    import matplotlib.pyplot as plt

    counts = rules_by_kind(contract).drop(index="total", columns="total")
    fig, ax = plt.subplots(figsize=(9, 4))
    counts.plot.barh(stacked=True, ax=ax, colormap="tab10", width=0.75)
    ax.invert_yaxis()
    ax.set_xlim(0, counts.sum(axis=1).max() * 1.05)
    ax.set(xlabel="rules", ylabel="", title=f"{contract.name} v{contract.version}: rules per table")
    ax.legend(title="kind", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def violations_table(violations):
    """JSON Schema sample violations as a DataFrame (table, record, path, message)."""
    import pandas as pd

    columns = ["table", "record", "path", "message"]
    return pd.DataFrame([[getattr(v, c) for c in columns] for v in violations], columns=columns)


class Verdict(str):
    """The verdict line, shown as a coloured banner in a notebook."""

    def _repr_html_(self) -> str:
        from html import escape

        bad = self.startswith("INVALID") or ": INVALID" in self
        colour = "#b3261e" if bad else "#2a7d3f"
        return (
            f"<p style='border-left:4px solid {colour};padding:4px 10px'>"
            f"<b>{escape(str(self))}</b></p>"
        )


def verdict_html(path, contract, problems) -> Verdict:
    """`<contract path>: <verdict>`, rendered as a banner (the path relative to the project)."""
    return Verdict(f"{_shown_path(str(path))}: {verdict(contract, problems)}")
