"""The dashboard's script: ``streamlit run explorer/app/main.py -- FILE``.

``stakeholder-explorer app FILE`` starts it; the page itself is ``dashboard.run``.
"""

from explorer.app.dashboard import run

run()
