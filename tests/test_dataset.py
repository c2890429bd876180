"""Pins the essentials of the bundled map, data/us-taliban-2021.yaml (codebook: docs/dataset.md).

An edit that breaks the map's meaning (the US-Taliban talks and projected alignment, the
militants' hostility to the states they target, predictions kept apart from facts) fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from explorer.load import check_file, load_dataset

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "data" / "us-taliban-2021.yaml"
EXAMPLE = ROOT / "data" / "examples" / "small-example.yaml"
SOURCE_ID = "us_taliban_alliance_2021"
# The article is not part of the repository; it lives in the shared sources folder beside it.
ARTICLE = Path(__file__).parents[2] / "shared/sources/us_taliban_alliance_2021.txt"
MAX_QUOTE_WORDS = 25


def load(path: Path) -> dict[str, Any]:
    """The file as plain data, through the real loader (strict: no warnings allowed)."""
    dataset = load_dataset(path, strict=True)
    data = dataset.model_dump(mode="json", exclude_none=True)
    data["_types"] = dataset.vocab.relation_types
    return data


def sign(data: dict[str, Any], rel: dict[str, Any]) -> str:
    """The relation's sign: its own, or its type's default."""
    return rel.get("sign") or data["_types"][rel["type"]].sign


def between(data: dict[str, Any], a: str, b: str) -> list[dict[str, Any]]:
    """Every relation joining actors ``a`` and ``b``, in either direction."""
    return [r for r in data["relations"] if {r["source"], r["target"]} == {a, b}]


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


def test_every_quote_occurs_verbatim_in_the_article() -> None:
    if not ARTICLE.is_file():
        pytest.skip(f"the source article is not at {ARTICLE} (it is kept outside the repository)")
    report = check_file(MAP, sources=ARTICLE.parent)
    assert [str(p) for p in report.errors + report.warnings] == []


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


# --- the audit's corrections (issue 12) ----------------------------------------------------------


def test_the_concession_and_the_counterfactual_are_named_scenarios(data: dict[str, Any]) -> None:
    scenarios = {s["id"]: s for s in data["scenarios"]}
    assert scenarios["taliban_alienated_from_america"]["replaces_main"] is True
    assert not scenarios["recognition_by_china_or_russia"].get("replaces_main")
    recognition = [
        r for r in data["relations"] if r.get("scenario") == "recognition_by_china_or_russia"
    ]
    assert {(r["source"], r["target"]) for r in recognition} == {
        ("china", "taliban"),
        ("russia", "taliban"),
    }
    alienated = [
        r for r in data["relations"] if r.get("scenario") == "taliban_alienated_from_america"
    ]
    assert [(r["source"], r["target"], r["type"]) for r in alienated] == [
        ("taliban", "china", "seeks_support_from")
    ]


def test_no_relation_rests_on_a_quote_about_someone_else(data: dict[str, Any]) -> None:
    # The establishment's euphoria is over India's loss; it says nothing of the Taliban.
    assert not between(data, "pakistani_establishment", "taliban")
    cia = [r for r in data["relations"] if r["source"] == "cia" and r["type"] == "part_of"]
    assert "the CIA chief William Burns" in cia[0]["evidence"][0]["quote"]


def test_present_tense_seeking_is_observed_and_positive(data: dict[str, Any]) -> None:
    for target in ("united_states", "us_and_allies"):
        seeks = [
            r
            for r in between(data, "moderate_taliban", target)
            if r["type"] == "seeks_support_from"
        ]
        assert seeks and seeks[0].get("status", "observed") == "observed", target
        assert sign(data, seeks[0]) == "positive"
    legitimacy = [
        r
        for r in between(data, "taliban", "international_community")
        if r["type"] == "seeks_support_from"
    ]
    assert legitimacy[0].get("status", "observed") == "observed"
    assert "badly needs" in legitimacy[0]["evidence"][0]["quote"]


def test_forecasts_the_audit_found_missing_are_there(data: dict[str, Any]) -> None:
    lobbying = [r for r in between(data, "us_companies", "taliban") if sign(data, r) == "positive"]
    assert lobbying and lobbying[0]["status"] == "projected"
    etim = [r for r in between(data, "taliban", "etim") if sign(data, r) == "positive"]
    assert etim and (etim[0]["status"], etim[0]["confidence"]) == ("projected", "low")
    minerals = between(data, "us_companies", "mineral_wealth")
    assert [r["status"] for r in minerals] == ["projected"]


def test_the_insurgency_and_us_control_start_when_the_regime_fell(data: dict[str, Any]) -> None:
    control = [r for r in between(data, "united_states", "afghanistan") if r["type"] == "controls"]
    insurgency = [r for r in between(data, "taliban", "us_companies") if r["type"] == "threatens"]
    assert [str(r["since"]) for r in control + insurgency] == ["2001-12", "2001-12"]


def test_a_date_before_the_article_shows_none_of_its_forecasts() -> None:
    from explorer.graph import FilterSpec, build_graph, filter_graph, view_note

    G = build_graph(load_dataset(MAP))
    H = filter_graph(G, FilterSpec(as_of="2001-10"))
    assert [k for *_, k, d in H.edges(keys=True, data=True) if d["status"] == "projected"] == []
    assert not H.has_edge("united_states", "taliban", "us_taliban_partnership")
    assert {k for *_, k in H.edges(keys=True)} >= {"united_states__attacks__taliban"}
    assert view_note(H).startswith("as of 2001-10: ")
    default = filter_graph(G)
    assert default.has_edge("united_states", "taliban", "us_taliban_partnership")
    assert view_note(default) == (
        "as of 2021-09, the latest date in the file: 13 ended relations hidden; "
        "3 relations of 2 named scenarios hidden"
    )
