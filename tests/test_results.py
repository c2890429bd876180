"""The typed results: the JSON Schemas in docs/ are generated from them and stay equal."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.analysis.results import json_schemas

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_schemas_in_docs_are_the_ones_the_types_generate() -> None:
    for name, schema in json_schemas().items():
        written = json.loads((DOCS / name).read_text(encoding="utf-8"))
        assert written == schema, (
            f"docs/{name} is stale: run python -m explorer.analysis.results docs"
        )


def test_the_schemas_forbid_unknown_keys_and_keep_the_contract() -> None:
    analysis = json_schemas()["analysis.schema.json"]
    assert analysis["additionalProperties"] is False
    balance = analysis["$defs"]["Balance"]["properties"]
    for key in ("weighted", "swing", "swing_exact", "rests_on", "robustness", "holds_in_all"):
        assert key in balance
    assert (
        "summary" in analysis["properties"]
        and "scenario" in analysis["$defs"]["ViewInfo"]["properties"]
    )
