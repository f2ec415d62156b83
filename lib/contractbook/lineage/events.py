"""A task's OpenLineage run events from its params and products (pure but for reading results).

Datasets come from what the task declares in pipeline.yaml, by key, so a new task needs no code:
- params `contract` (or the tracked resource `resources_.contract`: the contract file; its tables
  name the datasets), `raw_dir` (raw CSVs read), `warehouse` (warehouse tables read),
  `output_contract`/`curated_contract` (curated tables written, with column lineage from their
  `transformSourceObjects`);
- upstream products, as tasks read their inputs: a `raw` folder (raw CSVs read), an ingest
  `receipt` (the warehouse tables read, at the location the receipt names);
- products: a `.duckdb` file or an ingest `receipt` (warehouse tables written, with rows loaded
  and rejected), a `raw` folder (raw CSVs written), anything else (a file dataset).
At COMPLETE/FAIL the latest results of this run are attached: the ingest's `_run_metrics`
(assertions per rule, rows read/loaded/rejected) and GX's stored validations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
from openlineage.client.generated import error_message_run, job_type_job, parent_run

from contractbook.catalog import results as rr
from contractbook.contract import Contract, load, naming

from . import datasets as ds
from .gxresults import gx_results

NAMESPACE = "contractbook"
PRODUCER = "https://github.com/contractbook/contractbook/tree/main/lib/contractbook/lineage"
SCHEMA = "olist"  # the dataset of a task without a contract (the shipped contract's)
OUTPUT_CONTRACT_KEYS = ("output_contract", "curated_contract")


@dataclass
class TaskRun:
    """One task run as lineage sees it: names, declared paths, run id, start time."""

    task: str
    params: dict
    products: dict  # product key -> path
    run_id: str
    started: datetime
    parent: tuple[str, str] | None = None  # (build run id, build job name)
    root: Path = field(default_factory=Path.cwd)
    upstream: dict = field(default_factory=dict)  # upstream task -> {product key: path}

    def path(self, value) -> Path:
        """A declared path, absolute against the project root."""
        p = Path(str(value))
        return p if p.is_absolute() else self.root / p


def _contract_path(run: TaskRun):
    """The contract a task reads: its `contract` param, or its tracked `resources_.contract`."""
    return run.params.get("contract") or (run.params.get("resources_") or {}).get("contract")


def _contract(run: TaskRun) -> Contract | None:
    value = _contract_path(run)
    return load(run.path(value)) if value else None


def _schema(contract: Contract | None) -> str:
    """The warehouse schema of the contract's tables (the dataset ingest loads into)."""
    return naming.loaded_dataset(contract) if contract is not None else SCHEMA


def _receipt_warehouse(path: Path) -> Path | None:
    """The DuckDB file an ingest receipt names, when it exists (a server: None)."""
    from contractbook.ingest import receipt

    if not path.is_file():
        return None
    where = Path(receipt.warehouse(path))
    return where if where.suffix == ".duckdb" and where.is_file() else None


def _upstream(run: TaskRun, key: str) -> list[Path]:
    """Paths of the upstream products named key."""
    return [run.path(p[key]) for p in run.upstream.values() if isinstance(p, dict) and key in p]


def _raw_dir(run: TaskRun) -> Path | None:
    if run.params.get("raw_dir"):
        return run.path(run.params["raw_dir"])
    return next((p for p in _upstream(run, "data") if p.name == "raw"), None)


def _warehouse_read(run: TaskRun) -> Path | None:
    if run.params.get("warehouse"):
        return run.path(run.params["warehouse"])
    return next((w for p in _upstream(run, "receipt") if (w := _receipt_warehouse(p))), None)


def _curated(run: TaskRun) -> list[Contract]:
    return [load(run.path(run.params[k])) for k in OUTPUT_CONTRACT_KEYS if run.params.get(k)]


def _warehouse_products(run: TaskRun) -> list[Path]:
    out = [run.path(p) for k, p in run.products.items() if str(p).endswith(".duckdb")]
    if "receipt" in run.products and (w := _receipt_warehouse(run.path(run.products["receipt"]))):
        out.append(w)
    return out


def _since_start(metrics: list[rr.MetricsRow], run: TaskRun) -> list[rr.MetricsRow]:
    """_run_metrics rows of runs that started after this task did (so: this task's run)."""
    stamp = run.started.strftime("%Y%m%dT%H%M%SZ")
    return [m for m in metrics if m.run_id[:16] >= stamp]


def inputs(run: TaskRun, contract: Contract | None, final: bool) -> list:
    """The task's input datasets; with results attached when final."""
    out = []
    if _contract_path(run):
        out.append(ds.file_dataset(run.path(_contract_path(run)), output=False))
    if contract is None:
        return out
    schema = _schema(contract)
    rules = {r.id: r for r in contract.rules}
    wh_products = _warehouse_products(run)
    metrics = rr.read_metrics(wh_products[0], schema) if final and wh_products else []
    metrics = _since_start(metrics, run)
    found = rr.rule_results(contract, metrics)
    runs = rr.table_runs(metrics)
    warehouse = _warehouse_read(run)
    gx = gx_results(run.root / ".state" / "gx", contract, run.started) if final else {}
    raw = _raw_dir(run)
    if raw is not None:
        for t in contract.tables:
            res = [r for r in found.values() if r.table == t.name] or gx.get(("csv", t.name))
            out.append(ds.raw_file(t, raw, res, rules, runs.get(t.name)))
    if warehouse:
        for t in contract.tables:
            res = next(
                (v for (target, name), v in gx.items() if name == t.name and target != "csv"), None
            )
            out.append(ds.table_input(t, warehouse, schema, res, rules))
    return out


def outputs(run: TaskRun, contract: Contract | None, final: bool) -> list:
    """The task's output datasets (nb reports excluded); rows written attached when final."""
    out = []
    schema = _schema(contract)
    for key, value in run.products.items():
        path = run.path(value)
        if key == "nb":
            continue
        if key == "receipt" and contract is not None:  # where the ingest loaded, once it did
            path = _receipt_warehouse(path) or path
        if str(path).endswith(".duckdb") and contract is not None:
            metrics = _since_start(rr.read_metrics(path, schema), run) if final else []
            runs = rr.table_runs(metrics)
            for t in contract.tables:
                tr = runs.get(t.name)
                out.append(ds.table_output(t, path, schema, tr.rows_loaded if tr else None))
                if tr:
                    out.append(ds.rejects_output(t, path, schema, tr.rows_rejected))
            for cur in _curated(run):
                curated = cur.raw.get("servers", [{}])[0].get("schema", "curated")
                ns = ds.warehouse_namespace(path)
                out += [
                    ds.table_output(t, path, curated, lineage=ds.column_lineage(t, cur, ns, schema))
                    for t in cur.tables
                ]
        elif path.name == "raw" and contract is not None:
            out += [ds.raw_output(t, path) for t in contract.tables]
        else:
            out.append(ds.file_dataset(path, output=True))
    return out


def job_name(run: TaskRun, contract: Contract | None) -> str:
    """<contract name>.<task name>, e.g. olist_mini.ingest."""
    return f"{contract.name if contract else NAMESPACE}.{run.task}"


def event(
    run: TaskRun, state: RunState, error: str | None = None, when: datetime | None = None
) -> RunEvent:
    """One run event of a task: START (declared datasets) or COMPLETE/FAIL (with results)."""
    contract = _contract(run)
    final = state != RunState.START
    facets: dict = {}
    if run.parent:
        facets["parent"] = parent_run.ParentRunFacet(
            run=parent_run.Run(runId=run.parent[0]),
            job=parent_run.Job(namespace=NAMESPACE, name=run.parent[1]),
        )
    if error:
        facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
            message=error[:2000], programmingLanguage="python"
        )
    job = Job(
        namespace=NAMESPACE,
        name=job_name(run, contract),
        facets={
            "jobType": job_type_job.JobTypeJobFacet(
                processingType="BATCH", integration="PLOOMBER", jobType="TASK"
            )
        },
    )
    return RunEvent(
        eventType=state,
        eventTime=(when or datetime.now(UTC)).isoformat(),
        run=Run(runId=run.run_id, facets=facets),
        job=job,
        producer=PRODUCER,
        inputs=inputs(run, contract, final),
        outputs=outputs(run, contract, final),
    )
