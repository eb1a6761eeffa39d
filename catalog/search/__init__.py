"""Finding a procedure the way citizens ask for it (see ``index`` for how ranking works)."""
