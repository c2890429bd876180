"""The dashboard's sidebar: one widget per filter, made from ``FilterSpec``'s metadata.

Each ``FilterSpec`` field says its label, help, choices and widget kind (``explorer.filters``);
this module only turns a widget kind into a Streamlit widget, fills in the options that come
from the map (kinds, types, sources, dates, scenarios, actors) and reads the widgets back into
a spec. Widget keys are ``f_<field>``; the URL's query parameters are the spec's own
(``FilterSpec.to_query``), beside the display settings.

Also here: the count line above the graph, which says what the view's date and scenario hide,
with a one-click "all periods".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import networkx as nx
import streamlit as st

from explorer.filters import (
    ALL_PERIODS,
    ALL_SCENARIOS,
    FilterField,
    FilterSpec,
    filter_fields,
    parse_filter_text,
)
from explorer.graph import hidden_in, view_note
from explorer.model import SIGNS, Dataset
from explorer.render.layout import DEFAULT_LAYOUT, LAYOUTS
from explorer.render.style import SIGN_STYLES

if TYPE_CHECKING:
    from explorer.app.dashboard import MapFacts

__all__ = [
    "DISPLAY_DEFAULTS",
    "carried_view_line",
    "draw_sidebar",
    "init_state_from_url",
    "measures",
    "sidebar",
    "sidebar_values",
    "sync_url",
    "view_line",
    "view_query",
]

#: Display settings kept in the URL beside the filters, with their defaults.
DISPLAY_DEFAULTS: dict[str, Any] = {"size": "degree", "layout": DEFAULT_LAYOUT, "physics": False}
#: The "As of" option that stands for the default date (a spec's ``as_of=None``).
LATEST = "latest"
#: The option of a select box that stands for a spec's None (no focus, the main forecast).
#: Streamlit shows a None value as an empty "Choose an option", so the widget never holds
#: None; no actor or scenario id can be empty.
NONE = ""
#: Widget keys that are not ``f_<field>`` (kept so that shared links and tests stay valid).
_KEYS = {"statuses": "f_status"}

Measure = Callable[["nx.MultiDiGraph[Any]"], dict[str, float]]


def measures() -> dict[str, tuple[str, Measure]]:
    """Node-size measures by name, as ``(label, function)``."""
    from explorer.analysis.centrality import MEASURES

    return {name: (m.label, m) for name, m in MEASURES.items()}


def _key(f: FilterField) -> str:
    return _KEYS.get(f.name, f"f_{f.name}")


# --- spec <-> widget values -------------------------------------------------------------------


def _widget_value(f: FilterField, value: Any) -> Any:
    """What ``f``'s widget shows for a spec's value."""
    widget = f.filter.widget
    if widget == "one_or_all":
        return value[0] if len(value) == 1 else f.filter.empty
    if widget == "multiselect":
        return list(value)
    if f.filter.options == "dates":
        return LATEST if value is None else value
    if widget == "selectbox":
        return NONE if value is None else value
    return value


def _spec_value(f: FilterField, value: Any, options: list[Any] | None) -> Any:
    """The spec's value for what ``f``'s widget holds, keeping only this map's options."""
    widget = f.filter.widget
    if widget == "one_or_all":
        return (value,) if value in f.filter.choices else ()
    if widget == "multiselect":
        return tuple(v for v in value if options is None or v in options)
    if f.filter.options == "dates":
        return None if value == LATEST or value not in (options or []) else value
    if widget == "selectbox":
        return value if value != NONE and value in (options or []) else None
    if f.kind is int:
        return int(value)
    if f.kind is bool:
        return bool(value)
    return value


def _widget_values(spec: FilterSpec, display: dict[str, Any]) -> dict[str, Any]:
    """Every sidebar widget's value for a spec and display settings."""
    values = {_key(f): _widget_value(f, getattr(spec, f.name)) for f in filter_fields()}
    values.update({f"d_{name}": value for name, value in display.items()})
    return values


def _display_from_query(params: dict[str, str]) -> dict[str, Any]:
    display = dict(DISPLAY_DEFAULTS)
    if params.get("size") in measures():
        display["size"] = params["size"]
    if params.get("layout") in LAYOUTS:
        display["layout"] = params["layout"]
    if "physics" in params:
        display["physics"] = params["physics"] in ("1", "true")
    return display


def init_state_from_url() -> None:
    """On a session's first run, set every widget from the URL's query parameters."""
    if st.session_state.get("_from_url"):
        return
    params = st.query_params.to_dict()
    values = _widget_values(FilterSpec.from_query(params), _display_from_query(params))
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state["_from_url"] = True


def _reset_filters() -> None:
    for key, value in _widget_values(FilterSpec(), DISPLAY_DEFAULTS).items():
        st.session_state[key] = value
    st.session_state["details_actor"] = None
    st.session_state.pop(_CARRIED, None)


def _keep_known(key: str, options: list[Any]) -> None:
    """Drop widget values a newly opened file does not have (a multiselect would refuse them)."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        st.session_state[key] = [v for v in value if v in options]
    elif value not in options:
        st.session_state[key] = options[0]


# --- the options each filter offers -----------------------------------------------------------


def _options(
    f: FilterField, dataset: Dataset, G: nx.MultiDiGraph[Any], facts: MapFacts
) -> tuple[list[Any], Callable[[Any], str]]:
    """The options of ``f``'s widget and how each is labelled."""
    vocab = dataset.vocab
    where = f.filter.options
    if where == "kinds":
        kinds = vocab.actor_kinds
        return facts.kinds, lambda k: kinds[k].label if k in kinds else str(k)
    if where == "types":
        types = vocab.relation_types
        return facts.types, lambda t: types[t].label if t in types else str(t)
    if where == "sources":
        titles = facts.source_titles
        return list(titles), lambda s: titles.get(s, str(s))
    if where == "actors":
        names = facts.names
        return [NONE, *facts.actors_by_name], lambda n: "(none)" if n == NONE else names[n]
    if where == "scenarios":
        scenarios = G.graph.get("scenarios") or {}
        return [NONE, *scenarios, ALL_SCENARIOS], lambda s: _scenario_label(scenarios, s)
    if where == "dates":
        dates = [LATEST, ALL_PERIODS, *facts.dates]
        current = st.session_state.get(_key(f))
        if isinstance(current, str) and current not in dates:
            dates.append(current)  # a date from a shared URL that the file does not use
        # Labels must not depend on the file: the browser sends the label back, and after
        # another file is opened a label that changed would no longer match its option.
        return (
            dates,
            lambda v: (
                "latest date in the file"
                if v == LATEST
                else "all periods"
                if v == ALL_PERIODS
                else v
            ),
        )
    if f.name == "signs":
        return list(f.filter.choices), lambda s: f"{SIGN_STYLES[SIGNS[s]].symbol} {s}"
    if f.filter.widget == "one_or_all":
        return [f.filter.empty, *f.filter.choices], str
    return list(f.filter.choices), str


def _scenario_label(scenarios: dict[str, dict[str, Any]], ident: str) -> str:
    if ident == NONE:
        return "main forecast (no scenario)"
    if ident == ALL_SCENARIOS:
        return "every scenario at once (for curating)"
    about = scenarios[ident]
    return str(about["title"]) + (" (replaces the main forecast)" if about["replaces_main"] else "")


def _help(f: FilterField, G: nx.MultiDiGraph[Any]) -> str:
    if f.filter.options == "dates":
        latest = G.graph.get("latest_text")
        return f.filter.help + f" The latest date in this file: {latest or 'none'}."
    return f.filter.help


# --- the widgets ------------------------------------------------------------------------------


def _prepare(f: FilterField, options: list[Any]) -> None:
    """Bring ``f``'s value in the session state within what its widget can show."""
    key, about = _key(f), f.filter
    if about.widget in ("multiselect", "selectbox"):
        _keep_known(key, options)
    elif about.widget == "number":
        low, _ = about.bounds or (0, None)
        high = max(options[-1] if options else low, low + 1)
        if st.session_state.get(key, low) > high:
            st.session_state[key] = high


def _widget(f: FilterField, options: list[Any], label: Callable[[Any], str], help: str) -> None:
    """Draw ``f``'s widget in the sidebar (its value lives in the session state)."""
    sb, key, about = st.sidebar, _key(f), f.filter
    if about.widget == "multiselect":
        sb.multiselect(
            about.label, options, key=key, format_func=label, placeholder=about.empty, help=help
        )
    elif about.widget == "one_or_all":
        sb.radio(about.label, options, key=key, horizontal=True, help=help)
    elif about.widget == "select_slider":
        sb.select_slider(about.label, options, key=key, help=help)
    elif about.widget == "slider":
        low, high = about.bounds or (0, 10)
        sb.slider(about.label, low, high if high is not None else low + 10, key=key, help=help)
    elif about.widget == "number":
        low, _ = about.bounds or (0, None)
        high = max(options[-1] if options else low, low + 1)
        # No max_value: the browser would keep a red "must be at most" error beside a typed
        # number that the server never saw (and that Reset could not clear). A number above
        # the map's maximum is brought down to it here, and the caption says so.
        sb.number_input(
            about.label,
            min_value=low,
            step=1,
            key=key,
            help=help,
            on_change=_at_most,
            args=(key, high),
        )
        if st.session_state.pop(f"{key}_lowered", False):
            sb.caption(f"At most {high} here: no relation of this map has more.")
    elif about.widget == "selectbox":
        sb.selectbox(about.label, options, key=key, format_func=label, help=help)
    elif about.widget == "text":
        sb.text_input(about.label, key=key, help=help)
    elif about.widget == "checkbox":
        sb.checkbox(about.label, key=key, help=help)


def _at_most(key: str, high: int) -> None:
    """Bring a typed number above the map's maximum down to it, and remember to say so."""
    if st.session_state.get(key, 0) > high:
        st.session_state[key] = high
        st.session_state[f"{key}_lowered"] = True


def _fields(
    dataset: Dataset, G: nx.MultiDiGraph[Any], facts: MapFacts
) -> Iterator[tuple[FilterField, list[Any], Callable[[Any], str]]]:
    """Each filter with its widget's options and how each option is labelled."""
    for f in filter_fields():
        if f.filter.widget == "number":
            yield f, [facts.most_sources], str
        else:
            yield f, *_options(f, dataset, G, facts)


def _no_choice(f: FilterField, options: list[Any]) -> bool:
    """A map without scenarios: the scenario filter has nothing to pick and is not drawn."""
    return f.filter.options == "scenarios" and len(options) == 2


def sidebar_values(
    dataset: Dataset, G: nx.MultiDiGraph[Any], facts: MapFacts
) -> tuple[FilterSpec, dict[str, Any]]:
    """The spec and the display settings the sidebar's widgets hold, without drawing them.

    Values this map cannot show are dropped first, so the widgets drawn later
    (``draw_sidebar``, in the same run) show what the spec says. Reading the view before
    drawing the sidebar lets the graph go to the browser first.
    """
    values: dict[str, Any] = {}
    for f, options, _ in _fields(dataset, G, facts):
        if _no_choice(f, options):
            st.session_state[_key(f)] = NONE
        else:
            _prepare(f, options)
        known = None if f.filter.options is None and not f.filter.choices else options
        values[f.name] = _spec_value(f, st.session_state[_key(f)], known)
    sizes = measures()
    _keep_known("d_size", list(sizes))
    s = st.session_state
    display = {
        "size": s["d_size"] if s["d_size"] in sizes else DISPLAY_DEFAULTS["size"],
        "layout": s["d_layout"] if s["d_layout"] in LAYOUTS else DISPLAY_DEFAULTS["layout"],
        "physics": bool(s["d_physics"]),
    }
    return FilterSpec(**values), display


def draw_sidebar(dataset: Dataset, G: nx.MultiDiGraph[Any], facts: MapFacts) -> None:
    """Draw the filters and display settings (after ``sidebar_values`` in the same run)."""
    sb = st.sidebar
    sb.header("Filters")
    sb.button("Reset all filters", on_click=_reset_filters, key="reset")
    for f, options, label in _fields(dataset, G, facts):
        if not _no_choice(f, options):
            _widget(f, options, label, _help(f, G))
    sb.header("Display")
    sizes = measures()
    sb.selectbox("Node size by", list(sizes), key="d_size", format_func=lambda m: sizes[m][0])
    sb.selectbox("Layout", list(LAYOUTS), key="d_layout")
    sb.checkbox("Let physics settle the layout briefly", key="d_physics")


def sidebar(
    dataset: Dataset, G: nx.MultiDiGraph[Any], facts: MapFacts
) -> tuple[FilterSpec, dict[str, Any]]:
    """Draw the filters and display settings; return the spec and the display settings."""
    spec, display = sidebar_values(dataset, G, facts)
    draw_sidebar(dataset, G, facts)
    return spec, display


def view_query(spec: FilterSpec, display: dict[str, Any]) -> dict[str, str]:
    """The URL query parameters of a view: the spec's, then display settings off default."""
    query = spec.to_query()
    for key, default in DISPLAY_DEFAULTS.items():
        if display[key] != default:
            value = display[key]
            query[key] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    return query


def sync_url(query: dict[str, str]) -> None:
    """Mirror the view in the URL, so that a copied URL restores it."""
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


# --- the count line ---------------------------------------------------------------------------


def _all_periods() -> None:
    st.session_state["f_as_of"] = ALL_PERIODS


def view_line(H: nx.MultiDiGraph[Any], summary: str, more: str = "") -> None:
    """One line: the counts of the view in bold, then what its date and scenario hide, then
    ``more`` (the file and the filters, already Markdown-escaped), wrapping as a paragraph.

    When the date hides relations, a button at the line's end shows every period in one click.
    """
    from explorer.app.dashboard import markdown_literal

    row = st.container(
        horizontal=True, wrap=False, vertical_alignment="center", gap="small", key="view_line"
    )
    note = markdown_literal(view_note(H))
    row.markdown(f"**{summary}** · {note}" + (f" · {more}" if more else ""), width="stretch")
    if hidden_in(H).by_date:
        row.button(
            "All periods",
            key="all_periods",
            on_click=_all_periods,
            help="Show the relations of every period, the ended ones included.",
        )


# --- what a link or the previous map asked for, and what this map could not honour ----------

_CARRIED = "_carried_view_line"


def _is_default(name: str, text: str) -> bool:
    """Whether the URL parameter ``name=text`` asks for what the view does by default."""
    if name in DISPLAY_DEFAULTS:
        default = DISPLAY_DEFAULTS[name]
        return text == (("1" if default else "0") if isinstance(default, bool) else str(default))
    field = next((f for f in filter_fields() if f.name == name), None)
    if field is None:
        return False
    try:
        value = parse_filter_text(field, text)
    except ValueError:
        return False
    return bool(value == field.default or (value == () and field.default in ((), None)))


def unhonoured(asked: dict[str, str], shown: dict[str, str]) -> list[str]:
    """The ``name=value`` items of ``asked`` that the view ``shown`` does not carry.

    Lists are compared item by item, so ``kinds=state,spaceship`` on a map without
    spaceships gives ``kinds=spaceship``.

    >>> unhonoured({"kinds": "state,ship", "foo": "1", "size": "degree"}, {"kinds": "state"})
    ['kinds=ship', 'foo=1']
    """
    out = []
    for name, text in asked.items():
        if shown.get(name) == text or _is_default(name, text):
            continue
        kept = set(shown.get(name, "").split(","))
        items = text.split(",")
        if len(items) > 1 and kept & set(items):
            out += [f"{name}={item}" for item in items if item not in kept]
        else:
            out.append(f"{name}={text}")
    return out


def carried_view_line(digest: str, spec: FilterSpec, display: dict[str, Any]) -> None:
    """Say which filters of a link, or of the map shown before, this map could not honour.

    Call after ``sidebar`` and before ``sync_url``: the URL still holds what was asked for
    (the link on a first visit, the previous map's view after another file is opened).
    """
    from explorer.app.dashboard import markdown_literal

    state = st.session_state
    previous = state.get("_carried_digest")
    if previous != digest:
        state["_carried_digest"] = digest
        asked = {k: (v[-1] if isinstance(v, list) else v) for k, v in st.query_params.items()}
        shown = view_query(spec, display)
        dropped = unhonoured(asked, shown)
        if previous is None:
            line = "Ignored from the link: " + ", ".join(dropped) if dropped else ""
        elif dropped:
            kept = ", ".join(f"{k}={v}" for k, v in shown.items()) or "none"
            line = f"Kept the filters this map can use: {kept}. Dropped: {', '.join(dropped)}."
        else:
            line = ""
        if line:
            state[_CARRIED] = line
        else:
            state.pop(_CARRIED, None)
    carried = state.get(_CARRIED)
    if carried:
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.warning(markdown_literal(str(carried)))  # names and values come from a link or a file
        right.button("Reset all filters", on_click=_reset_filters, key="reset_carried")
