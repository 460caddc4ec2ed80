"""``python -m derive`` runs the command line."""

from derive.cli.main import main

raise SystemExit(main())
