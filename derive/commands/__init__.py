"""One module per ``derive`` subcommand; :mod:`derive.cli` lists them."""
