"""Reading and validating stakeholder files: every problem, precisely, at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.errors import DataErrors
from explorer.load import check_bytes, check_file, dump_dataset, load_dataset, normalise_quote
from explorer.model import Dataset

FIXTURES = Path(__file__).parent / "fixtures"

HEADER = """\
format: stakeholder-explorer/1
title: t
sources:
  - id: src
    title: A source
actors:
  - id: a
    name: A
    kind: state
  - id: b
    name: B
    kind: state
"""


def messages(path: Path, **kwargs: object) -> list[str]:
    report = check_file(path, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in report.errors]


def test_every_mistake_is_reported_with_its_line_and_column() -> None:
    path = FIXTURES / "mistakes.yaml"
    expected = (FIXTURES / "mistakes.expected").read_text(encoding="utf-8").splitlines()
    got = messages(path)
    assert got == [line.replace("tests/fixtures/", f"{FIXTURES}/") for line in expected]
    assert len(got) >= 15


def test_load_dataset_raises_one_error_carrying_every_problem() -> None:
    with pytest.raises(DataErrors) as info:
        load_dataset(FIXTURES / "mistakes.yaml")
    assert len(info.value.problems) == 21
    first = info.value.errors[0]
    assert (first.line, first.col, first.where) == (3, 1, "colour")


def test_a_file_using_every_field_survives_dump_and_load(tmp_path: Path) -> None:
    original = load_dataset(FIXTURES / "every-field.yaml")
    text = dump_dataset(original)
    (tmp_path / "again.yaml").write_text(text, encoding="utf-8")
    again = load_dataset(tmp_path / "again.yaml")
    assert again == original
    assert again.relation_ids == original.relation_ids


def test_plain_values_stay_what_the_curator_typed() -> None:
    ds = load_dataset(FIXTURES / "every-field.yaml")
    north = ds.actor_index["north"]
    assert north.aliases == ["NO", "0123", "the north"]
    assert north.tags == ["region", "yes"]
    assert ds.sources[1].published is not None and ds.sources[1].published.text == "2020"


def test_partial_dates_cover_their_whole_period() -> None:
    ds = load_dataset(FIXTURES / "every-field.yaml")
    rel = ds.relations[0]
    assert rel.since is not None and rel.until is not None
    assert (rel.since.text, str(rel.since.first)) == ("2001-10", "2001-10-01")
    assert (rel.until.text, str(rel.until.last)) == ("2021-08", "2021-08-31")


def test_relation_ids_are_derived_and_numbered_in_file_order(write_yaml) -> None:
    path = write_yaml(
        HEADER
        + """\
relations:
  - {source: a, target: b, type: rival_of, evidence: [{source: src, quote: q}]}
  - {id: mine, source: b, target: a, type: supports, evidence: [{source: src, quote: q}]}
  - {source: a, target: b, type: rival_of, evidence: [{source: src, quote: q}]}
"""
    )
    ds = load_dataset(path)
    assert ds.relation_ids == ["a__rival_of__b", "mine", "a__rival_of__b_2"]


def test_an_explicit_id_that_clashes_with_a_derived_one_is_a_duplicate(write_yaml) -> None:
    path = write_yaml(
        HEADER
        + """\
relations:
  - {source: a, target: b, type: rival_of}
  - {id: a__rival_of__b, source: b, target: a, type: supports}
"""
    )
    assert messages(path) == [
        f"{path}:15:10: relations[1].id: duplicate relation id 'a__rival_of__b' (first at line 14)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: document: file is empty; expected a stakeholder file"),
        (
            "# only a comment\n",
            "1:1: document: file holds only comments; expected a stakeholder file",
        ),
        ("- a\n- b\n", "1:1: document: the top level is a list; expected a mapping"),
        (
            "title: [unclosed\n",
            "2:1: yaml: did not find expected ',' or ']' (while parsing a flow sequence at line 1)",
        ),
        ("a: b: c\n", "1:5: yaml: mapping values are not allowed in this context"),
        ("title: t\n\tactors: []\n", "2:1: yaml: tab character in indentation"),
        ("title: t\n", "1:1: document: missing required field 'format'"),
        ("format: stakeholder-explorer/9\ntitle: t\n", "1:9: format: unknown format"),
        (
            "format: stakeholder-explorer/1\ntitle: !!python/object:os.system x\n",
            "2:8: title: tag '!!python/object:os.system' is not allowed",
        ),
    ],
)
def test_broken_documents_point_at_the_problem(text: str, expected: str) -> None:
    report = check_bytes(text.encode(), "f.yaml")
    assert report.dataset is None
    assert any(str(p).startswith(f"f.yaml:{expected}") for p in report.errors), report.errors


def test_bad_bytes_are_reported_at_their_line_and_column() -> None:
    report = check_bytes(b"format: x\ntitle: caf\xff\n", "f.yaml")
    assert [str(p) for p in report.errors] == [
        "f.yaml:2:11: file: not valid UTF-8: byte 0xff (invalid start byte)"
    ]


def test_a_byte_order_mark_and_crlf_line_endings_load() -> None:
    text = (FIXTURES / "every-field.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    report = check_bytes(b"\xef\xbb\xbf" + text.encode(), "f.yaml")
    assert report.errors == []
    assert report.dataset is not None and len(report.dataset.actors) == 3


def test_aliases_that_expand_without_bound_are_refused() -> None:
    lines = ["format: stakeholder-explorer/1", "title: t", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    report = check_bytes("\n".join(lines).encode(), "f.yaml")
    assert report.dataset is None
    assert any(
        "aliases expand this document beyond its size limit" in p.message for p in report.errors
    )


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("x" * 2000, encoding="utf-8")
    report = check_file(path, max_bytes=1000)
    assert [p.message for p in report.errors] == [
        "file is 2,000 bytes, over the limit of 1,000 bytes "
        "(set STAKEHOLDER_EXPLORER_MAX_BYTES to raise it)"
    ]


def test_warnings_for_missing_evidence_and_lonely_actors(write_yaml) -> None:
    path = write_yaml(
        HEADER.replace("  - id: b\n", "  - id: c\n    name: C\n    kind: state\n  - id: b\n")
        + "relations:\n  - {source: a, target: b, type: rival_of}\n"
    )
    report = check_file(path)
    assert report.errors == []
    assert [str(p) for p in report.warnings] == [
        f"{path}:10:5: actors[1]: warning: actor 'c' has no relations",
        f"{path}:17:5: relations[0]: warning: relation has no evidence",
    ]
    assert not report.failed() and report.failed(strict=True)
    with pytest.raises(DataErrors):
        load_dataset(path, strict=True)


def test_quotes_are_checked_against_source_texts(tmp_path: Path, write_yaml) -> None:
    (tmp_path / "src.txt").write_text(
        "He said \u201cwe\u2019ll   talk\u201d \u2013 later.", "utf-8"
    )
    path = write_yaml(
        HEADER
        + """\
relations:
  - source: a
    target: b
    type: negotiates_with
    evidence:
      - {source: src, quote: "said \\"we'll talk\\" - later"}
      - {source: src, quote: "we will talk"}
"""
    )
    assert messages(path) == []
    assert messages(path, sources=tmp_path) == [
        f"{path}:19:30: relations[0].evidence[1].quote: quote not found in the text of source "
        "'src': 'we will talk'"
    ]


def test_a_source_text_path_is_relative_to_the_data_file() -> None:
    assert messages(FIXTURES / "every-field.yaml", sources=FIXTURES) == []


def test_normalise_quote_folds_typography_and_space() -> None:
    assert normalise_quote("\u201cA\u2019s\u00a0 \u2014 b\u2026\u201d") == '"A\'s - b..."'


def test_dataset_checks_references_when_built_in_code() -> None:
    with pytest.raises(ValueError, match=r"relations\[0\]\.target: unknown actor 'z'"):
        Dataset.model_validate(
            {
                "format": "stakeholder-explorer/1",
                "title": "t",
                "actors": [{"id": "a", "name": "A", "kind": "state"}],
                "relations": [{"source": "a", "target": "z", "type": "ally_of"}],
            }
        )


def test_a_file_may_add_kinds_and_types_but_not_redefine_built_ins(write_yaml) -> None:
    path = write_yaml(
        """\
format: stakeholder-explorer/1
title: t
vocabulary:
  actor_kinds:
    state: {label: State, description: again}
"""
    )
    assert messages(path) == [
        f"{path}:5:5: vocabulary.actor_kinds.state: 'state' is built in; it cannot be redefined"
    ]


def test_null_empties_an_optional_field_but_quoted_null_is_text(write_yaml) -> None:
    path = write_yaml(
        """
        format: stakeholder-explorer/1
        title: t
        sources:
          - {id: a, title: A, author: null, url: ~, text: null}
          - {id: b, title: "null", author: 'null'}
        """
    )
    ds = load_dataset(path)
    assert (ds.sources[0].author, ds.sources[0].url, ds.sources[0].text) == (None, None, None)
    assert (ds.sources[1].title, ds.sources[1].author) == ("null", "null")


def test_overlong_text_is_refused_with_its_length(write_yaml) -> None:
    path = write_yaml(
        "format: stakeholder-explorer/1\ntitle: t\nactors:\n"
        f"  - {{id: a, kind: state, name: {'x' * 5000}}}\n"
    )
    assert messages(path) == [
        f"{path}:4:32: actors[0].name: is 5,000 characters long; at most 300 allowed"
    ]


# --- one translation of pydantic's errors, for any locator ---------------------------------


def test_pydantic_problems_words_each_error_and_lets_the_caller_place_it() -> None:
    # An importer validates one record and places each message at a cell of its row.
    import pydantic

    from explorer.errors import Problem
    from explorer.load import pydantic_problems
    from explorer.model import Relation

    record = {
        "source": "a",
        "target": "b",
        "type": "ally_of",
        "strenght": 2,
        "strength": 5,
        "evidence": [{"source": "s", "quote": "q", "nte": "x"}],
    }
    with pytest.raises(pydantic.ValidationError) as caught:
        Relation.model_validate(record)
    cells = {"strength": "D", "strenght": "E", "until": "F", "evidence": "G"}

    def at_cell(loc: tuple[str | int, ...], message: str, key: bool) -> Problem:
        column = cells.get(str(loc[0]), "?") if loc else "row"
        return Problem("edges.csv", 7, 1, f"{column}{'(key)' if key else ''}", message)

    problems = pydantic_problems(caught.value.errors(), at_cell, model=Relation)
    assert sorted((p.where, p.message) for p in problems) == [
        ("D", "must be from 1 to 3, got 5"),
        ("E(key)", "unknown field 'strenght' (did you mean 'strength'?)"),
        ("G(key)", "unknown field 'nte' (did you mean 'note'?)"),
    ]
    # The date-order rule runs once the fields are valid, and is reported at `until`.
    dated = {"source": "a", "target": "b", "type": "ally_of", "since": "2021", "until": "2019"}
    with pytest.raises(pydantic.ValidationError) as caught:
        Relation.model_validate(dated)
    problems = pydantic_problems(caught.value.errors(), at_cell, model=Relation)
    assert [(p.where, p.message) for p in problems] == [("F", "until 2019 is before since 2021")]


def test_a_utf16_file_and_a_bad_byte_are_named_with_their_place() -> None:
    from explorer.errors import DataErrors
    from explorer.load import decode_text

    assert decode_text("\ufeffé".encode(), "m.yaml") == "é"
    with pytest.raises(DataErrors) as caught:
        decode_text(b"a: 1\nb: \xff\n", "m.yaml")
    assert str(caught.value) == "m.yaml:2:4: file: not valid UTF-8: byte 0xff (invalid start byte)"
    with pytest.raises(DataErrors) as caught:
        decode_text("a: 1".encode("utf-16"), "m.yaml")
    assert str(caught.value) == "m.yaml:1:1: file: file is encoded as UTF-16; save it as UTF-8"
