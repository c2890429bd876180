"""Seeded generators of benchmark data: valid stakeholder files and planted signed graphs.

``write_map(path, actors=N, per_actor=k, seed=s)`` writes a valid stakeholder file with N
actors and k x N relations: a realistic mix of actor kinds, relation types (so signs come
mostly from the types, with some overrides), strengths, statuses, confidences, partial dates
and one or two quotes of evidence per relation. Actors fall into loose communities and a few
are hubs, as in merged maps, so layouts and centrality see structure rather than noise.

The YAML is written as text (strings as JSON, which is valid YAML) because ``yaml.dump`` of
200,000 relations takes minutes; the loader benchmark checks every file it reads.

``planted_blocs(...)`` builds the signed graph of target 7: two planted blocs, friends inside,
enemies across, with a share of signs flipped.

    python -m benchmarks.generate 1000 --per-actor 3 -o benchmarks/generated/map-1000.yaml
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import networkx as nx

__all__ = ["GENERATED", "generated_map", "planted_blocs", "write_map"]

#: Folder of generated files (git-ignored): they are big and always reproducible.
GENERATED = Path(__file__).resolve().parent / "generated"

# Weights of actor kinds and relation types, roughly as in curated conflict maps.
_KINDS = {
    "state": 8,
    "government": 6,
    "agency": 6,
    "armed_group": 10,
    "faction": 8,
    "person": 22,
    "organization": 12,
    "group": 8,
    "company": 6,
    "media": 4,
    "bloc": 2,
    "resource": 4,
    "place": 4,
}
_TYPES = {
    "ally_of": 6,
    "cooperates_with": 12,
    "supports": 14,
    "provides_aid_to": 6,
    "seeks_support_from": 4,
    "negotiates_with": 6,
    "depends_on": 5,
    "influences": 6,
    "leverage_over": 3,
    "controls": 3,
    "member_of": 4,
    "part_of": 3,
    "leads": 2,
    "competes_with": 6,
    "rival_of": 5,
    "hostile_to": 10,
    "threatens": 5,
}
_WORDS = (
    "the council said talks would resume after the ceasefire while officials denied any "
    "deal and local leaders warned that aid convoys were blocked at the border crossing "
    "by armed men who claimed to act for the provincial commander amid reports of new "
    "funding from abroad and rising pressure on the capital"
).split()
_NAMES = (
    "North South East West Upper Lower New Old Central Free United National Popular "
    "Islamic Democratic Federal Coastal Mountain River Desert Eastern Western"
).split()
_NOUNS = (
    "Front Council Movement Army Ministry Union Party Alliance League Company Agency "
    "Brigade Network Committee Forum Guard Office Group Bank Press"
).split()


def _weighted(rng: random.Random, table: dict[str, int], n: int) -> list[str]:
    return rng.choices(list(table), weights=list(table.values()), k=n)


def _date(rng: random.Random, start: int = 2012, end: int = 2024) -> tuple[str, tuple[int, int]]:
    """A partial date as a curator writes it (year, month or day) and its (year, month)."""
    year = rng.randint(start, end)
    month = rng.randint(1, 12)
    form = rng.random()
    if form < 0.25:
        return str(year), (year, 1)
    if form < 0.6:
        return f"{year}-{month:02d}", (year, month)
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}", (year, month)


def _quote(rng: random.Random) -> str:
    start = rng.randrange(len(_WORDS) - 12)
    return " ".join(_WORDS[start : start + rng.randint(6, 18)]).capitalize() + "."


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_map(path: Path, actors: int, per_actor: float = 10, seed: int = 0) -> Path:
    """Write a valid stakeholder file of ``actors`` actors and ``per_actor`` x as many relations."""
    rng = random.Random(seed)
    n_rel = int(round(actors * per_actor))
    n_src = max(5, actors // 20)
    out: list[str] = [
        "format: stakeholder-explorer/1",
        f"title: {_s(f'Generated map: {actors} actors, {n_rel} relations (seed {seed})')}",
        "description: A synthetic map for benchmarks; every name and quote is made up.",
        "sources:",
    ]
    for i in range(n_src):
        pub, _ = _date(rng, 2015, 2024)
        out += [
            f"  - id: src_{i:05d}",
            f"    title: {_s(f'Report {i} on the {rng.choice(_NAMES)} region')}",
            f"    published: {pub}",
            f"    url: https://example.org/reports/{i}",
        ]
    out.append("actors:")
    kinds = _weighted(rng, _KINDS, actors)
    communities = max(1, actors // 40)
    community = [rng.randrange(communities) for _ in range(actors)]
    members: dict[int, list[int]] = {}
    for i, c in enumerate(community):
        members.setdefault(c, []).append(i)
    for i in range(actors):
        name = f"{rng.choice(_NAMES)} {rng.choice(_NOUNS)} {i}"
        out += [f"  - id: a{i:05d}", f"    name: {_s(name)}", f"    kind: {kinds[i]}"]
        if rng.random() < 0.2:
            out.append(f"    aliases: [{_s(name.split()[1] + f' {i}')}]")
        if rng.random() < 0.3:
            out.append(f"    description: {_s(_quote(rng))}")
        if rng.random() < 0.1:
            out.append(f"    tags: [c{community[i]}]")
    out.append("relations:")
    types = _weighted(rng, _TYPES, n_rel)
    # Every actor gets a first relation to an earlier one (one connected map); the rest go
    # mostly inside communities, with a preference for hubs (degree-proportional choice).
    ends: list[int] = []
    for r in range(n_rel):
        if 0 < r < actors:
            u = r
            v = rng.choice(ends) if ends and rng.random() < 0.5 else rng.randrange(r)
        else:
            u = rng.randrange(actors)
            if rng.random() < 0.7 and len(members[community[u]]) > 1:
                v = rng.choice(members[community[u]])
            elif ends and rng.random() < 0.6:
                v = rng.choice(ends)
            else:
                v = rng.randrange(actors)
        if u == v:
            v = (u + 1 + rng.randrange(actors - 1)) % actors if actors > 1 else u
        if u == v:
            continue
        ends += [u, v]
        lines = [
            f"  - source: a{u:05d}",
            f"    target: a{v:05d}",
            f"    type: {types[r]}",
        ]
        if rng.random() < 0.05:
            lines.append(f"    sign: {rng.choice(['positive', 'negative', 'neutral'])}")
        lines.append(f"    strength: {rng.choices([1, 2, 3], weights=[3, 5, 2])[0]}")
        if rng.random() < 0.1:
            lines.append("    status: projected")
        lines.append(f"    confidence: {rng.choices(['low', 'medium', 'high'], [2, 5, 3])[0]}")
        since, (year, month) = _date(rng)
        lines.append(f"    since: {since}")
        if rng.random() < 0.25:
            lines.append(f"    until: {rng.randint(year + 1, year + 4)}-{month:02d}")
        lines.append("    evidence:")
        for _ in range(1 if rng.random() < 0.7 else 2):
            lines += [
                f"      - source: src_{rng.randrange(n_src):05d}",
                f"        quote: {_s(_quote(rng))}",
            ]
        out += lines
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def generated_map(actors: int, per_actor: float = 10, seed: int = 0) -> Path:
    """The path of a generated file in ``GENERATED``, writing it first if it is not there."""
    path = GENERATED / f"map-{actors}-k{per_actor:g}-s{seed}.yaml"
    if not path.exists():
        write_map(path, actors, per_actor, seed)
    return path


def planted_blocs(
    actors: int = 150, pairs: int = 1300, flipped: float = 0.05, seed: int = 0
) -> nx.Graph:
    """A signed graph with two planted blocs: positive inside, negative across, some flipped.

    ``pairs`` distinct pairs are drawn at random; ``flipped`` of them (rounded) get the
    opposite sign, so the frustration index is at most that many.
    """
    rng = random.Random(seed)
    bloc = {f"a{i:03d}": i % 2 for i in range(actors)}
    names = list(bloc)
    chosen: set[tuple[str, str]] = set()
    while len(chosen) < pairs:
        u, v = rng.sample(names, 2)
        chosen.add((min(u, v), max(u, v)))
    ordered = sorted(chosen)
    flips = set(rng.sample(range(len(ordered)), round(flipped * len(ordered))))
    S = nx.Graph()
    S.add_nodes_from(names)
    for index, (u, v) in enumerate(ordered):
        sign = 1 if bloc[u] == bloc[v] else -1
        S.add_edge(u, v, sign=-sign if index in flips else sign, weight=1)
    S.graph["planted"] = bloc
    S.graph["flipped"] = len(flips)
    return S


def main() -> None:
    """Write one generated file from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("actors", type=int)
    parser.add_argument("--per-actor", type=float, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    path = args.output or GENERATED / f"map-{args.actors}-k{args.per_actor:g}-s{args.seed}.yaml"
    write_map(path, args.actors, args.per_actor, args.seed)
    print(path)


if __name__ == "__main__":
    main()
