"""CLI subcommands: thin wrappers that parse options and call the library."""
