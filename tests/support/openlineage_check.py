"""Validate OpenLineage events against the client's own typed (attrs) models.

The OpenLineage JSON Schemas are not installed with openlineage-python 1.54 (the client ships
generated attrs classes instead, with the spec's required fields, enums and format validators).
No package on the registries reached here carries them either (checked December 2026): the
openlineage-python 1.54.0 wheel and its newest sdist (1.39.0), openlineage-integration-common
1.54.0 (only its own dbt/BigQuery/GE facet schemas), openlineage-sql, openlineage-airflow and
apache-airflow-providers-openlineage hold no spec/OpenLineage.json; npm has no `openlineage`
package; Debian has none; the openlineage-java jar is on Maven Central, which is not reached.
An event is valid here when it rebuilds, strictly (no unknown or missing keys), into those classes
and serializes back to exactly the same JSON, every facet with its spec `_schemaURL`.
"""

from __future__ import annotations

import types
import typing

import attr
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent
from openlineage.client.generated import (
    column_lineage_dataset,
    data_quality_assertions_dataset,
    data_quality_metrics_dataset,
    data_quality_metrics_input_dataset,
    error_message_run,
    job_type_job,
    output_statistics_output_dataset,
    parent_run,
    schema_dataset,
    tags_job,
    tags_run,
)
from openlineage.client.serde import Serde

FACETS = {
    ("run", "parent"): parent_run.ParentRunFacet,
    ("run", "errorMessage"): error_message_run.ErrorMessageRunFacet,
    ("run", "tags"): tags_run.TagsRunFacet,  # added by the client itself on emit
    ("job", "jobType"): job_type_job.JobTypeJobFacet,
    ("job", "tags"): tags_job.TagsJobFacet,
    ("dataset", "schema"): schema_dataset.SchemaDatasetFacet,
    ("dataset", "columnLineage"): column_lineage_dataset.ColumnLineageDatasetFacet,
    ("dataset", "dataQualityMetrics"): data_quality_metrics_dataset.DataQualityMetricsDatasetFacet,
    (
        "input",
        "dataQualityAssertions",
    ): data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet,
    (
        "input",
        "dataQualityMetrics",
    ): data_quality_metrics_input_dataset.DataQualityMetricsInputDatasetFacet,
    (
        "output",
        "outputStatistics",
    ): output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet,
}


class Invalid(AssertionError):
    """An event that does not match the OpenLineage models."""


def _build(cls, data: dict):
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in attr.fields(cls)}
    kwargs = {}
    for key, value in data.items():
        f = fields.get(key)
        if f is None:
            raise Invalid(f"{cls.__name__}: unknown key {key!r}")
        if key in ("_producer", "_schemaURL"):
            continue  # checked below: must equal what the class itself declares
        kwargs[f.alias or key] = _value(hints.get(f.name), value, cls.__name__)
    try:
        obj = cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise Invalid(f"{cls.__name__}: {e}") from None
    return obj


def _value(hint, value, where: str):
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and args:
        return _value(args[0], value, where)
    if origin is list:
        return [_value(args[0], v, where) for v in value]
    if origin is dict and len(args) == 2 and attr.has(args[1]):
        return {k: _value(args[1], v, where) for k, v in value.items()}
    if isinstance(hint, type) and attr.has(hint) and isinstance(value, dict):
        return _build(hint, value)
    return value


def _facets(kind: str, data: dict | None) -> dict:
    out = {}
    for name, facet in (data or {}).items():
        cls = FACETS.get((kind, name))
        if cls is None:
            raise Invalid(f"{kind} facet {name!r} has no model here")
        obj = _build(cls, facet)
        if facet.get("_schemaURL") != obj._schemaURL or not facet.get("_producer"):
            raise Invalid(
                f"{kind} facet {name}: _schemaURL {facet.get('_schemaURL')!r} is not "
                f"the spec's {obj._schemaURL!r}"
            )
        out[name] = obj
    return out


def _dataset(cls, data: dict, extra: str | None):
    kw = {
        "namespace": data["namespace"],
        "name": data["name"],
        "facets": _facets("dataset", data.get("facets")),
    }
    if extra:
        kw[f"{extra}Facets"] = _facets(extra, data.get(f"{extra}Facets"))
    unknown = set(data) - {"namespace", "name", "facets", f"{extra}Facets"}
    if unknown:
        raise Invalid(f"dataset {data['name']}: unknown keys {unknown}")
    return cls(**kw)


def validate(event: dict) -> RunEvent:
    """Rebuild event into the client's models; Invalid unless it round-trips to the same JSON."""
    unknown = set(event) - {
        "eventType",
        "eventTime",
        "run",
        "job",
        "producer",
        "schemaURL",
        "inputs",
        "outputs",
    }
    if unknown:
        raise Invalid(f"unknown event keys {unknown}")
    from openlineage.client.event_v2 import RunState

    try:
        rebuilt = RunEvent(
            eventType=RunState(event["eventType"]),
            eventTime=event["eventTime"],
            run=Run(runId=event["run"]["runId"], facets=_facets("run", event["run"].get("facets"))),
            job=Job(
                namespace=event["job"]["namespace"],
                name=event["job"]["name"],
                facets=_facets("job", event["job"].get("facets")),
            ),
            producer=event["producer"],
            inputs=[_dataset(InputDataset, d, "input") for d in event.get("inputs", [])],
            outputs=[_dataset(OutputDataset, d, "output") for d in event.get("outputs", [])],
        )
    except (KeyError, TypeError, ValueError) as e:
        raise Invalid(f"event does not match the model: {e}") from None
    if event["schemaURL"] != rebuilt.schemaURL:
        raise Invalid(f"schemaURL {event['schemaURL']!r} is not the spec's {rebuilt.schemaURL!r}")
    if Serde.to_dict(rebuilt) != event:
        raise Invalid("event does not serialize back to itself")
    return rebuilt
