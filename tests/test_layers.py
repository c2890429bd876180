"""The layering rule and honest dependencies, read from the source with ``ast``.

Layers, each importing only from the layers before it (``memory``, ``reading`` and ``extras``
serve any core module; ``cli`` and ``app`` are siblings that never import each other):

    errors <- vocabulary <- model <- load, edit <- graph <- analysis <- render <- formats <- cli, app

``formats`` may use ``render`` (a PNG export draws the figure), never the other way round.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "explorer"

#: Module (or package) name -> layer rank. The longest matching prefix decides.
LAYERS: dict[str, int] = {
    "explorer.errors": 0,
    "explorer.memory": 0,
    "explorer.extras": 0,
    "explorer.reading": 0,  # bounded reads of untrusted files, for any reader
    "explorer.vocabulary": 1,
    "explorer.model": 2,
    "explorer.load": 3,
    "explorer.edit": 3,
    "explorer.merge": 3,  # merges datasets read by load
    "explorer.filters": 3,  # FilterSpec: model words only, no networkx
    "explorer.graph": 4,
    "explorer.analysis": 5,
    "explorer.render": 6,
    "explorer.formats": 7,
    "explorer.data": 0,  # the bundled map's package: no code
    "explorer.cli": 8,
    "explorer.cli_edit": 8,  # the editing commands, registered by explorer.cli
    "explorer.app": 8,
    "explorer.__main__": 9,
}
#: The package root is the public API: it may reach any core module (lazily) but no shell,
#: and only the shells import it (for ``__version__`` and ``bundled_map``).
ROOT_MODULE = "explorer"
SHELLS = ("explorer.cli", "explorer.app")
#: Modules that belong to a shell without living under its name.
SHELL_PARTS = {"explorer.cli_edit": "explorer.cli"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module, absolute
    line: int
    lazy: bool  # inside a function (or under TYPE_CHECKING): still a dependency


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, text: str | None = None) -> list[Import]:
    """Every import statement in one file (or ``text`` read as that file), made absolute."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    source = path.read_text(encoding="utf-8") if text is None else text
    tree = ast.parse(source, filename=str(path))
    top = {id(node) for node in tree.body}
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from explorer import memory` imports the submodule explorer.memory
            targets = [
                f"{base}.{alias.name}" if _is_submodule(f"{base}.{alias.name}") else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            found.append(Import(name, target, node.lineno, id(node) not in top))
    return found


def _is_submodule(name: str) -> bool:
    relative = Path(*name.split("."))
    return (ROOT / relative).with_suffix(".py").is_file() or (ROOT / relative).is_dir()


def layer_of(name: str) -> int | None:
    best = None
    for prefix, rank in LAYERS.items():
        if (name == prefix or name.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, rank)
    return None if best is None else best[1]


def shell_of(name: str) -> str | None:
    if name in SHELL_PARTS:
        return SHELL_PARTS[name]
    return next((s for s in SHELLS if name == s or name.startswith(s + ".")), None)


def layer_violations(imports: list[Import]) -> list[str]:
    """Every import that goes up the layers, or sideways between cli and app, in words."""
    problems = []
    for imp in imports:
        if not (imp.target == ROOT_MODULE or imp.target.startswith(ROOT_MODULE + ".")):
            continue
        where = f"{imp.module}:{imp.line}"
        if imp.target == ROOT_MODULE:
            if imp.module != ROOT_MODULE and layer_of(imp.module) not in (8, 9):
                problems.append(f"{where}: imports the package root {ROOT_MODULE!r}")
            continue
        if imp.module == ROOT_MODULE:
            if shell_of(imp.target):
                problems.append(f"{where}: the public API imports the shell {imp.target}")
            continue
        here, there = layer_of(imp.module), layer_of(imp.target)
        if here is None:
            problems.append(f"{where}: {imp.module} has no layer (add it to LAYERS)")
            continue
        if there is None:
            problems.append(f"{where}: {imp.target} has no layer (add it to LAYERS)")
            continue
        mine, theirs = shell_of(imp.module), shell_of(imp.target)
        if mine and theirs and mine != theirs:
            problems.append(f"{where}: {mine} and {theirs} are siblings: {imp.target}")
        elif there > here:
            problems.append(f"{where}: imports {imp.target}, a higher layer")
    return problems


def all_imports() -> list[Import]:
    return [imp for path in sorted(PACKAGE.rglob("*.py")) for imp in imports_of(path)]


def test_every_import_in_the_package_follows_the_layers() -> None:
    assert layer_violations(all_imports()) == []


def test_every_module_has_a_layer() -> None:
    modules = [module_name(p) for p in sorted(PACKAGE.rglob("*.py"))]
    assert [m for m in modules if m != ROOT_MODULE and layer_of(m) is None] == []


@pytest.mark.parametrize(
    ("module", "target", "expected"),
    [
        (
            "explorer.model",
            "explorer.graph",
            "explorer.model:1: imports explorer.graph, a higher layer",
        ),
        ("explorer.render.figure", "explorer.formats.png", "a higher layer"),
        ("explorer.cli", "explorer.app.dashboard", "siblings"),
        ("explorer.app.dashboard", "explorer.cli", "siblings"),
        ("explorer.load", "explorer", "imports the package root"),
        ("explorer.graph", "explorer.memory", None),
        ("explorer.formats.png", "explorer.render.figure", None),
        ("explorer.app.sidebar", "explorer.app.dashboard", None),
    ],
)
def test_the_rule_catches_an_upward_import(module: str, target: str, expected: str | None) -> None:
    problems = layer_violations([Import(module, target, 1, lazy=False)])
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0]


def test_relative_imports_are_resolved() -> None:
    # The walk reads what a relative import means before judging it.
    text = "from ..render import style\nfrom . import paths\nfrom .. import graph\n"
    found = imports_of(PACKAGE / "analysis" / "balance.py", text)
    assert [(i.target, i.line) for i in found] == [
        ("explorer.render.style", 1),
        ("explorer.analysis.paths", 2),
        ("explorer.graph", 3),
    ]
    assert layer_violations(found) == [
        "explorer.analysis.balance:1: imports explorer.render.style, a higher layer"
    ]


# --- the heavy libraries stay out of the core ---------------------------------------------

CORE = ["explorer", "explorer.errors", "explorer.model", "explorer.load", "explorer.graph"]


def test_importing_the_core_loads_no_streamlit_pyvis_or_matplotlib() -> None:
    code = (
        "import sys, importlib\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "import explorer.analysis\n"
        "heavy = sorted(m for m in ('streamlit', 'pyvis', 'matplotlib') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_explorer_reads_no_file_and_stays_light() -> None:
    code = "import sys, explorer; print(sorted(m for m in ('pydantic','yaml','networkx') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_validate_imports_no_networkx() -> None:
    # `stakeholder-explorer validate` starts as fast as reading and checking the file allows
    # (benchmarks/run.py measures it against yaml.load + Dataset.model_validate).
    code = (
        "import sys\n"
        "from explorer.cli import main\n"
        "try:\n"
        f"    main(['validate', {str(ROOT / 'data' / 'us-taliban-2021.yaml')!r}])\n"
        "except SystemExit as done:\n"
        "    assert done.code in (0, None), done.code\n"
        "heavy = ('networkx', 'scipy', 'numpy', 'streamlit', 'pyvis', 'matplotlib', 'pandas')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


# --- dependencies that tell the truth ------------------------------------------------------

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirement_name(requirement: str) -> str:
    """The normalised distribution name of a PEP 508 requirement string."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def declared(*extras: str) -> set[str]:
    names = {requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    optional = PYPROJECT["project"].get("optional-dependencies", {})
    for extra in extras:
        names |= {requirement_name(r) for r in optional[extra]}
    return names - {"stakeholder-explorer"}


def runtime_extras() -> list[str]:
    """The optional dependency groups a user installs to run features (not the test tools)."""
    return [e for e in PYPROJECT["project"].get("optional-dependencies", {}) if e != "test"]


def third_party_modules() -> dict[str, list[str]]:
    """Top-level third-party module -> the places under explorer/ that import or read it."""
    stdlib = set(sys.stdlib_module_names)
    found: dict[str, list[str]] = {}
    for imp in all_imports():
        top = imp.target.split(".")[0]
        if top not in stdlib and top != ROOT_MODULE and top != "__future__":
            found.setdefault(top, []).append(f"{imp.module}:{imp.line}")
    # Package data read at run time (vis-network from the installed pyvis package).
    for path in sorted(PACKAGE.rglob("*.py")):
        for match in re.finditer(r"""\bfiles\(\s*["']([\w.]+)["']""", path.read_text("utf-8")):
            top = match.group(1).split(".")[0]
            if top != ROOT_MODULE:
                found.setdefault(top, []).append(f"{module_name(path)} (package data)")
    return found


def distribution_of(module: str) -> str:
    names = packages_distributions().get(module)
    assert names, f"{module} is imported under explorer/ but installed by no distribution"
    return requirement_name(names[0])


def test_every_third_party_import_is_a_declared_dependency() -> None:
    allowed = declared(*runtime_extras())
    undeclared = {
        module: places
        for module, places in third_party_modules().items()
        if distribution_of(module) not in allowed
    }
    assert undeclared == {}


def test_every_declared_dependency_is_used_at_run_time() -> None:
    used = {distribution_of(module) for module in third_party_modules()}
    assert sorted(declared(*runtime_extras()) - used) == []


def test_the_test_extra_holds_no_runtime_import() -> None:
    # A library that explorer/ imports belongs with the runtime dependencies, not the test tools.
    test_only = declared("test") - declared(*runtime_extras())
    used = {distribution_of(module) for module in third_party_modules()}
    assert sorted(test_only & used) == []


def test_every_package_under_explorer_is_shipped() -> None:
    # A package missing from this list installs from a checkout but not from a wheel.
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    mapped = set(PYPROJECT["tool"]["setuptools"].get("package-dir", {}))
    on_disk = {module_name(p.parent) for p in PACKAGE.rglob("__init__.py")}
    assert sorted(on_disk - listed) == []
    assert sorted(listed - on_disk - mapped) == []


# --- thin shells ----------------------------------------------------------------------------

#: Longest function in the shells (cli.py, cli_edit.py, explorer/app/), in lines.
SHELL_FUNCTION_LINES = 60


def test_no_function_in_the_shells_is_longer_than_60_lines() -> None:
    # A command or a panel is a few lines around library calls; a long one hides logic the
    # library should own (and test).
    shells = [PACKAGE / "cli.py", PACKAGE / "cli_edit.py", *sorted((PACKAGE / "app").glob("*.py"))]
    long = []
    for path in shells:
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > SHELL_FUNCTION_LINES:
                    long.append(f"{module_name(path)}.{node.name}: {lines} lines")
    assert long == []
