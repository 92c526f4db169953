"""``python -m scoring`` runs the ``scorecard`` command."""

import sys

from scoring.cli import main

sys.exit(main())
