"""bench.png: seconds of every step against size (log-log), and ratios to anchor (a)."""

from __future__ import annotations

from pathlib import Path

from .records import BenchResult


def series(result: BenchResult, key: str = "seconds") -> dict[str, tuple[list[int], list[float]]]:
    """step -> (n_orders, values) over the sizes, smallest first; steps with a value only."""
    out: dict[str, tuple[list[int], list[float]]] = {}
    for size in sorted(result.sizes, key=lambda s: s.n_orders):
        for s in size.steps:
            if getattr(s, key) is not None:
                xs, ys = out.setdefault(s.step, ([], []))
                xs.append(size.n_orders)
                ys.append(getattr(s, key))
    return out


def _f(x) -> str:
    return "?" if x is None else f"{x:.0f}"


def draw(result: BenchResult, path) -> Path:
    """Write the two-panel plot to path (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .registry import STEPS
    from .report import INGEST_TARGET_RATIO

    anchors = {s.name for s in STEPS.values() if s.role in ("anchor", "peer")}
    color = {name: f"C{i % 10}" for i, name in enumerate(STEPS)}  # one colour per step
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for name, (xs, ys) in series(result, "seconds").items():
        left.plot(
            xs,
            ys,
            marker="o",
            label=name,
            color=color.get(name),
            linestyle="--" if name in anchors else "-",
        )
    left.set(
        xscale="log",
        yscale="log",
        xlabel="orders",
        ylabel="seconds (median)",
        title="Seconds per step (imports excluded; dashed: anchors, peer)",
    )
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    for name, (xs, ys) in series(result, "ratio").items():
        if name != "duckdb_alone":
            right.plot(
                xs,
                ys,
                marker="o",
                label=name,
                color=color.get(name),
                linestyle="--" if name in anchors else "-",
            )
    right.axhline(
        INGEST_TARGET_RATIO,
        color="grey",
        linestyle=":",
        label=f"ingest target {INGEST_TARGET_RATIO}×",
    )
    right.set(
        xscale="log",
        yscale="log",
        xlabel="orders",
        ylabel="× DuckDB alone",
        title="Ratio to anchor (a): DuckDB alone",
    )
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=8)
    m = result.machine
    end = result.load_end[0] if result.load_end else "?"
    fig.suptitle(
        f"contractbook bench: {m.cores} cores, {_f(m.memory_gb)} GB, load "
        f"{m.load_start[0]} → {end}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)
