"""Register the payloads on an OpenMetadata server (SDK client): create-or-update, then lineage.

Every request is an idempotent PUT (create or update), so a push that failed half-way is simply run
again. The server and its JWT token come from the environment only; without them it is a dry run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .payloads import Payloads

HOST_ENV = "OPENMETADATA_HOST"
TOKEN_ENVS = ("OPENMETADATA_JWT_TOKEN", "OPENMETADATA_API_KEY")  # what the SDK itself reads


class PushError(Exception):
    """An anticipated push failure: one readable line and an exit code (3 = environment)."""

    def __init__(self, message: str, code: int = 3):
        super().__init__(message)
        self.code = code


@dataclass
class PushReport:
    """What a push did, or why it was a dry run."""

    dry_run: bool
    host: str | None = None
    reason: str = ""
    registered: dict[str, int] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict, repr=False)  # table FQN -> server id

    @property
    def verdict(self) -> str:
        """One line for reports and logs (never the token)."""
        if self.dry_run:
            return f"dry run: nothing sent ({self.reason})"
        done = ", ".join(f"{k} {v}" for k, v in self.registered.items())
        return f"registered on {self.host}: {done}"


def settings() -> tuple[str | None, str | None]:
    """(host, token) from the environment; either may be None."""
    token = next((os.environ[v] for v in TOKEN_ENVS if os.environ.get(v)), None)
    return os.environ.get(HOST_ENV) or None, token


def client(host: str, token: str):
    """An SDK client for host; PushError (exit 3) when unreachable or the token is refused."""
    from metadata.generated.schema.entity.services.connections.metadata.openMetadataConnection import (  # noqa: E501
        AuthProvider,
        OpenMetadataConnection,
    )
    from metadata.generated.schema.security.client.openMetadataJWTClientConfig import (
        OpenMetadataJWTClientConfig,
    )
    from metadata.ingestion.ometa.ometa_api import OpenMetadata

    conn = OpenMetadataConnection(
        hostPort=host,
        authProvider=AuthProvider.openmetadata,
        securityConfig=OpenMetadataJWTClientConfig(jwtToken=token),
    )
    try:
        return OpenMetadata(conn)
    except Exception as e:  # the SDK raises many kinds here; all mean the server cannot be used
        raise PushError(
            f"OpenMetadata at {host} cannot be used: {str(e).splitlines()[0][:300]}"
        ) from None


def _put(om, request, what: str):
    try:
        return om.create_or_update(request)
    except Exception as e:
        name = getattr(getattr(request, "name", None), "root", "")
        raise PushError(
            f"registering {what} {name} failed: {str(e).splitlines()[0][:300]} "
            "(rerun the push: every step is create-or-update)"
        ) from None


def lineage_request(edge, ids: dict[str, str]):
    """The SDK's AddLineageRequest for an edge, with the ids the server gave both tables."""
    from metadata.generated.schema.api.lineage.addLineage import AddLineageRequest
    from metadata.generated.schema.type.entityLineage import (
        ColumnLineage,
        EntitiesEdge,
        LineageDetails,
        Source,
    )
    from metadata.generated.schema.type.entityReference import EntityReference

    details = LineageDetails(
        source=Source.Manual,
        description=edge.description or None,
        columnsLineage=[ColumnLineage(fromColumns=list(f), toColumn=t) for f, t in edge.columns]
        or None,
    )
    return AddLineageRequest(
        edge=EntitiesEdge(
            fromEntity=EntityReference(id=ids[edge.from_fqn], type="table"),
            toEntity=EntityReference(id=ids[edge.to_fqn], type="table"),
            lineageDetails=details,
        )
    )


def push(payloads: Payloads, host: str | None = None, token: str | None = None) -> PushReport:
    """Register everything when host and token are known (default: environment); else dry run."""
    env_host, env_token = settings()
    host, token = host or env_host, token or env_token
    if not (host and token):
        return PushReport(True, reason=f"{HOST_ENV} and {TOKEN_ENVS[0]} are not both set")
    om = client(host, token)
    report = PushReport(False, host)
    for kind in Payloads.PAYLOAD_KINDS:
        for request in getattr(payloads, kind):
            entity = _put(om, request, kind[:-1].replace("_", " "))
            if kind == "tables":
                report.ids[entity.fullyQualifiedName.root] = str(entity.id.root)
        report.registered[kind] = len(getattr(payloads, kind))
    for test_fqn, result in payloads.test_results.items():
        try:
            om.add_test_case_results(result, test_fqn)
        except Exception as e:
            raise PushError(
                f"test result for {test_fqn} failed: {str(e).splitlines()[0][:300]}"
            ) from None
    report.registered["test_results"] = len(payloads.test_results)
    for edge in payloads.lineage:
        answer = om.add_lineage(lineage_request(edge, report.ids), return_lineage=False)
        if isinstance(answer, dict) and answer.get("error"):
            raise PushError(
                f"lineage {edge.from_fqn} -> {edge.to_fqn} failed: "
                f"{answer['error'].splitlines()[0][:200]}"
            )
    report.registered["lineage"] = len(payloads.lineage)
    return report
