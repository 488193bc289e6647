"""The query engine: AST, parser, errors, field table, printers and (later) compiler and store.

Nothing in this package prints or exits; the CLI turns its results and errors into messages.
"""
