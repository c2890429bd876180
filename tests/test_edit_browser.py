"""Edit mode in a real browser: a sentence selected in the source pane becomes a relation."""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import start_dashboard, wait_for_app_idle

from explorer.load import check_file

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "edit"
SENTENCE = "Gamma, long a rival of both, denounced the treaty as a provocation."


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def choose(page: Any, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit select box labelled ``label``."""
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has=page.get_by_text(label, exact=True)
    )
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app_idle(page)


def select_text(page: Any, sentence: str) -> None:
    """Select ``sentence`` in the source pane as a reader would with the mouse."""
    page.evaluate(
        """(sentence) => {
          const pane = document.querySelector('[data-testid="source-text"]');
          const node = pane.firstChild;
          const start = node.textContent.indexOf(sentence);
          if (start < 0) throw new Error("sentence not in the pane");
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + sentence.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }""",
        sentence,
    )


def test_a_selected_sentence_becomes_a_saved_relation(page: Any, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "texts", tmp_path / "texts")
    path = tmp_path / "map.yaml"
    shutil.copy(FIXTURES / "indentless.yaml", path)
    original = path.read_text(encoding="utf-8")
    with start_dashboard(path, cwd=tmp_path, log_path=tmp_path / "server.log") as url:
        page.goto(url)
        wait_for_app_idle(page)
        page.get_by_role("tab", name="Edit").click()
        wait_for_app_idle(page)
        page.wait_for_selector('[data-testid="source-text"]', timeout=30_000)
        select_text(page, SENTENCE)
        page.click('[data-testid="use-as-evidence"]')
        page.wait_for_function(
            """(s) => [...document.querySelectorAll('textarea')].some((t) => t.value === s)""",
            arg=SENTENCE,
            timeout=30_000,
        )
        wait_for_app_idle(page)
        choose(page, "From", "Gamma")
        choose(page, "To", "Beta")
        choose(page, "Relation type", "denounces")
        page.get_by_text("Ready: added relation gamma").wait_for(timeout=30_000)
        if shot := os.environ.get("EDIT_SCREENSHOT"):  # docs/editing.md's picture
            page.get_by_role("tab", name="Edit").scroll_into_view_if_needed()
            page.screenshot(path=shot)
        page.get_by_role("button", name="Save relation").click()
        page.get_by_text("Saved: added relation gamma").wait_for(timeout=30_000)
    a, b = original.splitlines(True), path.read_text(encoding="utf-8").splitlines(True)
    ops = [
        o
        for o in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if o[0] != "equal"
    ]
    assert [o[0] for o in ops] == ["insert"]
    assert "".join(b[ops[0][3] : ops[0][4]]) in (
        "- source: gamma\n  target: beta\n  type: denounces\n  evidence:\n"
        f"  - source: report\n    quote: '{SENTENCE}'\n",
        "- source: gamma\n  target: beta\n  type: denounces\n  evidence:\n"
        f'  - source: report\n    quote: "{SENTENCE}"\n',
    )
    report = check_file(path, sources=tmp_path / "texts")
    assert not report.failed(strict=True), report.errors + report.warnings
