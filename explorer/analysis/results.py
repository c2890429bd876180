"""The typed results of ``analyze`` and ``compare``: what ``--json`` dumps and the shells read.

Every result is a frozen pydantic model; ``to_json()`` is the document ``--json`` prints,
and the JSON Schemas in ``docs/`` are generated from these types (``json_schemas()``), so
the contract and the code cannot drift apart. Results hold ids; the renderers in
``explorer.render.report`` turn them into words with the names in ``names`` and the
relations in ``evidence``.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ANALYSIS_FORMAT",
    "COMPARISON_FORMAT",
    "Analysis",
    "Balance",
    "BlocMove",
    "CentralityMove",
    "Clustering",
    "Comparison",
    "HoldsInAll",
    "PairBasis",
    "PathResult",
    "Paths",
    "Pressure",
    "RelationChange",
    "RelationInfo",
    "Result",
    "RobustRow",
    "SwingBasis",
    "Tension",
    "TensionActor",
    "Triangles",
    "ViewInfo",
    "Weighted",
    "json_schemas",
    "write_schemas",
]

#: Format tags of the JSON documents, bumped when a field changes meaning.
ANALYSIS_FORMAT: Final = "stakeholder-explorer-analysis/1"
COMPARISON_FORMAT: Final = "stakeholder-explorer-comparison/1"

ActorId = Annotated[str, Field(description="An actor id of the file.")]
Pair = Annotated[
    list[str],
    Field(min_length=2, max_length=2, description="Two actor ids, in alphabetical order."),
]
Side = Annotated[list[str], Field(description="Actor ids on one side, sorted.")]
SignSymbol = Literal["+", "-"]


class Result(BaseModel):
    """A frozen result; ``to_json()`` gives the plain document ``--json`` prints."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def to_json(self) -> dict[str, Any]:
        """The result as plain JSON data (optional sections that were not asked for left out)."""
        return self.model_dump(mode="json", by_alias=True, exclude=self._absent())

    def _absent(self) -> set[str]:
        return set()


class ViewInfo(Result):
    """Which relations a result covers."""

    filters: dict[str, str] = Field(
        description="The filters that differ from the defaults, as URL query parameters."
    )
    include_projected: bool
    statuses: list[Literal["observed", "projected"]] = Field(min_length=1)
    scenario: str | None = Field(
        None, description="The scenario shown; null for the main forecast."
    )
    words: str = Field(description="The view in plain words.")
    actors: int = Field(ge=0)
    relations: int = Field(ge=0)
    of_actors: int = Field(ge=0)
    of_relations: int = Field(ge=0)


class RelationInfo(Result):
    """One relation as text names it: its ends, type, sign, status, confidence, first quote."""

    source: ActorId
    target: ActorId
    type: str
    label: str = Field(description="The type's label, as people read it.")
    sign: int = Field(description="+1 friendly, -1 hostile, 0 neither.")
    directed: bool
    strength: int
    status: Literal["observed", "projected"]
    confidence: Literal["low", "medium", "high"]
    weight: int = Field(description="strength x confidence x status, see balance.weighted.rule.")
    quote: str | None = Field(description="The first quote of its evidence, if any.")


class Triangles(Result):
    """Triangles of the signed graph by sign pattern (+++ and +-- are balanced)."""

    total: int
    balanced: int
    unbalanced: int
    ratio: float | None
    by_pattern: dict[str, int]


class PairBasis(Result):
    """A signed pair and the relations its net sign rests on."""

    pair: Pair
    relations: list[str] = Field(description="Relation ids, sorted.")
    sign: int = Field(description="The pair's net sign, +1 or -1.")
    weight: float = Field(description="The pair's weight under the pair rule.")
    contested: bool = Field(description="Its relations disagree in sign.")


class SwingBasis(Result):
    """A swing actor and the relations that pull it each way."""

    actor: ActorId
    relations: list[str] = Field(
        description="Relations of the actor's pairs frustrated in the reported split or in "
        "the alternative that puts the actor in the other camp."
    )


class Weighted(Result):
    """The least total weight of frustrated pairs, with its split."""

    frustration_index: float = Field(description="Total weight of the frustrated pairs.")
    exact: bool
    method: str
    timed_out: bool = Field(
        description="The exact solve was tried and ran out of time: more time (--time-limit) "
        "may prove the figure."
    )
    rule: str = Field(description="How a pair's weight is formed, in words.")
    partition: list[Side]
    frustrated: list[Pair]
    swing: list[ActorId] | None = Field(description="null when not computed.")
    swing_exact: bool


class RobustRow(Result):
    """The balance split of one variant of the view."""

    view: str = Field(description="The variant in plain words.")
    statuses: list[Literal["observed", "projected"]]
    min_confidence: Literal["low", "medium", "high"]
    signed_pairs: int
    frustration_index: int
    exact: bool
    partition: list[Side]
    frustrated: list[Pair]


class HoldsInAll(Result):
    """What every row of the robustness table agrees on."""

    frustration_index: bool = Field(description="The index is the same in every row.")
    camps: bool = Field(description="No actor present in every row changes camp between rows.")
    moved: list[ActorId] = Field(description="Actors in every row whose camp changes between rows.")
    frustrated: list[Pair] = Field(description="Pairs frustrated in every row.")


class Balance(Result):
    """Structural balance of a view: the two camps, what strains them, how certain they are."""

    frustration_index: int
    exact: bool
    method: str = Field(description="How the figure was found: 'integer program' (exact), "
                        "'trivial', or a heuristic.")  # fmt: skip
    notes: list[str]
    timed_out: bool = Field(
        description="The exact solve was tried and ran out of time: more time (--time-limit) "
        "may prove the figure."
    )
    signed_pairs: int
    partition: list[Side] = Field(description="The two sides, the larger first.")
    camps: list[list[Side]] = Field(
        description="Per signed component, largest first: [camp 0, camp 1], camp 0 holding "
        "the component's most central actor."
    )
    frustrated: list[Pair]
    triangles: Triangles
    weighted: Weighted
    swing: list[ActorId] | None = Field(
        description="Actors some equally good split puts in the other camp; [] when the "
        "split is unique, null when not computed."
    )
    swing_exact: bool
    rests_on: list[PairBasis] = Field(description="In the order of 'frustrated'.")
    swing_rests_on: list[SwingBasis]
    robustness: list[RobustRow] = Field(description="[] when not computed.")
    holds_in_all: HoldsInAll | None


class Clustering(Result):
    """The best split found into at most k blocs."""

    k: int
    inconsistencies: int
    exact: bool
    method: str
    timed_out: bool = Field(
        description="The exact solve was tried and ran out of time: more time (--time-limit) "
        "may prove the figure."
    )
    partition: list[Side]
    inconsistent: list[Pair]


class TensionActor(Result):
    """The unbalanced triangles one actor sits in."""

    unbalanced: int
    triangles: int
    relief: Pair | None
    eases: int
    with_: list[Pair] = Field(alias="with")


class Pressure(Result):
    """What changing one pair's sign does to the unbalanced triangles."""

    pair: Pair
    sign: SignSymbol
    resolves: int
    creates: int
    net: int
    relations: list[str]


class Tension(Result):
    """Unbalanced triangles per actor and the pairs under most pressure to realign."""

    actors: dict[str, TensionActor]
    pressure_to_realign: list[Pressure]


class PathResult(Result):
    """One path and its net sign (the product of its steps' signs)."""

    actors: list[ActorId]
    signs: list[SignSymbol]
    net: SignSymbol


class Paths(Result):
    """Paths between two actors."""

    from_: ActorId = Field(alias="from")
    to: ActorId
    cutoff: int
    shortest: list[PathResult]
    all: list[PathResult]
    stopped: Literal["limit", "time"] | None = Field(
        default=None,
        description="null when every path up to the cutoff is listed; 'limit' when the listing "
        "reached its most paths; 'time' when the time limit stopped it.",
    )


class Analysis(Result):
    """One analysis of one view: ``analyze --json``.

    Actor ids are the ids of the file. Figures with exact=false come from a heuristic and
    are upper bounds, not proved optima.
    """

    model_config = ConfigDict(title="stakeholder-explorer analyze --json")

    format: Literal["stakeholder-explorer-analysis/1"] = ANALYSIS_FORMAT
    title: str
    summary: list[str] = Field(description="A few sentences saying what the analysis finds.")
    view: ViewInfo
    measures: dict[str, str] = Field(description="Help text of each centrality measure.")
    centrality: dict[str, dict[str, float]] = Field(
        description="{measure: {actor_id: value}} for every actor of the view."
    )
    centrality_approximate: dict[str, bool]
    centrality_ties: Literal["all", "positive", "negative"]
    blocs: list[list[ActorId]] = Field(
        description="Louvain communities on positive ties, largest first."
    )
    balance: Balance
    tension: Tension
    clustering: Clustering | None = None
    paths: Paths | None = None
    names: dict[str, str] = Field(description="Each actor id of the view and its name.")
    evidence: dict[str, RelationInfo] = Field(
        description="Each relation named by the balance section, by id."
    )

    def _absent(self) -> set[str]:
        return {k for k in ("clustering", "paths") if getattr(self, k) is None}


class RelationChange(Result):
    """A relation added, removed or changed, and how much it weighs on the after view."""

    id: str
    change: Literal["added", "removed", "changed"]
    relation: RelationInfo = Field(description="As in the after view (before, if removed).")
    fields: dict[str, list[Any]] = Field(description="Changed fields: [before, after].")
    index_effect: int = Field(
        description="How much the after view's frustration index moves when this one "
        "relation is left out of it (removed relations: put back into it), absolute."
    )
    weight_effect: float = Field(description="The same for the weighted index.")


class CentralityMove(Result):
    """An actor whose rank moved; ranks of tied values are ranges, never reported as moves."""

    actor: ActorId
    before: int | None
    after: int | None
    change: int | None


class BlocMove(Result):
    """An actor whose Louvain bloc-mates changed."""

    actor: ActorId
    joined: list[ActorId]
    left: list[ActorId]


class Comparison(Result):
    """Two views side by side: ``compare --json``."""

    model_config = ConfigDict(title="stakeholder-explorer compare --json")

    format: Literal["stakeholder-explorer-comparison/1"] = COMPARISON_FORMAT
    labels: list[str] = Field(min_length=2, max_length=2)
    summary: list[str]
    views: dict[str, ViewInfo]
    changes: list[RelationChange] = Field(
        description="Added, removed and changed relations, the most consequential first."
    )
    relations: dict[str, Any] = Field(
        description="{added: [ids], removed: [ids], changed: [{id, source, target, fields}]}"
    )
    centrality_ranks: dict[str, list[CentralityMove]]
    balance: dict[str, Balance]
    blocs: dict[str, Any] = Field(description="{label: blocs, ..., moves: [BlocMove]}")
    tension: dict[str, Tension]
    clustering: dict[str, Clustering] | None = None
    names: dict[str, str]
    evidence: dict[str, RelationInfo]

    def _absent(self) -> set[str]:
        return {"clustering"} if self.clustering is None else set()


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas of ``analyze --json`` and ``compare --json``, by file name."""
    out = {}
    for name, model in (("analysis", Analysis), ("compare", Comparison)):
        schema = model.model_json_schema(by_alias=True, mode="serialization")
        out[f"{name}.schema.json"] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": model.model_fields["format"].default,
            **schema,
        }
    return out


def write_schemas(folder: str) -> list[str]:
    """Write ``json_schemas()`` into ``folder``; return the paths written."""
    import json
    from pathlib import Path

    written = []
    for name, schema in json_schemas().items():
        path = Path(folder) / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(str(path))
    return written


if __name__ == "__main__":  # python -m explorer.analysis.results docs
    import sys

    print("\n".join(write_schemas(sys.argv[1] if len(sys.argv) > 1 else "docs")))
