"""The one filter specification: what a view of a map keeps, and how each filter reads.

``FilterSpec`` is the single description of a view. Each field carries a ``Filter`` in its
dataclass metadata (label, help, fixed choices or the map's options, bounds, widget kind);
the CLI options, the URL's query parameters and the dashboard's sidebar are all derived from
it, so a new filter is one field here. The field's type (read with ``typing.get_type_hints``)
says how text becomes a value: ``tuple[str, ...]`` is a comma-separated list, ``int`` a whole
number, ``bool`` a switch, ``str | None`` a text that may be absent.

This module imports no networkx, so a command line that only validates stays quick.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from explorer.model import ALL_SCENARIOS, CONFIDENCES, MAIN_SCENARIO, SIGNS, STATUSES, PartialDate

__all__ = [
    "ALL_PERIODS",
    "ALL_SCENARIOS",
    "MAIN_FORECAST",
    "Filter",
    "FilterField",
    "FilterSpec",
    "filter_fields",
    "parse_filter_text",
]

#: ``FilterSpec.as_of`` value that shows relations of every period.
ALL_PERIODS = "all"
#: ``FilterSpec.scenario`` value naming the main forecast (the same as no scenario).
MAIN_FORECAST = MAIN_SCENARIO

#: How the dashboard shows a filter: a multiselect of options, a radio of one option or all,
#: a select slider over ordered words, a slider or number input between bounds, a select box
#: of the map's options (dates, scenarios, actors), a text input or a checkbox.
Widget = Literal[
    "multiselect",
    "one_or_all",
    "select_slider",
    "slider",
    "number",
    "selectbox",
    "text",
    "checkbox",
]
#: Where a filter's options come from when they depend on the map.
MapOptions = Literal["kinds", "types", "sources", "dates", "scenarios", "actors"]


@dataclass(frozen=True)
class Filter:
    """How one ``FilterSpec`` field is read and shown (kept in the field's metadata)."""

    label: str
    help: str
    widget: Widget
    #: The fixed choices of a field over domain words, in their order.
    choices: tuple[str, ...] = ()
    #: The map's options the field picks from (checked against the map, not here).
    options: MapOptions | None = None
    #: Inclusive bounds of a number; None for no upper bound.
    bounds: tuple[int, int | None] | None = None
    #: What an empty multiselect, or the radio's "all" choice, means.
    empty: str = ""


def _filter(default: Any, spec: Filter) -> Any:
    return field(default=default, metadata={"filter": spec})


@dataclass(frozen=True)
class FilterSpec:
    """One view of a map. Empty tuples mean "no restriction".

    ``as_of`` is None for the default view (relations in force at the latest date the file
    mentions), ``"all"`` for every period, or a date as ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``: the relations in force at some time within it. ``scenario`` is None for
    the main forecast (scenario relations hidden) or a scenario id. ``search`` keeps the
    actors whose id, name or alias contains the text (any case) and their neighbours up to
    ``radius``; ``focus`` keeps one actor and its neighbours up to ``radius``.

    >>> FilterSpec(signs="negative", as_of="2021-08").to_query()
    {'signs': 'negative', 'as_of': '2021-08'}
    """

    kinds: tuple[str, ...] = _filter(
        (),
        Filter(
            "Actor kinds",
            "Keep actors of these kinds (repeat or comma-separate).",
            "multiselect",
            options="kinds",
            empty="all kinds",
        ),
    )
    types: tuple[str, ...] = _filter(
        (),
        Filter(
            "Relation types",
            "Keep relations of these types.",
            "multiselect",
            options="types",
            empty="all types",
        ),
    )
    signs: tuple[str, ...] = _filter(
        (),
        Filter(
            "Sign",
            "Keep relations with these signs.",
            "multiselect",
            choices=tuple(SIGNS),
            empty="all signs",
        ),
    )
    statuses: tuple[str, ...] = _filter(
        (),
        Filter(
            "Status",
            "Keep relations with these statuses (projected ones are forecasts).",
            "one_or_all",
            choices=STATUSES,
            empty="both",
        ),
    )
    min_confidence: str = _filter(
        "low",
        Filter(
            "Minimum confidence",
            "Keep relations at least this confident.",
            "select_slider",
            choices=tuple(CONFIDENCES),
        ),
    )
    min_strength: int = _filter(
        1,
        Filter(
            "Minimum strength",
            "Keep relations at least this strong (1-3).",
            "slider",
            bounds=(1, 3),
        ),
    )
    as_of: str | None = _filter(
        None,
        Filter(
            "As of",
            "Relations in force at this date (YYYY, YYYY-MM, YYYY-MM-DD; a year or month "
            "covers all of it), or 'all' periods. Default: the latest date in the file.",
            "selectbox",
            options="dates",
        ),
    )
    scenario: str | None = _filter(
        None,
        Filter(
            "Scenario",
            "Show this named scenario's projected relations with the observed ones and the "
            "main forecast (or instead of it, for a scenario that replaces it); 'all' shows "
            "every scenario's relations at once. Default: the main forecast, with every "
            "scenario's relations hidden.",
            "selectbox",
            options="scenarios",
        ),
    )
    sources: tuple[str, ...] = _filter(
        (),
        Filter(
            "Sources cited",
            "Keep relations citing one of these source ids.",
            "multiselect",
            options="sources",
            empty="any source",
        ),
    )
    min_sources: int = _filter(
        0,
        Filter(
            "Independent sources behind a relation (at least)",
            "Keep relations backed by at least this many distinct sources.",
            "number",
            bounds=(0, None),
        ),
    )
    focus: str | None = _filter(
        None,
        Filter(
            "Focus on actor",
            "Keep this actor and its neighbours within the radius.",
            "selectbox",
            options="actors",
        ),
    )
    radius: int = _filter(
        1,
        Filter(
            "Radius around focus or search",
            "Steps around the focus or the search matches (1-3).",
            "slider",
            bounds=(1, 3),
        ),
    )
    search: str = _filter(
        "",
        Filter(
            "Search name or alias",
            "Keep actors whose id, name or alias contains this text, with their neighbours.",
            "text",
        ),
    )
    hide_isolates: bool = _filter(
        False, Filter("Hide isolated actors", "Hide actors left with no relation.", "checkbox")
    )

    def __post_init__(self) -> None:
        for f in filter_fields():
            value = getattr(self, f.name)
            if f.kind is tuple:
                if isinstance(value, str):
                    value = (value,) if value else ()
                value = tuple(sorted(set(value)))
                object.__setattr__(self, f.name, value)
                bad = [v for v in value if f.filter.choices and v not in f.filter.choices]
                if bad:
                    raise ValueError(
                        f"unknown {_singular(f.name)} {bad[0]!r}: use {', '.join(f.filter.choices)}"
                    )
            elif f.filter.choices and value not in f.filter.choices:
                raise ValueError(f"{f.name} must be one of {', '.join(f.filter.choices)}")
            elif f.kind is int and f.filter.bounds:
                low, high = f.filter.bounds
                if value < low or (high is not None and value > high):
                    span = f"from {low} to {high}" if high is not None else f"at least {low}"
                    raise ValueError(f"{f.name} must be {span}")
        if self.as_of not in (None, ALL_PERIODS):
            PartialDate.parse(self.as_of)
        if self.scenario == MAIN_FORECAST or self.scenario == "":
            object.__setattr__(self, "scenario", None)

    def to_query(self) -> dict[str, str]:
        """The fields that differ from the defaults, as URL query parameters."""
        out: dict[str, str] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value == f.default or (isinstance(value, tuple) and not value):
                continue
            if isinstance(value, tuple):
                out[f.name] = ",".join(value)
            elif isinstance(value, bool):
                out[f.name] = "1" if value else "0"
            else:
                out[f.name] = str(value)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, str | list[str]]) -> FilterSpec:
        """Read a spec from URL query parameters; unknown or malformed ones are ignored."""
        values: dict[str, Any] = {}
        for f in filter_fields():
            if f.name not in params:
                continue
            raw = params[f.name]
            text = raw[-1] if isinstance(raw, list) else raw
            try:
                values[f.name] = parse_filter_text(f, text)
            except ValueError:
                continue
        try:
            return cls(**values)
        except ValueError:
            good = {}
            for name, value in values.items():
                try:
                    cls(**{name: value})
                    good[name] = value
                except ValueError:
                    pass
            return cls(**good)

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """One line that says what the filters do, for captions; "" when none is set.

        ``names`` (actor id -> name) names the focus actor by its name rather than its id.
        The date of the default view is not a filter the user set: ``explorer.graph``'s
        ``view_note`` says it, with what it hides.
        """
        parts = []
        for name, value in self.to_query().items():
            if name == "focus" and names is not None:
                value = str(names.get(value, value))
            parts.append(f"{name.replace('_', ' ')}: {value.replace(',', ', ')}")
        return "; ".join(parts)


def _singular(name: str) -> str:
    return name[:-2] if name.endswith("ses") else name.rstrip("s")


@dataclass(frozen=True)
class FilterField:
    """A ``FilterSpec`` field with its value kind (from its type) and its ``Filter``."""

    name: str
    kind: type
    optional: bool
    default: Any
    filter: Filter


@functools.cache
def filter_fields() -> tuple[FilterField, ...]:
    """Every ``FilterSpec`` field in order, with the kind of value its type holds.

    >>> [(f.name, f.kind.__name__) for f in filter_fields()][:2]
    [('kinds', 'tuple'), ('types', 'tuple')]
    """
    hints = typing.get_type_hints(FilterSpec)
    out = []
    for f in dataclasses.fields(FilterSpec):
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = type(None) in typing.get_args(hint)
        origin = typing.get_origin(hint)
        if origin is tuple:
            kind: type = tuple
        elif optional:
            kind = args[0]
        else:
            kind = hint
        out.append(FilterField(f.name, kind, optional, f.default, f.metadata["filter"]))
    return tuple(out)


def parse_filter_text(f: FilterField, text: str) -> Any:
    """Read one filter's value from text (a URL parameter); ``ValueError`` if malformed.

    >>> kinds, *_ = filter_fields()
    >>> parse_filter_text(kinds, "state,,person")
    ('state', 'person')
    """
    if f.kind is tuple:
        return tuple(x.strip() for x in text.split(",") if x.strip())
    if f.kind is bool:
        return text.strip().lower() in ("1", "true", "yes", "on")
    if f.kind is int:
        return int(text)
    if f.optional:
        return text.strip() or None
    return text
