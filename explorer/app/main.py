"""The dashboard's script: ``streamlit run explorer/app/main.py -- FILE``.

``stakeholder-explorer app FILE`` starts it; the page itself is ``dashboard.run``.
"""

import sys
from pathlib import Path

from explorer.app.dashboard import run

# Streamlit sets sys.argv to this script and its arguments; under AppTest sys.argv is the
# test runner's, so it is not ours to read.
_ours = bool(sys.argv) and Path(sys.argv[0]).resolve() == Path(__file__).resolve()
run(sys.argv[1:] if _ours else [])
