"""Local HTTP stand-ins for an OpenMetadata server and an OpenLineage endpoint, recording requests.

Not the real servers (none can run here): just enough of their HTTP surface for the clients.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# collection path -> (entity type, how its FQN is made from the create request)
_PARENT = {
    "services/databaseServices": ("databaseService", None),
    "databases": ("database", "service"),
    "databaseSchemas": ("databaseSchema", "database"),
    "tables": ("table", "databaseSchema"),
    "classifications": ("classification", None),
    "tags": ("tag", "classification"),
    "dataQuality/testCases": ("testCase", None),
}


@dataclass
class Recorded:
    """One request the stand-in received."""

    method: str
    path: str
    headers: dict
    body: object


@dataclass
class StandIn:
    """A running stand-in: its base URL, what it received, and failure injection."""

    url: str
    requests: list[Recorded] = field(default_factory=list)
    fail_after: int | None = None  # answer 500 to every PUT after this many
    refuse: bool = False  # answer 401 to everything
    server: object = None

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()

    def bodies(self, method: str, prefix: str) -> list:
        """Bodies of the requests with this method whose path starts with prefix."""
        return [r.body for r in self.requests if r.method == method and r.path.startswith(prefix)]


def _ref(kind: str, fqn: str) -> dict:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}:{fqn}")),
        "type": kind,
        "name": fqn.split(".")[-1],
        "fullyQualifiedName": fqn,
    }


def _entity(collection: str, body: dict) -> dict:
    """A plausible entity for a create request: ids stable per FQN (so reruns update in place)."""
    kind, parent = _PARENT[collection]
    out = dict(body)
    if kind == "testCase":
        table = body["entityLink"].split("::")[2].rstrip(">")
        fqn = f"{table}.{body['name']}"
        out["testDefinition"] = _ref("testDefinition", body["testDefinition"])
        out["testSuite"] = _ref("testSuite", f"{table}.testSuite")
    else:
        fqn = f"{body[parent]}.{body['name']}" if parent else body["name"]
    for key, ref_kind in (
        ("service", "databaseService"),
        ("database", "database"),
        ("databaseSchema", "databaseSchema"),
        ("classification", "classification"),
    ):
        if isinstance(body.get(key), str):
            out[key] = _ref(ref_kind, body[key])
    if kind == "databaseSchema":
        out["service"] = _ref("databaseService", body["database"].split(".")[0])
    out.update({"id": _ref(kind, fqn)["id"], "fullyQualifiedName": fqn, "version": 0.1})
    if kind in ("classification", "tag"):
        out.setdefault("description", "")
    return out


def openmetadata(version: str) -> StandIn:
    """Start an OpenMetadata stand-in on 127.0.0.1 (random port) answering `version`."""
    state = StandIn("")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, code: int, payload) -> None:
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            state.requests.append(Recorded(method, self.path, dict(self.headers), body))
            path = self.path.split("?")[0].removeprefix("/api/v1/")
            if state.refuse:
                return self._answer(401, {"code": 401, "message": "Not authorized: token refused"})
            if method == "GET" and path == "system/version":
                return self._answer(200, {"version": version, "revision": "stand-in"})
            if method == "PUT" and state.fail_after is not None:
                puts = sum(r.method == "PUT" for r in state.requests)
                if puts > state.fail_after:
                    return self._answer(500, {"code": 500, "message": "stand-in failure"})
            if method == "PUT" and path in _PARENT:
                return self._answer(200, _entity(path, body))
            if method == "PUT" and path == "lineage":
                return self._answer(200, {})
            if method == "POST" and path.startswith("dataQuality/testCases/testCaseResults/"):
                return self._answer(200, body)
            return self._answer(404, {"code": 404, "message": f"stand-in: no {method} {path}"})

        def do_GET(self):  # noqa: N802
            self._handle("GET")

        def do_PUT(self):  # noqa: N802
            self._handle("PUT")

        def do_POST(self):  # noqa: N802
            self._handle("POST")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.server = server
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api"
    return state


def openlineage() -> StandIn:
    """Start an OpenLineage stand-in: POST /api/v1/lineage records the event, answers 201."""
    state = StandIn("")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.headers.get("Content-Encoding") == "gzip":
                import gzip

                raw = gzip.decompress(raw)
            state.requests.append(Recorded("POST", self.path, dict(self.headers), json.loads(raw)))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.server = server
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    return state
