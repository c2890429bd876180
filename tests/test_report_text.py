"""What an analyst reads: ``analyze`` and ``compare`` text names actors and relations, never ids."""

from __future__ import annotations

import json
import re

import pytest
from conftest import RunCli

from explorer import bundled_map
from explorer.graph import build_graph
from explorer.load import load_dataset
from explorer.render.report import CAMP_NAMES_MAX, quoted


def ids_outside_quotes(text: str) -> list[str]:
    """Every actor or relation id of the bundled map found as a whole word outside quotes."""
    dataset = load_dataset(bundled_map())
    G = build_graph(dataset)
    for _u, _v, d in G.edges(data=True):
        for ev in d["evidence"]:
            if ev.get("quote"):
                text = text.replace(quoted(ev["quote"]), "")
    ids = [a.id for a in dataset.actors] + list(dataset.relation_ids)
    return sorted(
        {i for i in ids if re.search(rf"(?<![A-Za-z0-9_]){re.escape(i)}(?![A-Za-z0-9_])", text)}
    )


@pytest.mark.parametrize(
    "args",
    [
        ("analyze",),
        ("analyze", "--include-projected", "--clusters", "3"),
        ("analyze", "--path", "united_states", "china"),
        ("compare", "--projected"),
        ("compare", "--against", "2021-06"),
        ("compare", "--against", "all", "--include-projected"),
    ],
)
def test_no_id_in_the_text_of_analyze_and_compare(cli_runner: RunCli, args: tuple) -> None:
    code, out, err = cli_runner(args[0], str(bundled_map()), *args[1:])
    assert code == 0, err
    assert "in short:" in out
    assert ids_outside_quotes(out) == []


def test_the_scan_finds_an_id_when_there_is_one() -> None:
    assert ids_outside_quotes("the pair united_states -- china") == ["china", "united_states"]
    assert ids_outside_quotes("United States and China") == []


def test_summary_names_the_camps_the_strain_and_the_tie(cli_runner: RunCli) -> None:
    code, out, _ = cli_runner("analyze", str(bundled_map()), "--include-projected")
    summary = out.split("in short:", 1)[1].split("\n\n", 1)[0]
    assert "Two camps" in summary and " against " in summary
    assert "strain this split" in summary or "Nothing strains this split" in summary
    assert "could sit in either camp" in summary or "the only best split" in summary
    assert "exact (proved optimal)" in summary


def test_the_camp_sentence_leads_with_the_most_central_and_counts_the_rest(
    cli_runner: RunCli,
) -> None:
    code, out, _ = cli_runner("analyze", str(bundled_map()), "--include-projected", "--json")
    report = json.loads(out)
    first = report["summary"][0]
    camp_one, camp_two = report["balance"]["camps"][0]
    rank = report["centrality"]["pagerank"]
    names = report["names"]
    for camp, text in zip((camp_one, camp_two), first.split(" against "), strict=True):
        top = max(camp, key=lambda a: rank[a])
        assert names[top] in text
        hidden = len(camp) - CAMP_NAMES_MAX
        if hidden > 0:
            assert f"and {hidden} other" in text
            # the least central actor of a long camp is counted, not named
            assert names[min(camp, key=lambda a: rank[a])] not in text
