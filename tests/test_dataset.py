"""Pins the essentials of the bundled map, data/us-taliban-2021.yaml (codebook: docs/dataset.md).

Reads the files with plain PyYAML for now; the helpers at the top are the only place to change
when these tests move to ``explorer.load_dataset``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "data" / "us-taliban-2021.yaml"
EXAMPLE = ROOT / "data" / "examples" / "small-example.yaml"
SOURCE_ID = "us_taliban_alliance_2021"
# The article is not part of the repository; it lives in the shared sources folder beside it.
ARTICLE = Path(__file__).parents[2] / "shared/sources/us_taliban_alliance_2021.txt"
MAX_QUOTE_WORDS = 25


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def relation_types(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The built-in relation types with the file's own added."""
    types = load(ROOT / "explorer" / "vocabulary.yaml")["relation_types"]
    return {**types, **((data.get("vocabulary") or {}).get("relation_types") or {})}


def sign(data: dict[str, Any], rel: dict[str, Any]) -> str:
    """The relation's sign: its own, or its type's default."""
    return rel.get("sign") or relation_types(data)[rel["type"]]["sign"]


def between(data: dict[str, Any], a: str, b: str) -> list[dict[str, Any]]:
    """Every relation joining actors ``a`` and ``b``, in either direction."""
    return [r for r in data["relations"] if {r["source"], r["target"]} == {a, b}]


def normalise(text: str) -> str:
    """Fold typographic quotes and dashes and collapse white space, as the validator does."""
    table = str.maketrans(
        {
            "\u2018": "'",
            "\u2019": "'",
            "\u201c": '"',
            "\u201d": '"',
            "\u2013": "-",
            "\u2014": "-",
            "\u00a0": " ",
        }
    )
    return re.sub(r"\s+", " ", text.translate(table)).strip()


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return load(MAP)


# --- the shape of the map --------------------------------------------------------------------


@pytest.mark.parametrize("path", [MAP, EXAMPLE], ids=["bundled", "example"])
def test_actor_ids_are_unique_and_relations_join_known_actors(path: Path) -> None:
    data = load(path)
    ids = [a["id"] for a in data["actors"]]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for rel in data["relations"]:
        assert rel["source"] in known and rel["target"] in known, rel
        assert rel["source"] != rel["target"], rel


def test_the_map_has_the_intended_size(data: dict[str, Any]) -> None:
    assert 30 <= len(data["actors"]) <= 40
    assert 70 <= len(data["relations"]) <= 110


def test_every_actor_takes_part_in_a_relation(data: dict[str, Any]) -> None:
    linked = {end for r in data["relations"] for end in (r["source"], r["target"])}
    assert [a["id"] for a in data["actors"] if a["id"] not in linked] == []


def test_every_relation_has_short_evidence_from_the_article(data: dict[str, Any]) -> None:
    for rel in data["relations"]:
        assert rel.get("evidence"), rel
        for ev in rel["evidence"]:
            assert ev["source"] == SOURCE_ID
            assert len(ev["quote"].split()) <= MAX_QUOTE_WORDS, ev["quote"]


def test_every_quote_occurs_verbatim_in_the_article(data: dict[str, Any]) -> None:
    if not ARTICLE.is_file():
        pytest.skip(f"the source article is not at {ARTICLE} (it is kept outside the repository)")
    article = normalise(ARTICLE.read_text(encoding="utf-8"))
    missing = [
        ev["quote"]
        for rel in data["relations"]
        for ev in rel["evidence"]
        if normalise(ev["quote"]) not in article
    ]
    assert missing == []


# --- what the article says ---------------------------------------------------------------------


def test_us_and_taliban_negotiate_now_and_are_expected_to_align(data: dict[str, Any]) -> None:
    pair = between(data, "united_states", "taliban")
    observed_talks = [
        r
        for r in pair
        if r["type"] == "negotiates_with" and r.get("status", "observed") == "observed"
    ]
    assert observed_talks
    projected_alignment = [
        r
        for r in pair
        if r["type"] in {"ally_of", "cooperates_with"}
        and r.get("status") == "projected"
        and sign(data, r) == "positive"
    ]
    assert projected_alignment


def test_the_us_taliban_war_ended_with_the_takeover(data: dict[str, Any]) -> None:
    war = [r for r in between(data, "united_states", "taliban") if r["type"] == "attacks"]
    assert war
    assert all(str(r.get("until")) == "2021-08" for r in war)


@pytest.mark.parametrize(
    ("a", "b"), [("ttp", "pakistan"), ("etim", "china")], ids=["ttp-pakistan", "etim-china"]
)
def test_militants_are_against_the_state_they_target(data: dict[str, Any], a: str, b: str) -> None:
    pair = between(data, a, b)
    assert pair
    assert {sign(data, r) for r in pair} == {"negative"}


def test_jihadist_groups_threaten_the_united_states(data: dict[str, Any]) -> None:
    for group in ("islamic_state_khorasan", "al_qaeda"):
        assert any(sign(data, r) == "negative" for r in between(data, group, "united_states")), (
            group
        )


def test_predictions_are_kept_apart_from_reported_facts(data: dict[str, Any]) -> None:
    statuses = {r.get("status", "observed") for r in data["relations"]}
    assert statuses == {"observed", "projected"}
    # The article's forecasts for Pakistan are all predictions, none reported as fact.
    pakistan = [r for r in between(data, "taliban", "pakistan") if r["type"] == "threatens"]
    assert pakistan and all(r.get("status") == "projected" for r in pakistan)
