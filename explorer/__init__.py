"""Stakeholder Explorer: validate, analyse and explore maps of who stands with whom.

The public API is small and light to import: it reads no file and imports neither
streamlit, pyvis nor matplotlib.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("stakeholder-explorer")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "DataErrors",
    "Dataset",
    "ExplorerError",
    "FilterSpec",
    "__version__",
    "build_graph",
    "bundled_map",
    "ego_network",
    "filter_graph",
    "load_dataset",
    "signed_graph",
]

if TYPE_CHECKING:
    from pathlib import Path

    from explorer.errors import DataErrors, ExplorerError
    from explorer.graph import FilterSpec, build_graph, ego_network, filter_graph, signed_graph
    from explorer.load import load_dataset
    from explorer.model import Dataset

_LAZY = {
    "DataErrors": "explorer.errors",
    "ExplorerError": "explorer.errors",
    "Dataset": "explorer.model",
    "load_dataset": "explorer.load",
    "FilterSpec": "explorer.graph",
    "build_graph": "explorer.graph",
    "ego_network": "explorer.graph",
    "filter_graph": "explorer.graph",
    "signed_graph": "explorer.graph",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'explorer' has no attribute {name!r}")


def bundled_map() -> Path:
    """Return the path of the bundled map, ``us-taliban-2021.yaml``."""
    from importlib.util import find_spec
    from pathlib import Path

    name = "us-taliban-2021.yaml"
    # An installed wheel ships data/ as the package explorer.data; an editable install or a
    # source checkout reads the one copy in the repository's data/ folder.
    spec = find_spec("explorer.data")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            if (Path(folder) / name).is_file():
                return Path(folder) / name
    return Path(__file__).resolve().parent.parent / "data" / name
