"""The dashboard's page script: ``streamlit run explorer/app/serve.py -- FILE`` serves it.

``stakeholder-explorer app FILE`` starts it through ``serve.py`` (the host and origin
checks); ``streamlit run explorer/app/main.py -- FILE`` also works. The page itself is
``dashboard.run``.
"""

import sys
from pathlib import Path

from explorer.app.dashboard import run

# Streamlit sets sys.argv to the script it was started with and its arguments; under
# AppTest sys.argv is the test runner's, so it is not ours to read.
_HERE = Path(__file__).resolve().parent
_ours = bool(sys.argv) and Path(sys.argv[0]).resolve() in {_HERE / "main.py", _HERE / "serve.py"}
run(sys.argv[1:] if _ours else [])
