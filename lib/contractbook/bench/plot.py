"""bench.png: seconds of every step against size (log-log), and ratios to anchor (a)."""

from __future__ import annotations

from pathlib import Path


def series(result: dict, key: str = "seconds") -> dict[str, tuple[list[int], list[float]]]:
    """step -> (n_orders, values) over the sizes, smallest first; steps with a value only."""
    out: dict[str, tuple[list[int], list[float]]] = {}
    for size in sorted(result["sizes"], key=lambda s: s["n_orders"]):
        for s in size["steps"]:
            if s.get(key) is not None:
                xs, ys = out.setdefault(s["step"], ([], []))
                xs.append(size["n_orders"])
                ys.append(s[key])
    return out


def draw(result: dict, path) -> Path:
    """Write the two-panel plot to path (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .pipeline import PLAN

    anchors = {s.name for s in PLAN if s.role == "anchor"}
    color = {s.name: f"C{i}" for i, s in enumerate(PLAN)}  # one colour per step in both panels
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for name, (xs, ys) in series(result, "seconds").items():
        left.plot(xs, ys, marker="o", label=name, color=color.get(name),
                  linestyle="--" if name in anchors else "-")
    left.set(xscale="log", yscale="log", xlabel="orders", ylabel="seconds (median)",
             title="Seconds per step (imports excluded; dashed: anchors)")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    for name, (xs, ys) in series(result, "ratio").items():
        if name != "duckdb_alone":
            right.plot(xs, ys, marker="o", label=name, color=color.get(name),
                       linestyle="--" if name in anchors else "-")
    right.axhline(3.0, color="grey", linestyle=":", label="ingest target 3×")
    right.set(xscale="log", yscale="log", xlabel="orders", ylabel="× DuckDB alone",
              title="Ratio to anchor (a): DuckDB alone")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=8)
    m = result["machine"]
    fig.suptitle(f"contractbook bench: {m['cores']} cores, {m['memory_gb']:.0f} GB, load "
                 f"{m['load_start'][0]} → {result['load_end'][0]}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)
