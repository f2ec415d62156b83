"""`python -m contractbook catalog`: files and page written, exit codes, project-root paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractbook.cli import main
from contractbook.paths import at_root, project_root
from support import http_standin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    for var in ("OPENMETADATA_HOST", "OPENMETADATA_JWT_TOKEN", "OPENMETADATA_API_KEY"):
        monkeypatch.delenv(var, raising=False)


def test_paths_resolve_from_the_notebooks_folder(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    assert project_root() == ROOT
    assert at_root("data/catalog") == ROOT / "data" / "catalog"
    with pytest.raises(FileNotFoundError, match="no project root"):
        project_root("/")


def test_dry_run_writes_payloads_workflows_and_page(contract_path, tmp_path, capsys):
    argv = [
        "catalog",
        str(contract_path),
        "--out",
        str(tmp_path / "catalog"),
        "--page",
        str(tmp_path / "catalog.html"),
        "--warehouse",
        str(tmp_path / "none.duckdb"),
    ]
    assert main(argv) == 0
    assert "dry run" in capsys.readouterr().out
    assert (tmp_path / "catalog" / "workflows" / "postgres.yaml").is_file()
    page = (tmp_path / "catalog.html").read_text()
    assert "no run yet" in page and "Owners: none declared" in page


def test_unknown_destination_is_exit_2(contract_path, tmp_path, capsys):
    argv = [
        "catalog",
        str(contract_path),
        "--destination",
        "oracle",
        "--out",
        str(tmp_path),
        "--page",
        str(tmp_path / "p.html"),
    ]
    assert main(argv) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_refused_token_is_exit_3_in_one_line(contract_path, tmp_path, capsys, monkeypatch):
    from metadata.__version__ import get_client_version

    server = http_standin.openmetadata(get_client_version())
    server.refuse = True
    try:
        monkeypatch.setenv("OPENMETADATA_HOST", server.url)
        monkeypatch.setenv("OPENMETADATA_JWT_TOKEN", "eyJrefused")
        argv = [
            "catalog",
            str(contract_path),
            "--out",
            str(tmp_path),
            "--page",
            str(tmp_path / "p.html"),
        ]
        assert main(argv) == 3
        err = capsys.readouterr().err.strip()
        assert err.startswith("catalog: OpenMetadata at") and "\n" not in err
        assert "eyJrefused" not in err
    finally:
        server.stop()
