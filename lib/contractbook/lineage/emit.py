"""Send run events: a JSON-lines file under data/lineage/, or HTTP when OPENLINEAGE_URL is set.

The API key (OPENLINEAGE_API_KEY) comes from the environment only and is sent as a bearer header;
it never appears in an event, a file or a log line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

URL_ENV, KEY_ENV = "OPENLINEAGE_URL", "OPENLINEAGE_API_KEY"


def _file(target: str):
    from openlineage.client.transport.file import FileConfig, FileTransport

    Path(target).parent.mkdir(parents=True, exist_ok=True)
    return FileTransport(FileConfig(log_file_path=target, append=True))


def _http(target: str):
    from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport

    key = os.environ.get(KEY_ENV)
    auth = ApiKeyTokenProvider({"apiKey": key}) if key else None
    config = HttpConfig(url=target, auth=auth) if auth else HttpConfig(url=target)
    return HttpTransport(config)


TRANSPORTS = {"file": _file, "http": _http}


@dataclass(frozen=True)
class Destination:
    """Where events go: a transport kind and its target (file path or base URL)."""

    kind: str
    target: str

    def __str__(self) -> str:
        return f"{self.kind} {self.target}"


def destination(lineage_dir: str | Path, build_id: str) -> Destination:
    """HTTP when OPENLINEAGE_URL is set, else data/lineage/<build id>.jsonl."""
    url = os.environ.get(URL_ENV)
    if url:
        return Destination("http", url)
    return Destination("file", str(Path(lineage_dir) / f"{build_id}.jsonl"))


class Emitter:
    """An openlineage-python client on the chosen transport."""

    def __init__(self, dest: Destination):
        from openlineage.client import OpenLineageClient

        try:
            transport = TRANSPORTS[dest.kind](dest.target)
        except KeyError:
            raise ValueError(
                f"unknown lineage transport {dest.kind!r}; known: {', '.join(TRANSPORTS)}"
            ) from None
        self.dest = dest
        self.client = OpenLineageClient(transport=transport)

    def emit(self, event) -> None:
        """Send one event."""
        self.client.emit(event)
