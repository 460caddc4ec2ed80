"""``python -m derive`` runs the command line."""

from derive.cli import main

raise SystemExit(main())
