"""The dashboard's headline tiles, formatted tables and its 'What to check' checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# model -> column -> display format (pandas Styler); columns not listed show as they are
FORMATS = {
    "order_totals": {
        c: "R$ {:,.2f}"
        for c in (
            "items_value",
            "freight_value",
            "order_value",
            "payments_value",
            "voucher_value",
            "payment_difference",
        )
    },
    "delivery_sla": {
        "on_time_rate": "{:.1%}",
        "avg_delay_days": "{:+.1f}",
        "median_delay_days": "{:+.1f}",
        "p90_delay_days": "{:+.1f}",
        "avg_approval_to_carrier_hours": "{:.1f} h",
    },
    "review_scores": {"share": "{:.1%}"},
    "category_reviews": {"avg_score": "{:.2f}", "low_score_share": "{:.1%}"},
    "review_delay": {"avg_score": "{:.2f}", "low_score_share": "{:.1%}"},
    "seller_scorecard": {
        "revenue": "R$ {:,.2f}",
        "freight_value": "R$ {:,.2f}",
        "on_time_rate": "{:.1%}",
        "avg_review_score": "{:.2f}",
    },
}
# model -> (sort columns, ascending) for display
ORDER = {
    "delivery_sla": (["dimension", "segment"], True),
    "review_scores": (["review_score"], True),
    "category_reviews": (["reviews", "avg_score"], False),
    "review_delay": (["bucket_order"], True),
    "seller_scorecard": (["revenue"], False),
    "order_totals": (["purchased_at"], True),
    "order_deliveries": (["purchased_at"], True),
}


def styled(name: str, frame, rows: int = 15):
    """The first rows of a model output, sorted for reading and formatted (a pandas Styler)."""
    by, asc = ORDER.get(name, ([frame.columns[0]], True))
    view = frame.sort_values(by, ascending=asc).head(rows)
    return (
        view.style.format(FORMATS.get(name, {}), na_rep="–")
        .hide(axis="index")
        .set_caption(f"{name}: {min(rows, len(frame))} of {len(frame):,} rows")
    )


@dataclass(frozen=True)
class Tables:
    """Formatted tables shown one after the other."""

    styles: tuple

    def _repr_html_(self) -> str:
        return "".join(f"<div style='margin-bottom:1em'>{s.to_html()}</div>" for s in self.styles)


@dataclass(frozen=True)
class Headline:
    """The numbers on top of the dashboard."""

    tiles: tuple[tuple[str, str, str], ...]  # (label, value, note)

    def _repr_html_(self) -> str:
        cells = "".join(
            "<div style='display:inline-block;margin:4px;padding:8px 14px;border:1px solid #ccc;"
            f"border-radius:6px;min-width:150px'><div style='color:#555'>{escape(label)}</div>"
            f"<div style='font-size:1.6em;font-weight:bold'>{escape(value)}</div>"
            f"<div style='color:#777;font-size:.85em'>{escape(note)}</div></div>"
            for label, value, note in self.tiles
        )
        return f"<div>{cells}</div>"

    def as_dict(self) -> dict[str, str]:
        """label -> value."""
        return {label: value for label, value, _ in self.tiles}


def _rate(x) -> str:
    return "–" if x is None or x != x else f"{x:.1%}"


def headline(d) -> Headline:
    """Orders, revenue, payments, delivery and review numbers of the filtered data."""
    ot, sla = d.frames["order_totals"], d.frames["delivery_sla"]
    overall = sla[sla.dimension == "all"]
    total = overall.iloc[0] if len(overall) else None
    rev, reviews = d.frames["review_scores"], d.frames["review_scores"].reviews.sum()
    avg = (rev.review_score * rev.reviews).sum() / reviews if reviews else None
    left = (
        sum(m.rejected_inputs for m in d.warehouse_run.models if m.model == "order_totals")
        if d.warehouse_run
        else None
    )
    return Headline(
        (
            ("orders", f"{len(ot):,}", str(d.filters)),
            (
                "revenue (items)",
                f"R$ {float(ot.items_value.sum()):,.2f}",
                f"+ R$ {float(ot.freight_value.sum()):,.2f} freight",
            ),
            (
                "average order",
                f"R$ {float(ot.order_value.mean()):,.2f}" if len(ot) else "–",
                "items + freight",
            ),
            (
                "payment mismatches",
                f"{int(ot.payment_mismatch.sum()):,}",
                f"{int((~ot.has_payment).sum()):,} orders without payment",
            ),
            (
                "on time",
                _rate(None if total is None else total.on_time_rate),
                "of delivered orders, vs the estimate",
            ),
            (
                "median delay",
                "–"
                if total is None or total.median_delay_days != total.median_delay_days
                else f"{total.median_delay_days:+.0f} days",
                "negative = early",
            ),
            (
                "average review",
                "–" if avg is None else f"{avg:.2f} / 5",
                f"{int(reviews):,} reviews",
            ),
            (
                "left out as rejects",
                "–" if left is None else f"{left:,}",
                "input rows of order_totals the ingest rejected",
            ),
        )
    )


@dataclass(frozen=True)
class Check:
    """One checkpoint item: what to check, whether it holds, the numbers behind it."""

    what: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Checkpoint:
    """The 'What to check' list; ok when every item holds."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """True when every item holds."""
        return all(c.ok for c in self.checks)

    def failed(self) -> list[str]:
        """The items that do not hold."""
        return [c.what for c in self.checks if not c.ok]

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{'✅' if c.ok else '❌'}</td><td>{escape(c.what)}</td>"
            f"<td>{escape(c.detail)}</td></tr>"
            for c in self.checks
        )
        return f"<table><tr><th></th><th>check</th><th>numbers</th></tr>{rows}</table>"


def checkpoint(d) -> Checkpoint:
    """Reconciliations a reader can verify on the dashboard's own numbers."""
    f, raw = d.frames, d.raw_totals
    ot, sla, rs = f["order_totals"], f["delivery_sla"], f["review_scores"]
    items, paid = float(ot.items_value.sum()), float(ot.payments_value.sum())
    by = {dim: sla[sla.dimension == dim] for dim in ("all", "customer_state", "purchase_month")}
    n_all = int(by["all"].orders.sum())
    checks = [
        Check(
            "one row per accepted order in order_totals",
            len(ot) == raw["orders"],
            f"{len(ot):,} rows, {raw['orders']:,} accepted orders",
        ),
        Check(
            "revenue equals the accepted items' prices",
            abs(items - float(raw["items_value"])) < 0.005,
            f"R$ {items:,.2f} vs R$ {float(raw['items_value']):,.2f}",
        ),
        Check(
            "payments equal the accepted payments",
            abs(paid - float(raw["payments_value"])) < 0.005,
            f"R$ {paid:,.2f} vs R$ {float(raw['payments_value']):,.2f}",
        ),
        Check(
            "states and months add up to all orders",
            n_all
            == by["customer_state"].orders.sum()
            == by["purchase_month"].orders.sum()
            == len(ot),
            f"all {n_all:,}; states {int(by['customer_state'].orders.sum()):,}; months "
            f"{int(by['purchase_month'].orders.sum()):,}",
        ),
        Check(
            "every review is in the score distribution",
            int(rs.reviews.sum()) == raw["reviews"],
            f"{int(rs.reviews.sum()):,} vs {raw['reviews']:,} accepted reviews",
        ),
        Check(
            "on-time rates lie between 0 and 1",
            bool(sla.on_time_rate.dropna().between(0, 1).all()),
            "delivery_sla.on_time_rate",
        ),
    ]
    if d.warehouse_run is not None and d.warehouse_run.check is not None:
        failing = sum(r["fail"] for r in d.warehouse_run.check.rows())
        checks.append(
            Check(
                "curated tables pass their generated contract",
                d.warehouse_run.ok,
                f"{failing:,} failing rows",
            )
        )
    return Checkpoint(tuple(checks))
