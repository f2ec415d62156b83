"""The defect spec: `kind=count,...`, `all=N` (N of every kind), `rate=R` (a fraction of rows)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Every kind of bad data the generator plants (as in the defect manifest's `kind` column).
DEFECT_KINDS = (
    "required",
    "type",
    "primary_key",
    "unique",
    "allowed_values",
    "pattern",
    "range",
    "foreign_key",
    "sql",
    "csv_column_count",
    "csv_quoting",
    "csv_encoding",
)


@dataclass(frozen=True)
class Spec:
    """How many defects of each kind: explicit counts, else `all`, else `rate` of target rows."""

    counts: dict[str, int] = field(default_factory=dict)
    all: int | None = None
    rate: float = 0.0

    @property
    def empty(self) -> bool:
        """True when nothing is planted (clean data, header-only manifest)."""
        return not any(self.counts.values()) and not self.all and not self.rate

    def count(self, kind: str) -> int | None:
        """The explicit or `all` count of kind; None means: derive it from `rate`."""
        if kind in self.counts:
            return self.counts[kind]
        return self.all if self.all is not None else (None if self.rate else 0)

    def __str__(self) -> str:
        parts = [f"{k}={v}" for k, v in self.counts.items()]
        parts += [f"all={self.all}"] if self.all is not None else []
        parts += [f"rate={self.rate:g}"] if self.rate else []
        return ",".join(parts)


def parse(text: str | None) -> Spec:
    """Parse a spec such as `all=2`, `primary_key=5,csv_quoting=1`, `rate=0.001`; '' is none."""
    counts, all_, rate = {}, None, 0.0
    for item in (p.strip() for p in (text or "").split(",")):
        if not item:
            continue
        name, sep, value = (s.strip() for s in item.partition("="))
        if not sep:
            raise ValueError(
                f"defect spec item {item!r} has no '=': write kind=count, all=N or rate=R"
            )
        if name == "rate":
            try:
                rate = float(value)
            except ValueError:
                raise ValueError(
                    f"defect spec: rate={value!r} is not a number; e.g. rate=0.001"
                ) from None
            if not 0 <= rate < 0.05:
                raise ValueError(f"defect spec: rate={value} must be in [0, 0.05)")
            continue
        if name != "all" and name not in DEFECT_KINDS:
            raise ValueError(
                f"defect spec: unknown kind {name!r}; kinds: {', '.join(DEFECT_KINDS)}, all, rate"
            )
        if not value.isdigit():
            raise ValueError(f"defect spec: {name}={value!r} must be a non-negative integer count")
        if name == "all":
            all_ = int(value)
        else:
            counts[name] = int(value)
    return Spec(counts=counts, all=all_, rate=rate)
