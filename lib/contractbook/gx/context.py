"""A GX file context inside the project: no analytics, no progress bars, Data Docs to a folder."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

DOCS_SITE = "contractbook"
DEFAULT_STATE = ".state"  # GX writes <state>/gx/ (git-ignored)
DEFAULT_DOCS = "reports/data_docs"


def quiet_environment() -> None:
    """Environment GX reads at import: analytics off (no network)."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"


def open_context(state_dir: str | Path = DEFAULT_STATE, docs_dir: str | Path = DEFAULT_DOCS):
    """The project's GX file context, with the DuckDB shim installed and Data Docs in docs_dir."""
    quiet_environment()
    # GX 1.24 warns on every table asset with a schema (it prefers a search path in the URL, which
    # would change DuckDB's connection config); the schema is what we mean, so this one is silenced.
    warnings.filterwarnings(
        "ignore", message="`schema_name` is deprecated", category=DeprecationWarning
    )
    from contractbook.fastimport import jsonschema

    jsonschema()  # before GX imports it: skips a 1-2 s optional format module
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from .shim import install

    install()
    Path(state_dir).mkdir(parents=True, exist_ok=True)
    ctx = gx.get_context(mode="file", project_root_dir=str(state_dir))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    ctx.enable_analytics(False)  # saved in the context too, not only read from the environment
    site = {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(Path(docs_dir).resolve()),
        },
    }
    # GX types get_config() as a union (a file context returns DataContextConfig) and the site
    # as a TypedDict the documented dict above satisfies
    if DOCS_SITE in (ctx.get_config().data_docs_sites or {}):  # type: ignore[union-attr]
        ctx.update_data_docs_site(DOCS_SITE, site)  # type: ignore[arg-type]
    else:
        ctx.add_data_docs_site(DOCS_SITE, site)  # type: ignore[arg-type]
    return ctx


def build_docs(ctx) -> Path:
    """Build the Data Docs site (offline: CDN styles missing, pages render unstyled) -> index."""
    urls = ctx.build_data_docs(site_names=[DOCS_SITE])
    return Path(urls[DOCS_SITE].removeprefix("file://"))
