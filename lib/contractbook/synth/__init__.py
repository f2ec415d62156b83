"""Synthetic Olist-mini data from the contract: deterministic, vectorized, with planted defects.

Library API::

    from contractbook.synth import generate
    result = generate(contract, n_orders=10_000, seed=42, out_dir="data/raw", defects="all=2")
    result.rows        # {table: records written}
    result.defects     # manifest rows: {table, line, key, kind, rule_id}

`contract` is a loaded Contract or a path. `defects` is a spec: `kind=count,...` (kinds in
`contractbook.synth.spec.DEFECT_KINDS`), `all=N` (N of every kind) and/or `rate=R` (a fraction
of the rows of each target table); "" writes clean data and a header-only `defects.csv`. The same
seed and parameters give byte-identical files. CLI: `python -m contractbook synth --help`.
"""

from .run import Result, generate
from .spec import DEFECT_KINDS, Spec
from .spec import parse as parse_spec

__all__ = ["DEFECT_KINDS", "Result", "Spec", "generate", "parse_spec"]
