"""One module per CLI command group; each parses options and calls one library function."""
