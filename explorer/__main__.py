"""``python -m explorer`` runs the ``stakeholder-explorer`` command."""

from explorer.cli import main

if __name__ == "__main__":
    main()
