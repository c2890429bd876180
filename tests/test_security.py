"""Security without a browser: privacy settings, uploads, exports of hostile text, no lost files.

The hostile map ``tests/fixtures/hostile.yaml`` is valid; its names, quotes, titles and URLs
carry script, markup, template syntax and quotes. Here it must come out of every export as
the same text, and the dashboard must keep its settings private and its uploads in memory.
The browser half (scripts that must not run, requests that must not leave) is in
``test_security_browser.py``. ``docs/security.md`` lists which test covers which threat.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from explorer.cli import APP_SCRIPT, SERVER_SCRIPT, app_argv, main
from explorer.load import load_dataset
from explorer.model import Dataset

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile.yaml"
SVG = "{http://www.w3.org/2000/svg}"
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def hostile() -> Dataset:
    return load_dataset(HOSTILE)


def every_text(ds: Dataset) -> list[str]:
    """Every piece of free text in a dataset, where an attacker could put markup."""
    texts = [ds.title, ds.description or ""]
    for kind in ds.vocab.actor_kinds.values():
        texts += [kind.label, kind.description]
    for rtype in ds.vocab.relation_types.values():
        texts += [rtype.label, rtype.description]
    for s in ds.sources:
        texts += [s.title, s.author or "", s.url or "", s.note or ""]
    for a in ds.actors:
        texts += [a.name, *a.aliases, a.description or "", *a.tags, a.note or ""]
    for r in ds.relations:
        texts += [r.note or "", *r.tags]
        texts += [t for ev in r.evidence for t in (ev.quote, ev.note or "")]
    return texts


def test_the_hostile_fixture_is_valid_and_carries_every_kind_of_payload(hostile: Dataset) -> None:
    # Guards the other tests: softening the fixture must fail here, not make them pass idly.
    text = "\n".join(every_text(hostile))
    for payload in ("<script>", "</script>", "onerror=", "onload=", "{{", "${", '"', "'", "\\"):
        assert payload in text, payload
    urls = [s.url or "" for s in hostile.sources]
    assert any(u.startswith("javascript:") for u in urls)
    assert any(
        u.lower().startswith("javascript:") and not u.startswith("javascript:") for u in urls
    )
    assert any(u.startswith("data:") for u in urls)
    assert any(u.startswith("https://") for u in urls)
    assert sum(bool(ARABIC_SCRIPT.search(a.name)) for a in hostile.actors) >= 2
    # Every kind of field the issue names holds a payload.
    assert "<" in hostile.title and "<" in (hostile.description or "")
    assert all("<" in t for t in hostile.actors[0].tags)
    assert "<" in hostile.actors[0].aliases[0] and "<" in (hostile.actors[0].note or "")
    assert "<" in hostile.sources[0].title and "<" in (hostile.relations[0].note or "")
    assert "<" in hostile.relations[0].evidence[0].quote


# --- privacy: usage statistics off, local address, XSRF on ---------------------------------


def test_config_files_keep_the_dashboard_private() -> None:
    import tomllib  # Python 3.11+, as Streamlit itself requires

    # One configuration, beside the app script, where Streamlit reads it from any folder.
    assert not (ROOT / ".streamlit").exists()
    config = APP_SCRIPT.parent / ".streamlit" / "config.toml"
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    assert settings["browser"]["gatherUsageStats"] is False
    assert settings["server"]["address"] == "127.0.0.1"
    assert settings["server"].get("enableXsrfProtection", True) is not False
    # Streamlit's own upload cap must not admit more than the dashboard accepts.
    from explorer.app.dashboard import UPLOAD_LIMIT_MB

    assert settings["server"].get("maxUploadSize", 200) <= UPLOAD_LIMIT_MB


def _streamlit_settings(args: list[str], cwd: Path, code: str) -> str:
    """Run Streamlit's config machinery in a clean process (HOME and cwd are ``cwd``)."""
    env = {**os.environ, "HOME": str(cwd)}
    env = {k: v for k, v in env.items() if not k.startswith("STREAMLIT_")}
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_streamlit_run_from_any_folder_reads_the_private_settings(tmp_path: Path) -> None:
    # `streamlit run explorer/app/main.py` started from elsewhere, by hand, without our CLI.
    code = (
        "import sys\n"
        "from streamlit import config\n"
        "config._main_script_path = sys.argv[1]  # what `streamlit run` sets first\n"
        "config.get_config_options(force_reparse=True)\n"
        "for key in ('browser.gatherUsageStats', 'server.address',"
        " 'server.enableXsrfProtection'):\n"
        "    print(key, config.get_option(key))\n"
    )
    out = _streamlit_settings([str(APP_SCRIPT)], tmp_path, code)
    assert out.splitlines() == [
        "browser.gatherUsageStats False",
        "server.address 127.0.0.1",
        "server.enableXsrfProtection True",
    ]


def test_the_app_commands_flags_beat_a_users_config_that_turns_statistics_on(
    tmp_path: Path,
) -> None:
    # A global ~/.streamlit/config.toml (HOME is tmp_path) that shares everything.
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text(
        '[browser]\ngatherUsageStats = true\n[server]\naddress = "0.0.0.0"\n'
        "enableXsrfProtection = false\n",
        encoding="utf-8",
    )
    argv = app_argv(tmp_path / "map.yaml", 8765)
    assert argv[1:5] == ["-m", "streamlit", "run", str(SERVER_SCRIPT)]
    flags = argv[5 : argv.index("--")]
    code = (
        "import sys\nfrom streamlit.web.cli import main\nmain(['config', 'show', *sys.argv[1:]])\n"
    )

    def shown(args: list[str]) -> dict[str, str]:
        out = _streamlit_settings(args, tmp_path, code)
        keys = ("gatherUsageStats", "address", "enableXsrfProtection")
        found = re.findall(rf"^({'|'.join(keys)}) = (\S+)$", out, flags=re.MULTILINE)
        return dict(found)

    # Without the flags the hostile config wins (so the check below can fail) ...
    assert shown([])["gatherUsageStats"] == "true"
    # ... with the flags `stakeholder-explorer app` passes, ours do.
    assert shown(flags) == {
        "gatherUsageStats": "false",
        "address": '"127.0.0.1"',
        "enableXsrfProtection": "true",
    }


# --- uploads: in memory, limited, YAML only, an error keeps the previous map ----------------


@pytest.fixture
def dashboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Callable[[], dict[str, list[str]]]]]:
    """The dashboard (AppTest) on a copy of the hostile map, and a snapshot of every folder."""
    from streamlit.testing.v1 import AppTest

    data = tmp_path / "data"
    data.mkdir()
    (data / "hostile.yaml").write_bytes(HOSTILE.read_bytes())
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("STAKEHOLDER_EXPLORER_FILE", str(data / "hostile.yaml"))

    def listing() -> dict[str, list[str]]:
        return {
            folder.name: sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
            for folder in (data, work)
        }

    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    yield at, listing


def _summary(at: Any) -> str:
    """The bold counts at the head of the view line."""
    line = next(m.value for m in at.markdown if " actors, " in m.value)
    return line.split(" · ")[0]


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _upload(at: Any, name: str, data: bytes) -> list[str]:
    at.get("file_uploader")[0].set_value((name, data, "application/octet-stream"))
    at.run()
    return [_unescaped(e.value) for e in at.error]


def test_an_oversized_upload_is_refused_naming_the_limit_and_the_map_stays(
    dashboard: tuple[Any, Callable[[], dict[str, list[str]]]],
) -> None:
    from explorer.app.dashboard import UPLOAD_LIMIT_MB

    at, listing = dashboard
    before, shown = listing(), _summary(at)
    big = b"format: stakeholder-explorer/1\ntitle: big\n" + b"#" * (UPLOAD_LIMIT_MB * 2**20)
    errors = _upload(at, "big.yaml", big)
    assert f"big.yaml:1:1: file: upload is {len(big):,} bytes, over the limit of 64 MB" in errors
    assert any("last valid map" in w.value for w in at.warning)
    assert _summary(at) == shown and not at.exception
    assert listing() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "photo.yaml",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "photo.yaml:1:1: file: not valid UTF-8",
        ),
        ("list.yml", b"- just\n- a list\n", "list.yml:1:1: document: the top level is a list"),
        ("page.yaml", b"<html><script>alert(1)</script></html>\n", "page.yaml:"),
    ],
    ids=["binary", "not-a-map", "html"],
)
def test_a_non_yaml_upload_is_refused_and_the_previous_map_stays(
    dashboard: tuple[Any, Callable[[], dict[str, list[str]]]], name: str, data: bytes, message: str
) -> None:
    at, listing = dashboard
    before, shown = listing(), _summary(at)
    errors = _upload(at, name, data)
    assert any(e.startswith(message) for e in errors), errors
    assert any("last valid map" in w.value for w in at.warning)
    assert _summary(at) == shown and not at.exception
    # The graph of the previous map is still drawn.
    assert [c.proto.component_name for c in at.get("bidi_component")].count(
        "stakeholder_explorer_graph"
    ) == 1
    assert listing() == before


def test_an_upload_named_as_another_type_is_refused_and_the_previous_map_stays(
    dashboard: tuple[Any, Callable[[], dict[str, list[str]]]],
) -> None:
    # The browser's file picker offers only .yaml/.yml, but a crafted request can send any
    # name; Streamlit then refuses it on the server, and the page must say so plainly.
    at, listing = dashboard
    before, shown = listing(), _summary(at)
    errors = _upload(at, "map.png", HOSTILE.read_bytes())
    assert not at.exception, [e.message for e in at.exception]
    assert any("map.png" in e and ".yaml" in e for e in errors), errors
    assert _summary(at) == shown
    assert listing() == before


def test_a_good_upload_replaces_the_map_and_is_kept_only_in_memory(
    dashboard: tuple[Any, Callable[[], dict[str, list[str]]]],
) -> None:
    at, listing = dashboard
    before = listing()
    small = b"format: stakeholder-explorer/1\ntitle: Two\nactors:\n"
    small += b"  - {id: a, name: A, kind: state}\n  - {id: b, name: B, kind: state}\n"
    assert _upload(at, "two.yaml", small) == []
    assert _summary(at) == "**2 of 2 actors, 0 of 0 relations**"
    assert listing() == before


# --- exports carry the hostile text as text ------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Export the hostile map with the CLI, as a user would, once per format."""
    folder = tmp_path_factory.mktemp("exports")

    def export(extension: str) -> Path:
        out = folder / f"hostile.{extension}"
        if not out.exists():
            result = CliRunner().invoke(main, ["export", str(HOSTILE), "-o", str(out)])
            assert result.exit_code == 0, result.output
        return out

    return export


def test_svg_is_well_formed_holds_the_names_as_text_and_nothing_active(
    hostile: Dataset, exported: Callable[[str], Path]
) -> None:
    root = ET.parse(exported("svg")).getroot()  # raises if the markup broke the XML
    # A label drawn on several lines is whole in its group's title.
    texts = ["".join(t.itertext()) for tag in ("text", "title") for t in root.iter(f"{SVG}{tag}")]
    for actor in hostile.actors:
        assert actor.name in texts, actor.name
    assert hostile.title in texts
    assert any(hostile.sources[0].title in t for t in texts)  # in the caption's source list
    assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "foreignObject")]
    events = [(e.tag, a) for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    assert events == []
    links = [v for e in root.iter() for k, v in e.attrib.items() if k.endswith("href")]
    assert all(v.startswith("#") for v in links), links  # only references inside the file


@pytest.mark.parametrize("extension", ["graphml", "gexf"])
def test_graphml_and_gexf_are_well_formed_and_give_back_the_hostile_text(
    hostile: Dataset, exported: Callable[[str], Path], extension: str
) -> None:
    path = exported(extension)
    ET.parse(path)
    reader = nx.read_graphml if extension == "graphml" else nx.read_gexf
    back = reader(path)
    nodes = dict(back.nodes(data=True))
    for actor in hostile.actors:
        d = nodes[actor.id]
        assert d.get("name", d.get("label")) == actor.name
        assert d.get("description", "") == (actor.description or "")
        assert json.loads(d.get("aliases", "[]")) == actor.aliases
        assert json.loads(d.get("tags", "[]")) == actor.tags
        assert d.get("note", "") == (actor.note or "")
    edges = {d["id"]: d for *_, d in back.edges(data=True)}
    for rel, rel_id in zip(hostile.relations, hostile.relation_ids, strict=True):
        d = edges[rel_id]
        assert d.get("note", "") == (rel.note or "")
        evidence = json.loads(d.get("evidence", "[]"))
        assert [(e["source"], e["quote"]) for e in evidence] == [
            (ev.source, ev.quote) for ev in rel.evidence
        ]
    assert back.graph.get("title", hostile.title) == hostile.title


# --- nothing lost: no overwrite without --force, a failed write keeps the old file ------------


class _DiskFullHalfway:
    """A file object that writes half of what it is given, then fails like a full disk."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def write(self, data: bytes) -> int:
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __enter__(self) -> _DiskFullHalfway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


@pytest.fixture
def disk_full_halfway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every file opened from a descriptor (the atomic writer's) fail half way."""
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _DiskFullHalfway(real_fdopen(*a, **k)))


@pytest.mark.parametrize("extension", ["html", "svg", "graphml"])
def test_export_refuses_to_overwrite_without_force(tmp_path: Path, extension: str) -> None:
    out = tmp_path / f"map.{extension}"
    out.write_text("the analyst's own file")
    result = CliRunner().invoke(main, ["export", str(HOSTILE), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == f"{out} already exists; add --force to replace it\n"
    assert out.read_text() == "the analyst's own file"
    assert os.listdir(tmp_path) == [out.name]


@pytest.mark.usefixtures("disk_full_halfway")
def test_an_export_that_fails_midway_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    out.write_text("the old export")
    result = CliRunner().invoke(main, ["export", str(HOSTILE), "-o", str(out), "--force"])
    assert result.exit_code == 1
    assert result.output == f"cannot write {out}: No space left on device\n"
    assert out.read_text() == "the old export"
    assert os.listdir(tmp_path) == ["map.html"]  # no half-written temporary file left


@pytest.mark.usefixtures("disk_full_halfway")
def test_an_import_that_fails_midway_keeps_the_old_map(tmp_path: Path) -> None:
    source = tmp_path / "edges.csv"
    source.write_text("A,B,ally_of\n")
    out = tmp_path / "map.yaml"
    out.write_text("my curated map")
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 1
    assert result.output == f"cannot write {out}: No space left on device\n"
    assert out.read_text() == "my curated map"
    assert sorted(os.listdir(tmp_path)) == ["edges.csv", "map.yaml"]


def test_a_kumu_folder_export_that_fails_midway_keeps_the_old_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "kumu"
    args = ["export", str(HOSTILE), "-o", str(folder), "--format", "kumu-csv"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    old = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "elements.csv").write_text("edited by hand")
    old["elements.csv"] = b"edited by hand"
    real_write = Path.write_bytes
    written: list[str] = []

    def write_some(self: Path, data: bytes) -> int:
        if written:  # the first file goes through, the second fails
            raise OSError(28, "No space left on device")
        written.append(self.name)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_some)
    result = CliRunner().invoke(main, [*args, "--force"])
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.output == f"cannot write {folder}: No space left on device\n"
    assert written  # the failure really came midway, after one file
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == old
    assert os.listdir(tmp_path) == ["kumu"]


# --- the security document names tests that exist -------------------------------------------


def test_every_test_docs_security_md_names_exists() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    current: Path | None = None
    named = 0
    # `tests/file.py::test_name[param]`, or `…::test_name` for the file named just before.
    for match in re.finditer(r"`(tests/[\w/]+\.py|…)(?:::(\w+))?(?:\[(\w+)\])?`", text):
        where, name, param = match.groups()
        if where != "…":
            current = ROOT / where
            assert current.is_file(), where
        assert current is not None
        if name:
            source = current.read_text(encoding="utf-8")
            assert re.search(rf"^def {name}\(", source, re.MULTILINE), f"{current.name}::{name}"
            named += 1
        if param and current.name == "test_bad_inputs.py":
            assert (ROOT / "tests" / "bad_inputs" / f"{param}.yaml").is_file(), param
    assert named >= 30  # the document really lists its tests


def test_neo4j_csvs_keep_formula_starts_as_written(tmp_path: Path) -> None:
    # They are for neo4j-admin, not a spreadsheet: a leading ' would end up in the database.
    from explorer.formats.neo4j import neo4j_files
    from explorer.graph import build_graph

    path = tmp_path / "m.yaml"
    path.write_text(
        "format: stakeholder-explorer/1\ntitle: T\nactors:\n"
        '  - {id: a, name: "=HYPERLINK(1)", kind: state, tags: ["+cmd"]}\n'
        '  - {id: b, name: "@SUM", kind: state}\n',
        encoding="utf-8",
    )
    actors = neo4j_files(build_graph(load_dataset(path)))["actors.csv"].decode()
    assert "=HYPERLINK(1)" in actors and "@SUM" in actors and "+cmd" in actors
    assert "'=" not in actors and "'@" not in actors and "'+" not in actors


def test_pdf_export_takes_byte_order_marks_in_every_text(tmp_path: Path) -> None:
    # U+FEFF in a label, the title, a source title or the search once crashed matplotlib's
    # PDF writer (IndexError), and the dashboard's PDF download came out empty.
    path = tmp_path / "m.yaml"
    path.write_text(
        'format: stakeholder-explorer/1\ntitle: "\\uFEFFTitle"\n'
        'sources:\n  - {id: s, title: "\\uFEFFReport"}\n'
        'actors:\n  - {id: a, name: "\\uFEFFAlpha", kind: state}\n'
        "  - {id: b, name: Beta, kind: state}\n"
        "relations:\n  - {source: a, target: b, type: supports, evidence: [{source: s, quote: q}]}\n",
        encoding="utf-8",
    )
    target = tmp_path / "m.pdf"
    result = CliRunner().invoke(
        main, ["export", str(path), "-o", str(target), "--search", "\ufeffAlpha"]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 1_000
