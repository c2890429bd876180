"""The layering rule: the core never imports the heavy shells' libraries."""

from __future__ import annotations

import subprocess
import sys

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
