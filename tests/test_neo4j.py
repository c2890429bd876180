"""Neo4j exports load into a real embedded graph database, with the schema docs/exports.md gives."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import explorer
from explorer.formats import export_bytes, export_file, export_view
from explorer.formats.neo4j import NEO4J_COLUMNS, NEO4J_LABELS
from explorer.graph import FilterSpec, build_graph
from explorer.load import load_dataset

DOCS = Path(__file__).resolve().parents[1] / "docs" / "exports.md"

#: neo4j-admin's header grammar: name:type, :ID(group), :START_ID(group), :END_ID(group),
#: :TYPE, :LABEL; types int, long, float, double, boolean, byte, short, char, string, point,
#: date, localtime, time, localdatetime, datetime, duration, each optionally an array ([]).
_TYPES = (
    "int|long|float|double|boolean|byte|short|char|string|point|date|localtime|time"
    "|localdatetime|datetime|duration"
)
HEADER_CELL = re.compile(
    rf"^(?:[A-Za-z_][A-Za-z0-9_]*(?::(?:{_TYPES})(?:\[\])?)?"
    r"|[A-Za-z_][A-Za-z0-9_]*:ID\([A-Za-z]+\)"
    r"|:(?:START_ID|END_ID)\([A-Za-z]+\)|:TYPE|:LABEL)$"
)


def docs_schema() -> dict[str, list[tuple[str, str]]]:
    """The (column, type) rows of each file, as docs/exports.md lists them."""
    schema: dict[str, list[tuple[str, str]]] = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| `(\w+\.csv)` \| `([^`]+)` \| (.+?) \|", line)
        if match:
            schema.setdefault(match[1], []).append((match[2], match[3]))
    return schema


def test_the_documented_schema_is_the_one_written() -> None:
    schema = docs_schema()
    assert set(schema) == set(NEO4J_COLUMNS)
    for name, columns in NEO4J_COLUMNS.items():
        assert [c for c, _ in schema[name]] == [header for header, _, _ in columns], name


def neo4j_folder(tmp_path: Path) -> tuple[Path, object]:
    dataset = load_dataset(explorer.bundled_map())
    view = export_view(build_graph(dataset), FilterSpec(), "neo4j")
    folder = tmp_path / "graph-db"
    export_file(view, folder, "neo4j", positions={n: (0.0, 0.0) for n in view})
    return folder, dataset


def test_every_header_follows_the_neo4j_admin_grammar(tmp_path: Path) -> None:
    folder, _ = neo4j_folder(tmp_path)
    for name in NEO4J_COLUMNS:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        bad = [cell for cell in header if not HEADER_CELL.match(cell)]
        assert bad == [], (name, bad)
        ids = [c for c in header if re.search(r":(ID|START_ID|END_ID)\(", c)]
        assert ids, name  # every file names its ids with a group
    with (folder / "relations.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == [":START_ID(Actor)", ":END_ID(Actor)", ":TYPE"]


def _schema_statements() -> list[str]:
    """CREATE NODE/REL TABLE statements declared from the documented schema."""
    schema = docs_schema()

    def columns(name: str, skip: int = 0) -> str:
        out = []
        for header, kind in schema[name][skip:]:
            field = header.split(":")[0] or ("neo4j_" + header.strip(":").lower())
            out.append(f"`{field}` {kind}")
        return ", ".join(out)

    return [
        f"CREATE NODE TABLE Actor({columns('actors.csv')}, PRIMARY KEY(`id`))",
        f"CREATE NODE TABLE Source({columns('sources.csv')}, PRIMARY KEY(`id`))",
        f"CREATE REL TABLE RELATION(FROM Actor TO Actor, {columns('relations.csv', skip=2)})",
    ]


def _rows(conn: object, query: str) -> list[list[object]]:
    result = conn.execute(query)  # type: ignore[attr-defined]
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


def _database(tmp_path: Path) -> object:
    ladybug = pytest.importorskip("ladybug", reason="LadybugDB is in the test extra")
    db = ladybug.Database(str(tmp_path / "db"))
    conn = ladybug.Connection(db)
    for statement in _schema_statements():
        conn.execute(statement)
    return conn


def test_the_csvs_load_into_an_embedded_graph_database(tmp_path: Path) -> None:
    folder, dataset = neo4j_folder(tmp_path)
    conn = _database(tmp_path)
    for name, table in (("actors.csv", "Actor"), ("sources.csv", "Source")):
        conn.execute(f"COPY {table} FROM '{folder / name}' (header=true)")  # type: ignore[attr-defined]
    conn.execute(f"COPY RELATION FROM '{folder / 'relations.csv'}' (header=true)")  # type: ignore[attr-defined]
    assert _rows(conn, "MATCH (a:Actor) RETURN count(a)") == [[len(dataset.actors)]]
    assert _rows(conn, "MATCH ()-[r:RELATION]->() RETURN count(r)") == [[len(dataset.relations)]]
    hostile = _rows(
        conn,
        "MATCH (a:Actor)-[r:RELATION]->(b:Actor) WHERE a.id = 'united_states' "
        "AND r.sign = 'negative' RETURN DISTINCT b.name ORDER BY b.name",
    )
    names = {a.id: a.name for a in dataset.actors}
    expected = sorted(
        {
            names[r.target]
            for r in dataset.relations
            if r.source == "united_states" and dataset.sign_of(r) == -1
        }
    )
    assert [row[0] for row in hostile] == expected and expected
    labels = _rows(conn, "MATCH (a:Actor) RETURN DISTINCT a.neo4j_label")
    assert labels == [[NEO4J_LABELS["actors.csv"]]]


def test_the_cypher_script_runs_unchanged_on_the_same_schema(tmp_path: Path) -> None:
    dataset = load_dataset(explorer.bundled_map())
    view = export_view(build_graph(dataset), FilterSpec(), "cypher")
    script = export_bytes(view, "cypher", positions={n: (0.0, 0.0) for n in view}).decode()
    conn = _database(tmp_path)
    statements = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert all(s.startswith(("CREATE (:", "MATCH (a:Actor)")) for s in statements)
    for statement in statements:
        conn.execute(statement)  # type: ignore[attr-defined]
    assert _rows(conn, "MATCH (a:Actor) RETURN count(a)") == [[len(dataset.actors)]]
    assert _rows(conn, "MATCH ()-[r:RELATION]->() RETURN count(r)") == [[len(dataset.relations)]]
    quotes = _rows(
        conn, "MATCH ()-[r:RELATION]->() WHERE r.id = 'us_taliban_partnership' RETURN r.evidence"
    )
    assert quotes and "Taliban" in str(quotes[0][0])
