"""Edit mode: forms that add, change and remove records through ``explorer.edit``.

The source's text is shown beside the relation form; selecting a passage and pressing
"Use as evidence" copies it into the quote, so a quote is verbatim by construction. Each
form is a fragment: typing re-checks the edit without redrawing the graph. Every write
needs a click on a button of this page (the graph's frame can only select actors).

Editing is off, and the page says why, when the dashboard was started with ``--read-only``,
when the server listens beyond this machine, and for the bundled map (which offers a copy
to download instead). An upload is edited in memory and downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import streamlit as st

from explorer.app.caching import budgeted
from explorer.edit import (
    READ_ONLY_ENV,
    SOURCES_ENV,
    Edit,
    EditError,
    StakeholderFile,
    history_folder,
    parse_assignment,
    save,
    undo,
)
from explorer.errors import DataErrors, ExplorerError
from explorer.model import (
    CONFIDENCE_LABELS,
    CONFIDENCES,
    MAX_QUOTE_WORDS,
    SIGN_LABELS,
    SIGNS,
    STATUS_LABELS,
    STATUSES,
    Dataset,
)

#: Addresses that keep the server on this machine; anything else turns editing off.
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
#: Above this many words a quote earns a warning (the format's limit is an error).
QUOTE_WARN_WORDS = 25
_MODES = ("Add relation", "Add actor", "Add source", "Add scenario", "Change or remove")

_PANE_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".se-source-pane");
  if (!root) {
    root = document.createElement("div");
    root.className = "se-source-pane";
    const text = document.createElement("div");
    text.className = "se-source-text";
    text.setAttribute("data-testid", "source-text");
    const bar = document.createElement("div");
    bar.className = "se-source-bar";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Use as evidence";
    button.setAttribute("data-testid", "use-as-evidence");
    const status = document.createElement("span");
    status.className = "se-source-status";
    bar.append(button, status);
    root.append(text, bar);
    parentElement.appendChild(root);
    let chosen = "";
    const remember = () => {
      const selection = window.getSelection();
      if (selection && selection.rangeCount && text.contains(selection.anchorNode)
          && text.contains(selection.focusNode)) {
        chosen = selection.toString();
      }
    };
    document.addEventListener("selectionchange", remember);
    button.addEventListener("mousedown", remember);
    button.addEventListener("click", () => {
      const quote = chosen.replace(/\\s+/g, " ").trim();
      if (!quote) {
        status.textContent = "Select a passage of the text first.";
        return;
      }
      status.textContent = "";
      setTriggerValue("quote", quote);
    });
  }
  root.querySelector(".se-source-text").textContent = data.text;
}
"""
_PANE_CSS = """
.se-source-text { white-space: pre-wrap; max-height: 520px; overflow-y: auto;
  border: 1px solid rgba(128,128,128,.4); border-radius: .5rem; padding: .75rem;
  font-size: .9rem; line-height: 1.45; }
.se-source-bar { margin-top: .5rem; display: flex; gap: .75rem; align-items: center; }
.se-source-bar button { padding: .35rem .8rem; border-radius: .5rem; cursor: pointer;
  border: 1px solid rgba(128,128,128,.6); background: transparent; color: inherit; }
.se-source-status { font-size: .85rem; opacity: .8; }
"""
_pane = st.components.v2.component(
    "stakeholder_explorer_source_pane", js=_PANE_JS, css=_PANE_CSS, isolate_styles=False
)


@dataclass(frozen=True)
class EditTarget:
    """Where edits go: a file to save, an upload to download, or nothing (read only)."""

    path: Path | None  # a file the page may write
    data: bytes
    name: str
    read_only_reason: str | None  # why saving is off; None when it is on
    positions: Mapping[str, tuple[float, float]] | None = None  # where actors are drawn now


def edit_target(name: str, data: bytes, base_dir: str | None) -> EditTarget:
    """Decide how this map may be edited, from where it came and how the server runs."""
    from explorer import bundled_map

    reason = None
    if os.environ.get(READ_ONLY_ENV):
        reason = "The dashboard was started with --read-only."
    elif (st.get_option("server.address") or "") not in LOCAL_ADDRESSES:
        reason = "The server listens beyond this machine, so the page cannot write files."
    path = Path(name) if base_dir is not None else None
    if reason is None and path is not None and path.resolve() == bundled_map().resolve():
        reason = "The bundled map is read only here; edit it and save a copy."
    return EditTarget(path if reason is None else None, data, name, reason)


def _literal(text: str) -> str:
    from explorer.app.dashboard import markdown_literal

    return markdown_literal(text)


@budgeted()
def _parsed(
    digest: str, name: str, on_disk: bool, sources: str | None, _data: bytes
) -> StakeholderFile:
    """The map read for editing, once per content: typing in a form does not re-read it."""
    return StakeholderFile(_data, Path(name) if on_disk else None, sources=sources)


def _document(target: EditTarget, base_dir: str | None) -> StakeholderFile:
    import hashlib

    data = st.session_state.get("edit_working") or target.data
    sources = os.environ.get(SOURCES_ENV) or None
    digest = hashlib.blake2b(data, digest_size=20).hexdigest()
    return _parsed(digest, target.name, base_dir is not None, sources, data)


def render(
    name: str,
    data: bytes,
    base_dir: str | None,
    dataset: Dataset,
    positions: Mapping[str, tuple[float, float]] | None = None,
) -> None:
    """Draw Edit mode for the map ``name`` (its bytes ``data``).

    ``positions`` are where the graph draws the actors now: a save records them beside the
    map, so that afterwards everyone stays put and a new actor lands near its neighbours.
    """
    target = replace(edit_target(name, data, base_dir), positions=positions)
    if st.session_state.get("edit_working_for") != name or target.path is not None:
        st.session_state.pop("edit_working", None)  # a saved file is re-read from disk
    st.session_state["edit_working_for"] = name
    if target.read_only_reason:
        st.info(target.read_only_reason + " Edits here are downloaded as a copy.")
    elif base_dir is None:
        st.info("An uploaded map is edited here and downloaded; the graph shows the upload.")
    done = st.session_state.pop("edit_done", None)
    if done:
        st.success(_literal(done))
    try:
        doc = _document(target, base_dir)
    except ExplorerError as exc:
        st.error(_literal(str(exc)))
        return
    mode = st.segmented_control(
        "What to edit", _MODES, default=_MODES[0], key="edit_mode", label_visibility="collapsed"
    )
    if mode == "Add relation":
        _relation_form(doc, dataset, target)
    elif mode == "Add actor":
        _actor_form(doc, dataset, target)
    elif mode == "Add source":
        _source_form(doc, target)
    elif mode == "Add scenario":
        _scenario_form(doc, target)
    elif mode == "Change or remove":
        _change_form(doc, dataset, target)
    _undo_button(target)


# --- writing ----------------------------------------------------------------------------------


def _commit(edit: Edit | None, target: EditTarget, label: str, key: str) -> None:
    """The button that writes a checked edit: Save, or a download for a copy or an upload."""
    if edit is None:
        st.button(label, key=key, disabled=True)
        return
    if target.path is not None:
        if st.button(label, key=key, type="primary"):
            try:
                save(edit, target.path)
            except ExplorerError as exc:
                st.error(_literal(str(exc)))
                return
            _keep_positions(edit, target)
            lines = [f"Saved: {edit.summary}."]
            lines += [f"Relation id {old} -> {new}." for old, new in edit.renamed]
            st.session_state["edit_done"] = " ".join(lines)
            st.session_state.pop("edit_quote", None)
            st.rerun(scope="app")
        return
    file_name = Path(target.name).name or "map.yaml"
    if target.read_only_reason is None:  # an upload: keep editing the copy
        st.session_state["edit_working"] = edit.data
    st.download_button(
        "Save a copy" if target.read_only_reason else "Download the edited map",
        edit.data,
        file_name=file_name,
        mime="application/x-yaml",
        key=key + "_download",
        type="primary",
    )


def _keep_positions(edit: Edit, target: EditTarget) -> None:
    """Record the drawn positions (a renamed actor keeps its place under its new id)."""
    if target.path is None or not target.positions:
        return
    from explorer.render.layout import record_path, record_positions

    kept = dict(target.positions)
    if edit.kind == "actor" and edit.previous_id in kept:
        kept[edit.id] = kept.pop(str(edit.previous_id))
    try:
        record_positions(record_path(target.path), kept, map_name=target.path.name)
    except OSError:
        pass  # the map is saved; only the drawing may move


def _undo_button(target: EditTarget) -> None:
    if target.path is None:
        return
    if not any(history_folder(target.path).glob("*.before")):
        return
    st.divider()
    if st.button("Undo the last edit", key="edit_undo"):
        try:
            result = undo(target.path)
        except ExplorerError as exc:
            st.error(_literal(str(exc)))
            return
        st.session_state["edit_done"] = f"Undone: {result.what}."
        st.rerun(scope="app")


def _checked(make: Callable[[], Edit]) -> Edit | None:
    """Run an edit; show its problems inline and return None when it cannot be made."""
    try:
        return make()
    except DataErrors as exc:
        for problem in exc.problems:
            st.error(_literal(f"{problem.where}: {problem.message}"))
    except EditError as exc:
        for line in str(exc).splitlines():
            st.error(_literal(line))
    return None


def _words(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


# --- forms ------------------------------------------------------------------------------------


def _actor_choice(dataset: Dataset, label: str, key: str) -> str | None:
    ids = [a.id for a in dataset.actors]
    return st.selectbox(
        label,
        ids,
        index=None,
        key=key,
        format_func=lambda i: dataset.actor_index[i].name,
        placeholder="Choose an actor",
    )


@st.fragment
def _relation_form(doc: StakeholderFile, dataset: Dataset, target: EditTarget) -> None:
    vocab = dataset.vocab
    form, pane = st.columns([3, 2], gap="large")
    with pane:
        cite = _evidence_pane(doc, dataset)
    with form:
        left, right = st.columns(2)
        with left:
            source = _actor_choice(dataset, "From", "edit_rel_source")
        with right:
            target_actor = _actor_choice(dataset, "To", "edit_rel_target")
        rtype = st.selectbox(
            "Relation type",
            list(vocab.relation_types),
            index=None,
            key="edit_rel_type",
            format_func=lambda t: vocab.relation_types[t].label,
            placeholder="Choose a type",
        )
        if rtype is not None:
            info = vocab.relation_types[rtype]
            st.caption(_literal(f"{info.label} ({info.sign} by default): {info.description}"))
        grades = _relation_grades(dataset)
        quote = _quote_input()
        note = st.text_input("Note", key="edit_rel_note")
        edit = None
        if source and target_actor and rtype:
            fields: dict[str, Any] = {
                "source": source,
                "target": target_actor,
                "type": rtype,
                **grades,
                "evidence": [{"source": cite, "quote": quote.strip()}] if quote.strip() else [],
                "note": note.strip() or None,
            }
            edit = _checked(lambda: doc.add("relation", fields))
            if edit is not None:
                st.caption(_literal(f"Ready: {edit.summary}."))
        else:
            st.caption("Choose the two actors and the type.")
        _commit(edit, target, "Save relation", "edit_save_relation")


def _evidence_pane(doc: StakeholderFile, dataset: Dataset) -> str | None:
    """The source cited, and its text to pick the quote from where the map has one."""
    source_ids = [s.id for s in dataset.sources]
    cite = st.selectbox(
        "Source of the evidence",
        source_ids,
        key="edit_cite",
        format_func=lambda i: dataset.source_index[i].title,
        index=0 if source_ids else None,
    )
    if doc.path is None:
        st.caption("An uploaded map has no source texts: type or paste the quote.")
        return cite
    if cite is None:
        return cite
    text = doc.source_text(cite)
    if text is None:
        st.caption(
            "No text for this source: give it a text: file beside the map, or start "
            "the dashboard with --sources DIR holding <source id>.txt."
        )
        return cite
    st.caption("Select a passage, then press Use as evidence to fill the quote.")
    result: Any = _pane(
        key="edit_source_pane",
        data={"text": text},
        on_quote_change=lambda: None,
    )
    picked = getattr(result, "quote", None)
    if isinstance(picked, str) and picked:
        st.session_state["edit_quote"] = picked
    return cite


def _relation_grades(dataset: Dataset) -> dict[str, Any]:
    """Sign, status, confidence, strength, dates and scenario; defaults left out of the file."""
    c1, c2 = st.columns(2)
    c3, c4 = st.columns(2)
    sign = c1.selectbox(
        "Sign",
        [None, *SIGNS],
        key="edit_rel_sign",
        format_func=lambda s: "The type's default" if s is None else SIGN_LABELS[s],
        help="Affect between the two actors themselves; the type gives the default.",
    )
    status = c2.selectbox(
        "Status",
        list(STATUSES),
        key="edit_rel_status",
        format_func=lambda s: STATUS_LABELS[s],
        help="Observed: has happened. Projected: a prediction or condition.",
    )
    confidence = c3.selectbox(
        "Confidence",
        list(CONFIDENCES),
        index=1,
        key="edit_rel_confidence",
        format_func=lambda c: CONFIDENCE_LABELS[c],
        help="How sure the source is that this holds.",
    )
    strength = c4.selectbox(
        "Strength", [1, 2, 3], index=1, key="edit_rel_strength", help="1 weak to 3 strong."
    )
    d1, d2, d3 = st.columns(3)
    since = d1.text_input("Since", key="edit_rel_since", placeholder="YYYY[-MM[-DD]]")
    until = d2.text_input("Until", key="edit_rel_until", placeholder="YYYY[-MM[-DD]]")
    scenario = None
    scenarios = [s.id for s in getattr(dataset, "scenarios", [])]
    if scenarios:
        scenario = d3.selectbox(
            "Scenario",
            [None, *scenarios],
            key="edit_rel_scenario",
            format_func=lambda s: "Main forecast" if s is None else s,
            help="Only for a projected relation that holds under a named scenario.",
        )
    return {
        "sign": sign,
        "strength": None if strength == 2 else strength,
        "status": None if status == "observed" else status,
        "confidence": None if confidence == "medium" else confidence,
        "since": since.strip() or None,
        "until": until.strip() or None,
        "scenario": scenario,
    }


def _quote_input() -> str:
    """The quote, with a word count that warns before the format's limit refuses it."""
    quote = st.text_area("Quote", key="edit_quote", height=90)
    words = len(quote.split())
    if words > MAX_QUOTE_WORDS:
        st.error(f"The quote has {words} words; the format allows at most {MAX_QUOTE_WORDS}.")
    elif words > QUOTE_WARN_WORDS:
        st.warning(
            f"The quote has {words} words; a quote of {QUOTE_WARN_WORDS} or fewer reads best."
        )
    return quote


@st.fragment
def _actor_form(doc: StakeholderFile, dataset: Dataset, target: EditTarget) -> None:
    kinds = dataset.vocab.actor_kinds
    name = st.text_input("Name", key="edit_actor_name")
    suggested = "_".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
    ident = st.text_input(
        "Id", key="edit_actor_id", placeholder=suggested or "lower_case_id",
        help="Lower case letters, digits and _; left empty, it is made from the name.",
    )  # fmt: skip
    kind = st.selectbox(
        "Kind", list(kinds), index=None, key="edit_actor_kind",
        format_func=lambda k: kinds[k].label, placeholder="Choose a kind",
    )  # fmt: skip
    if kind is not None:
        st.caption(_literal(kinds[kind].description))
    aliases = st.text_input("Aliases (comma-separated)", key="edit_actor_aliases")
    description = st.text_area("Description", key="edit_actor_description", height=80)
    tags = st.text_input("Tags (comma-separated)", key="edit_actor_tags")
    edit = None
    if name.strip() and kind:
        fields = {
            "id": ident.strip() or suggested,
            "name": name.strip(),
            "kind": kind,
            "aliases": _words(aliases),
            "description": description.strip() or None,
            "tags": _words(tags),
        }
        edit = _checked(lambda: doc.add("actor", fields))
    _commit(edit, target, "Save actor", "edit_save_actor")


@st.fragment
def _source_form(doc: StakeholderFile, target: EditTarget) -> None:
    ident = st.text_input("Id", key="edit_source_id", placeholder="lower_case_id")
    title = st.text_input("Title", key="edit_source_title")
    c1, c2 = st.columns(2)
    author = c1.text_input("Author", key="edit_source_author")
    published = c2.text_input(
        "Published", key="edit_source_published", placeholder="YYYY[-MM[-DD]]"
    )
    url = st.text_input("URL", key="edit_source_url")
    text = st.text_input(
        "Text file", key="edit_source_text",
        help="A file of the source's text, inside the map's folder, as a path relative to it.",
    )  # fmt: skip
    edit = None
    if ident.strip() and title.strip():
        fields = {
            "id": ident.strip(), "title": title.strip(), "author": author.strip() or None,
            "published": published.strip() or None, "url": url.strip() or None,
            "text": text.strip() or None,
        }  # fmt: skip
        edit = _checked(lambda: doc.add("source", fields))
    _commit(edit, target, "Save source", "edit_save_source")


@st.fragment
def _scenario_form(doc: StakeholderFile, target: EditTarget) -> None:
    ident = st.text_input("Id", key="edit_scenario_id", placeholder="lower_case_id")
    title = st.text_input("Title", key="edit_scenario_title")
    description = st.text_area("Description", key="edit_scenario_description", height=80)
    replaces = st.checkbox(
        "Replaces the main forecast", key="edit_scenario_replaces",
        help="A counterfactual: its view drops the main forecast and keeps its own relations.",
    )  # fmt: skip
    edit = None
    if ident.strip() and title.strip():
        fields = {
            "id": ident.strip(), "title": title.strip(),
            "description": description.strip() or None, "replaces_main": True if replaces else None,
        }  # fmt: skip
        edit = _checked(lambda: doc.add("scenario", fields))
    _commit(edit, target, "Save scenario", "edit_save_scenario")


@st.fragment
def _change_form(doc: StakeholderFile, dataset: Dataset, target: EditTarget) -> None:
    from explorer.edit import KINDS
    from explorer.model import FIELD_ORDER

    choices = [(kind, r.id) for kind in KINDS for r in doc.records(kind)]
    names = {a.id: a.name for a in dataset.actors}

    def label(choice: tuple[str, str]) -> str:
        kind, ident = choice
        return f"{kind}: {names.get(ident, ident)}" + (f" ({ident})" if ident in names else "")

    choice = st.selectbox(
        "Record", choices, index=None, key="edit_change_record", format_func=label,
        placeholder="Choose an actor, relation, source or scenario",
    )  # fmt: skip
    if choice is None:
        return
    kind, ident = choice
    record = doc.find(f"{kind}:{ident}")
    changes: dict[str, Any] = {}
    st.caption("Change a field and apply; an emptied field is removed. Lists: a, b.")
    for field_name in FIELD_ORDER[KINDS[kind]]:
        if field_name in ("evidence",):
            continue
        current = record.data.get(field_name)
        shown = ", ".join(current) if isinstance(current, list) else (current or "")
        value = st.text_input(
            field_name, value=str(shown), key=f"edit_change_{kind}_{ident}_{field_name}"
        )
        if value != shown:
            changes[field_name] = parse_assignment(kind, f"{field_name}={value}")[1]
    edit = _checked(lambda: doc.change(f"{kind}:{ident}", changes)) if changes else None
    _commit(edit, target, "Apply changes", "edit_save_change")
    st.divider()
    cascade = st.checkbox(
        "Also remove what refers to it", key="edit_remove_cascade",
        help="Relations of an actor or scenario, evidence citing a source.",
    )  # fmt: skip
    removal = _checked(lambda: doc.remove(f"{kind}:{ident}", cascade=cascade))
    if removal is not None and removal.removed:
        st.caption(_literal("Also removes: " + "; ".join(removal.removed)))
    _commit(removal, target, f"Remove this {kind}", "edit_remove")
