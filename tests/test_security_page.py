"""The graph page has a size limit: the dashboard's page for a view and the exported HTML.

An alias reused by every actor once made a 560 KB file a 103 MB page. The loader now bounds
what aliases expand to, and the page itself is refused past ``MAX_PAGE_BYTES``: in the
dashboard with a line in the page (the tables and other tabs still work), from
``export -o x.html`` with an error naming the file, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RunCli
from streamlit.testing.v1 import AppTest

from explorer.cli import APP_SCRIPT
from explorer.errors import PageTooBig
from explorer.render import html as page

ALIASES = ", ".join(f'"alias {i} ' + "x" * 240 + '"' for i in range(30))


def alias_map(actors: int) -> str:
    """A valid map whose actors all share one anchored list of 30 long aliases."""
    lines = [
        "format: stakeholder-explorer/1",
        "title: Aliases everywhere",
        "actors:",
        f"  - {{id: a0, name: Actor 0, kind: state, aliases: &al [{ALIASES}]}}",
        *(
            f"  - {{id: a{i}, name: Actor {i}, kind: state, aliases: *al}}"
            for i in range(1, actors)
        ),
        "relations:",
        *(f"  - {{source: a{i}, target: a{i + 1}, type: ally_of}}" for i in range(actors - 1)),
    ]
    return "\n".join(lines) + "\n"


def test_an_alias_reused_by_every_actor_makes_a_bounded_page(
    write_yaml: Callable[..., Path], cli_runner: RunCli, tmp_path: Path
) -> None:
    # 100 actors: 17 KB of file, 2 MB of page; within what the loader lets aliases expand to.
    small = write_yaml(alias_map(100))
    code, _, err = cli_runner("export", str(small), "-o", str(tmp_path / "small.html"))
    assert code == 0, err
    assert (tmp_path / "small.html").stat().st_size < page.MAX_PAGE_BYTES
    # 2,000 actors would expand to 15 MB of aliases (and a 60 MB page): refused on loading,
    # before anything is built.
    big = write_yaml(alias_map(2_000), "big.yaml")
    code, _, err = cli_runner("export", str(big), "-o", str(tmp_path / "big.html"))
    assert code == 1 and "aliases expand this document beyond its size limit" in err
    assert not (tmp_path / "big.html").exists()


def test_export_refuses_a_page_over_the_limit_naming_the_file(
    write_yaml: Callable[..., Path],
    cli_runner: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(page, "MAX_PAGE_BYTES", 1_000_000)
    path = write_yaml(alias_map(100))
    target = tmp_path / "x.html"
    code, out, err = cli_runner("export", str(path), "-o", str(target))
    assert code == 1 and out == ""
    assert err.startswith(f"{target}: the page would be at least 1.5 MB, over the limit of 1.0 MB")
    assert "narrow the view (--kinds, --types, --focus" in err and "Traceback" not in err
    assert not target.exists() and list(tmp_path.iterdir()) == [path]
    # The same view narrowed is written.
    code, _, err = cli_runner(
        "export", str(path), "-o", str(target), "--focus", "a0", "--radius", "1"
    )
    assert code == 0, err
    assert target.stat().st_size < 1_000_000


def test_a_page_over_the_limit_is_refused_whole_as_well(monkeypatch: pytest.MonkeyPatch) -> None:
    # The parts counted first are under the limit; the finished page is over it.
    import networkx as nx

    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(title="T")
    G.add_node("a", name="Alpha", kind="state", aliases=[], description="")
    parts = page.page_parts(G, {"a": (0.0, 0.0)})
    monkeypatch.setattr(page, "MAX_PAGE_BYTES", 2_000)
    with pytest.raises(PageTooBig) as refused:
        page.network_html(G, {"a": (0.0, 0.0)}, parts=parts)
    assert refused.value.size > 2_000 and not refused.value.at_least


def test_the_dashboard_says_in_the_page_that_the_graph_is_too_big(
    write_yaml: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.app import dashboard

    monkeypatch.setattr(page, "MAX_PAGE_BYTES", 1_000_000)
    monkeypatch.setenv("STAKEHOLDER_EXPLORER_FILE", str(write_yaml(alias_map(100))))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any(
        w.startswith("The graph of this view would be at least 1.5 MB, over the limit of 1.0 MB")
        and "Narrow it with the filters" in w
        for w in warnings
    ), warnings
    # No arrangement buttons for a graph that is not drawn.
    assert not [b for b in at.button if b.key in ("keep_arrangement", "lay_out_again")]
    # The rest of the dashboard works: the tables hold the whole view (built when opened).
    at.session_state["main_tab"] = "Actors"
    at.run()
    assert len(at.dataframe) >= 1
    # Narrowed to one actor and its neighbours, the graph is drawn again.
    at.selectbox(key="f_focus").set_value("a0").run()
    assert not any("over the limit" in w.value for w in at.warning)
    assert at.button(key="keep_arrangement")
    # The HTML download of a view over the limit is a page that says why.
    with pytest.raises(PageTooBig) as refused:
        from explorer import formats
        from explorer.graph import build_graph
        from explorer.load import load_dataset

        G = build_graph(load_dataset(write_yaml(alias_map(100), "again.yaml")))
        formats.export_bytes(G, "html", positions={n: (0.0, 0.0) for n in G})
    said = dashboard._too_big_page(refused.value).decode()
    assert "The exported page of this view would be at least 1.5 MB" in said
