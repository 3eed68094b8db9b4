"""The web pages in a real browser: Playwright driving Debian's Chromium.

Chromium comes from Debian's package (installed here if missing, as root);
Playwright never downloads a browser of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from conftest import NONCONFORMING, golden
from test_server_live import server  # noqa: F401 (the live server fixture)

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROKEN = next(p for p in NONCONFORMING if any(f["rule"] == "KF-10" for f in golden(p)))


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        found = shutil.which("chromium")
    if not found:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    return found


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    executable = chromium_path()
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield context.new_page()
        context.close()


def test_reviewer_uploads_a_setup_and_reads_the_findings(page, server: str) -> None:  # noqa: F811
    page.goto(f"{server}/ui/validate")
    page.set_input_files("#file", str(BROKEN))
    page.click("#submit")
    page.wait_for_selector("#verdict")
    assert "does not conform" in page.inner_text("#verdict")
    expected_rules = {f["rule"] for f in golden(BROKEN)}
    shown_rules = set(page.eval_on_selector_all("section.rule", "s => s.map(e => e.dataset.rule)"))
    assert shown_rules == expected_rules
    section = page.locator("section[data-rule='KF-10']")
    assert "CCG" in section.locator(".organisation").first.inner_text()
    assert "engage" in section.locator(".message").first.inner_text()
    assert "Clinical commissioning groups, as part of their authorisation" in section.inner_text()
    assert "What to do" in section.inner_text()
    summary = page.inner_text("#summary")
    assert "Violation" in summary and "Warning" in summary


def test_analyst_runs_a_library_query_and_gets_a_table(page, server: str) -> None:  # noqa: F811
    page.goto(f"{server}/ui/query")
    page.fill(
        "#query-text",
        "SELECT ?network WHERE { ?network a "
        "<https://w3id.org/cancergraph/ontology#CancerNetwork> }",
    )
    page.click("#run")
    page.wait_for_selector("#results")
    rows = page.locator("#results tr").count()
    assert rows > 1
    assert page.locator("#csv").get_attribute("href").startswith("/sparql?")


def test_rules_page_lists_every_rule(page, server: str, rules_spec) -> None:  # noqa: F811
    page.goto(f"{server}/ui/rules")
    ids = page.eval_on_selector_all("tr[id]", "rows => rows.map(r => r.id)")
    assert ids == [rule["id"] for rule in rules_spec]
