"""Property-based tests: dump/load round trips, and no input crashes the loader."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.load import check_bytes, dump_dataset
from explorer.model import Dataset, builtin_vocabulary

# A fixed number of examples, derandomised, so CI runs the same cases every time.
PROPERTY = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

KINDS = sorted(builtin_vocabulary().actor_kinds)
TYPES = sorted(builtin_vocabulary().relation_types)
ids = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
# Any text a curator could type: letters of every script, punctuation, YAML's own
# troublemakers (NO, 0123, ~, "null", '- x', '#'), but no control characters.
words = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")
tricky = st.sampled_from(["NO", "yes", "0123", "~", "null", "- x", "#c", "a: b", "1e3", "2021-08"])
text = st.one_of(words, tricky).map(str.strip)
dates = st.builds(
    lambda y, m, d, kind: [f"{y:04d}", f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-{d:02d}"][kind],
    st.integers(1900, 2100),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
)


@st.composite
def datasets(draw: Any) -> Dataset:
    actor_ids = draw(st.lists(ids, min_size=2, max_size=6, unique=True))
    source_ids = draw(st.lists(ids, min_size=1, max_size=2, unique=True))
    actors = [
        {
            "id": i,
            "name": draw(text),
            "kind": draw(st.sampled_from(KINDS)),
            "aliases": draw(st.lists(text, max_size=3)),
            "tags": draw(st.lists(text, max_size=2)),
            **({"description": draw(text)} if draw(st.booleans()) else {}),
            **({"since": draw(dates)} if draw(st.booleans()) else {}),
        }
        for i in actor_ids
    ]
    relations = []
    for _ in range(draw(st.integers(0, 8))):
        a, b = draw(st.lists(st.sampled_from(actor_ids), min_size=2, max_size=2, unique=True))
        since = draw(st.one_of(st.none(), dates))
        relations.append(
            {
                "source": a,
                "target": b,
                "type": draw(st.sampled_from(TYPES)),
                "strength": draw(st.integers(1, 3)),
                "status": draw(st.sampled_from(["observed", "projected"])),
                "confidence": draw(st.sampled_from(["low", "medium", "high"])),
                **(
                    {"sign": draw(st.sampled_from(["positive", "negative", "neutral"]))}
                    if draw(st.booleans())
                    else {}
                ),
                **({"since": since, "until": "2200"} if since else {}),
                "evidence": [{"source": draw(st.sampled_from(source_ids)), "quote": draw(text)}],
                **({"note": draw(text)} if draw(st.booleans()) else {}),
            }
        )
    return Dataset.model_validate(
        {
            "format": "stakeholder-explorer/1",
            "title": draw(text),
            "sources": [{"id": s, "title": draw(text)} for s in source_ids],
            "actors": actors,
            "relations": relations,
        }
    )


@PROPERTY
@given(datasets())
def test_any_valid_dataset_survives_dump_and_load_unchanged(dataset: Dataset) -> None:
    report = check_bytes(dump_dataset(dataset).encode("utf-8"), "round-trip.yaml")
    assert report.errors == []
    assert report.dataset == dataset


@PROPERTY
@given(st.binary(max_size=400))
def test_any_bytes_end_in_a_dataset_or_our_errors(data: bytes) -> None:
    report = check_bytes(data, "fuzz.yaml")
    assert (report.dataset is None) == bool(report.errors)
    assert all(p.line >= 1 and p.col >= 1 for p in report.errors)


@PROPERTY
@given(st.text(max_size=300))
def test_any_text_ends_in_a_dataset_or_our_errors(source: str) -> None:
    report = check_bytes(source.encode("utf-8", "surrogatepass"), "fuzz.yaml")
    assert (report.dataset is None) == bool(report.errors)


YAMLISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "title",
                    "actors",
                    "relations",
                    "sources",
                    "id",
                    "name",
                    "kind",
                    "source",
                    "target",
                    "type",
                    "strength",
                    "since",
                    "until",
                    "evidence",
                    "quote",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


@PROPERTY
@given(YAMLISH)
def test_any_yaml_structure_ends_in_a_dataset_or_our_errors(value: Any) -> None:
    import yaml

    data = yaml.safe_dump({"format": "stakeholder-explorer/1", "title": "t", "actors": value})
    report = check_bytes(data.encode(), "fuzz.yaml")
    assert (report.dataset is None) == bool(report.errors)
