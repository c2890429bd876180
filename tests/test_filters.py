"""The one filter specification: every filter reads and shows from its field's metadata."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import RunCli

from explorer.filters import Filter, FilterSpec, filter_fields, parse_filter_text
from explorer.model import CONFIDENCES, SIGNS, STATUSES


def test_every_field_carries_its_label_help_and_widget() -> None:
    names = [f.name for f in dataclasses.fields(FilterSpec)]
    assert [f.name for f in filter_fields()] == names
    for f in filter_fields():
        assert isinstance(f.filter, Filter) and f.filter.label and f.filter.help.endswith(".")
        if f.filter.widget in ("multiselect", "one_or_all"):
            assert f.kind is tuple
    choices = {f.name: f.filter.choices for f in filter_fields()}
    assert choices["signs"] == tuple(SIGNS)
    assert choices["statuses"] == STATUSES
    assert choices["min_confidence"] == tuple(CONFIDENCES)


def test_text_is_read_by_the_fields_type() -> None:
    by_name = {f.name: f for f in filter_fields()}
    assert parse_filter_text(by_name["types"], " ally_of, ,rival_of") == ("ally_of", "rival_of")
    assert parse_filter_text(by_name["radius"], "2") == 2
    assert parse_filter_text(by_name["hide_isolates"], "yes") is True
    assert parse_filter_text(by_name["focus"], "") is None
    assert parse_filter_text(by_name["search"], " kabul") == " kabul"
    with pytest.raises(ValueError):
        parse_filter_text(by_name["min_strength"], "three")


def test_the_spec_checks_values_against_the_domain_words() -> None:
    with pytest.raises(ValueError, match="unknown status 'forecast': use observed, projected"):
        FilterSpec(statuses=("forecast",))
    with pytest.raises(ValueError, match="unknown sign 'friendly'"):
        FilterSpec(signs="friendly")
    with pytest.raises(ValueError, match="min_sources must be at least 0"):
        FilterSpec(min_sources=-1)
    assert FilterSpec(kinds="state").kinds == ("state",)


def test_every_filter_is_an_option_of_every_view_command(cli_runner: RunCli) -> None:
    for command in ("stats", "analyze", "compare", "export"):
        code, out, _ = cli_runner(command, "--help")
        assert code == 0
        for f in filter_fields():
            assert "--" + f.name.replace("_", "-") in out, (command, f.name)
    _, out, _ = cli_runner("stats", "--help")
    assert "One of: positive, negative, neutral." in " ".join(out.split())
