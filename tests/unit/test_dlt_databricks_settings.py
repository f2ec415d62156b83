"""dlt's `databricks` destination resolves its settings from the environment, offline.

Nothing connects: the job client is built (configuration resolved) but never opened, and
DATABRICKS_HOST stays unset so no SDK default applies.
"""

from __future__ import annotations

import os

import pytest

ENV = {
    "DESTINATION__DATABRICKS__CREDENTIALS__SERVER_HOSTNAME": "adb-123.4.azuredatabricks.net",
    "DESTINATION__DATABRICKS__CREDENTIALS__HTTP_PATH": "/sql/1.0/warehouses/abc123",
    "DESTINATION__DATABRICKS__CREDENTIALS__ACCESS_TOKEN": "dapi-offline-test-token",
    "DESTINATION__DATABRICKS__CREDENTIALS__CATALOG": "dev",
    # an unreachable host would retry for minutes; one attempt is enough should anything connect
    "DESTINATION__DATABRICKS__CREDENTIALS__CONNECTION_PARAMETERS": '{"_retry_stop_after_attempts_count": 1}',  # noqa: E501 (one key: value)
}


def _client(monkeypatch, tmp_path, env: dict):
    import dlt

    from contractbook.ingest.destinations import get

    for k in [k for k in os.environ if k.startswith("DESTINATION__DATABRICKS")]:
        monkeypatch.delenv(k)
    monkeypatch.delenv("DATABRICKS_HOST", raising=False)
    monkeypatch.delenv("DATABRICKS_TOKEN", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    pipe = dlt.pipeline(
        pipeline_name="contractbook_settings_databricks",
        destination=get("databricks").build(),
        dataset_name="olist",
        pipelines_dir=str(tmp_path / "dlt"),
    )
    return pipe.destination_client()


def test_settings_resolve_from_the_environment(monkeypatch, tmp_path):
    cfg = _client(monkeypatch, tmp_path, ENV).config
    creds = cfg.credentials
    assert (creds.server_hostname, creds.http_path, creds.catalog) == (
        "adb-123.4.azuredatabricks.net",
        "/sql/1.0/warehouses/abc123",
        "dev",
    )
    assert creds.access_token == ENV["DESTINATION__DATABRICKS__CREDENTIALS__ACCESS_TOKEN"]
    assert cfg.dataset_name == "olist"
    assert "dapi-offline-test-token" not in str(creds)  # the displayed form hides the token


def test_a_missing_setting_is_an_error_naming_it(monkeypatch, tmp_path):
    from dlt.common.configuration.exceptions import ConfigurationValueError

    env = {k: v for k, v in ENV.items() if not k.endswith("SERVER_HOSTNAME")}
    with pytest.raises(ConfigurationValueError, match="server_hostname"):
        _client(monkeypatch, tmp_path, env)
