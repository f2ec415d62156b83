"""The dashboard's figures (matplotlib): one function per plot, model outputs in, Figure out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt

BLUE, ORANGE, GREY, RED = "#1f77b4", "#ff7f0e", "#999999", "#d62728"
BUCKET_COLORS = {1: BLUE, 2: BLUE, 3: BLUE, 4: ORANGE, 5: RED, 6: GREY}  # review_delay.bucket_order


def _figure(width: float = 8, height: float = 3.6):
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    plt.close(fig)  # shown by display(), not again at the end of the cell
    return fig, ax


def _empty(ax, what: str):
    ax.text(
        0.5,
        0.5,
        f"no {what} in this selection",
        ha="center",
        va="center",
        transform=ax.transAxes,
        color=GREY,
    )
    ax.set_axis_off()


def monthly(frames):
    """Orders per month (bars) and the on-time rate (line)."""
    sla = frames["delivery_sla"]
    m = sla[sla.dimension == "purchase_month"].sort_values("segment")
    fig, ax = _figure()
    if m.empty:
        _empty(ax, "orders")
        return fig
    labels = [s[:7] for s in m.segment]
    ax.bar(labels, m.orders, color=BLUE, alpha=0.6, label="orders")
    ax.set_ylabel("orders")
    ax.tick_params(axis="x", rotation=60, labelsize=8)
    ax2 = ax.twinx()
    ax2.plot(labels, m.on_time_rate, color=ORANGE, marker="o", label="on-time rate")
    ax2.set_ylim(0, 1.05)
    ax2.set_ylabel("on-time rate")
    ax.set_title("Orders and on-time rate by month of purchase")
    return fig


def delay_histogram(frames):
    """Distribution of the delay against the estimated date, delivered orders."""
    d = frames["order_deliveries"].delay_days.dropna()
    fig, ax = _figure()
    if d.empty:
        _empty(ax, "delivered orders")
        return fig
    lo, hi = int(d.min()), int(d.max())
    ax.hist(d, bins=range(lo, hi + 2), color=BLUE, alpha=0.8)
    ax.axvline(0.5, color=RED, linestyle="--", label="estimated date")
    ax.set_xlabel("delivery date minus estimated date (days; < 0 = early)")
    ax.set_ylabel("orders")
    ax.legend()
    ax.set_title("How early or late orders arrive")
    return fig


def state_on_time(frames):
    """On-time rate per customer state, with the median delay, lowest rate first."""
    sla = frames["delivery_sla"]
    s = sla[(sla.dimension == "customer_state") & sla.on_time_rate.notna()]
    s = s.sort_values("on_time_rate")
    fig, ax = _figure(8, max(3, 0.25 * len(s) + 1))
    if s.empty:
        _empty(ax, "delivered orders")
        return fig
    ax.barh(s.segment, s.on_time_rate, color=BLUE)
    for y, (rate, n) in enumerate(zip(s.on_time_rate, s.delivered_orders, strict=True)):
        ax.text(rate + 0.01, y, f"{n:,}", va="center", fontsize=7, color=GREY)
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("on-time rate (label: delivered orders)")
    ax.set_title("On-time delivery by customer state")
    return fig


def score_distribution(frames):
    """Share of reviews per score."""
    r = frames["review_scores"].sort_values("review_score")
    fig, ax = _figure(6, 3.2)
    if r.reviews.sum() == 0:
        _empty(ax, "reviews")
        return fig
    colors = [RED if s <= 2 else BLUE for s in r.review_score]
    ax.bar(r.review_score.astype(str), r.share, color=colors)
    ax.set_xlabel("review score (red: 1-2, the unhappy customers)")
    ax.set_ylabel("share of reviews")
    ax.set_title("Review score distribution")
    return fig


def score_by_delay(frames):
    """Mean review score per delay bucket."""
    r = frames["review_delay"].sort_values("bucket_order")
    fig, ax = _figure(7, 3.2)
    if r.empty:
        _empty(ax, "reviews")
        return fig
    ax.bar(r.delay_bucket, r.avg_score, color=[BUCKET_COLORS[b] for b in r.bucket_order])
    for x, (score, n) in enumerate(zip(r.avg_score, r.reviews, strict=True)):
        ax.text(x, score + 0.05, f"{score:.2f} ({n:,})", ha="center", fontsize=8)
    ax.set_ylim(0, 5.5)
    ax.set_ylabel("mean score (reviews)")
    ax.set_title("Review score against delivery delay")
    return fig


def category_scores(frames, n: int = 15):
    """Mean score of the most reviewed categories; untranslated ones in orange."""
    c = frames["category_reviews"].sort_values("reviews", ascending=False).head(n)
    c = c.sort_values("avg_score")
    fig, ax = _figure(8, max(3, 0.28 * len(c) + 1))
    if c.empty:
        _empty(ax, "reviews")
        return fig
    colors = [
        BLUE if t else GREY if pt is None else ORANGE
        for t, pt in zip(c.is_translated, c.product_category_name, strict=True)
    ]
    ax.barh(c.category, c.avg_score, color=colors)
    ax.set_xlim(1, 5)
    ax.set_xlabel("mean review score (orange: missing from the translation table; grey: none)")
    ax.set_title(f"Average score of the {len(c)} most reviewed categories")
    return fig


def seller_map(frames):
    """Sellers: revenue against on-time rate; dot size = reviews, hollow = no reviews."""
    s = frames["seller_scorecard"]
    s = s[s.orders > 0]
    fig, ax = _figure()
    if s.empty:
        _empty(ax, "sellers with sales")
        return fig
    rated, unrated = s[s.has_reviews], s[~s.has_reviews]
    ax.scatter(
        rated.revenue.astype(float),
        rated.on_time_rate,
        s=10 + rated.reviews * 3,
        c=rated.avg_review_score,
        cmap="RdYlGn",
        vmin=1,
        vmax=5,
        alpha=0.8,
    )
    ax.scatter(
        unrated.revenue.astype(float),
        unrated.on_time_rate,
        s=30,
        facecolors="none",
        edgecolors=GREY,
        label="no reviews",
    )
    ax.set_xscale("log")
    ax.set_xlabel("revenue, BRL (log scale)")
    ax.set_ylabel("on-time rate")
    ax.set_title("Seller scorecard: revenue, punctuality, reviews (colour: mean score)")
    if len(unrated):
        ax.legend()
    return fig


def payment_gap(frames):
    """Payments against items + freight per order; mismatches in red."""
    o = frames["order_totals"]
    fig, ax = _figure(6, 4)
    if o.empty:
        _empty(ax, "orders")
        return fig
    ok, bad = o[~o.payment_mismatch], o[o.payment_mismatch]
    ax.scatter(
        ok.order_value.astype(float),
        ok.payments_value.astype(float),
        s=6,
        color=BLUE,
        alpha=0.5,
        label="payments match",
    )
    ax.scatter(
        bad.order_value.astype(float),
        bad.payments_value.astype(float),
        s=20,
        color=RED,
        label=f"mismatch ({len(bad):,})",
    )
    top = float(max(o.order_value.max(), o.payments_value.max()) or 1)
    ax.plot([0, top], [0, top], color=GREY, linewidth=0.8)
    ax.set_xlabel("items + freight, BRL")
    ax.set_ylabel("payments, BRL")
    ax.legend()
    ax.set_title("Do payments cover each order?")
    return fig


def carrier_hours(frames):
    """Distribution of hours from payment approval to the carrier."""
    h = frames["order_deliveries"].approval_to_carrier_hours.dropna()
    fig, ax = _figure(7, 3.2)
    if h.empty:
        _empty(ax, "hand-overs to the carrier")
        return fig
    ax.hist(h, bins=40, color=BLUE, alpha=0.8)
    ax.axvline(h.median(), color=ORANGE, label=f"median {h.median():.0f} h")
    ax.set_xlabel("hours from approval to carrier")
    ax.set_ylabel("orders")
    ax.legend()
    ax.set_title("Time from payment approval to the carrier")
    return fig


# name -> the function drawing that figure from the dashboard's frames
PLOTS: dict[str, Callable[..., Any]] = {
    "monthly": monthly,
    "delay_histogram": delay_histogram,
    "state_on_time": state_on_time,
    "carrier_hours": carrier_hours,
    "payment_gap": payment_gap,
    "score_distribution": score_distribution,
    "score_by_delay": score_by_delay,
    "category_scores": category_scores,
    "seller_map": seller_map,
}
