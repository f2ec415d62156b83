"""A real headless Chromium (Debian's, driven by playwright) opens every report and the Data Docs.

Each page must load without a failed request, show no traceback text, name no absolute path of
the build machine and no secret. The build runs with a secret in its environment (a fake
PostgreSQL password) to prove it never reaches a page. A screenshot of each page goes to
reports/screenshots/ (CI uploads them with the reports).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support.project import ROOT, built_project, tasks

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("CONTRACTBOOK_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("CONTRACTBOOK_SCREENSHOTS", ROOT / "reports" / "screenshots"))
SECRET = "cb-secret-7f3a9e"  # in the build's environment: support.project.SECRET_ENV


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM} (.ci/run installs it with apt-get)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


def _pages(project: Path) -> list[str]:
    pages = ["index.html", *(f"{t['name']}.html" for t in tasks(project)), "data_docs/index.html"]
    return [p for p in pages if (project / "reports" / p).is_file()]


def test_every_page_loads_clean_in_chromium(browser, tmp_path_factory):
    built = built_project(tmp_path_factory)
    reports = built.path / "reports"
    pages = _pages(built.path)
    assert len(pages) == len(tasks(built.path)) + 2
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    machine = {str(built.path), str(built.home), str(ROOT)}
    problems = []
    for name in pages:
        page = browser.new_page()
        failed = []
        page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
        page.on("response", lambda r, failed=failed: r.status >= 400 and failed.append(r.url))
        page.goto((reports / name).as_uri(), wait_until="load")
        text = page.inner_text("body")
        html = page.content()
        page.screenshot(
            path=str(SHOTS / f"{name.replace('/', '_').removesuffix('.html')}.png"), full_page=True
        )
        if failed:
            problems.append(f"{name}: failed requests {failed}")
        if "Traceback" in text:
            problems.append(f"{name}: traceback text")
        problems += [f"{name}: build-machine path {m}" for m in machine if m in html]
        if SECRET in html:
            problems.append(f"{name}: the secret marker")
        if not text.strip():
            problems.append(f"{name}: empty page")
        page.close()
    assert problems == []
    assert sorted(p.name for p in SHOTS.glob("*.png")) == sorted(
        f"{n.replace('/', '_').removesuffix('.html')}.png" for n in pages
    )


def test_code_is_folded_and_the_toggle_shows_it(browser, tmp_path_factory):
    built = built_project(tmp_path_factory)
    page = browser.new_page()
    page.goto((built.path / "reports" / "ingest.html").as_uri())
    code = page.locator("details.cb-code").first
    assert not code.evaluate("d => d.open")
    page.get_by_role("button", name="show / hide code").click()
    assert code.evaluate("d => d.open")
    page.get_by_role("link", name="all reports").first.click()
    assert page.url.endswith("/reports/index.html")
    page.close()
