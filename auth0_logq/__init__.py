"""auth0-logq: an offline forensic query engine for Auth0 tenant logs.

Layout (stages flow one way): `grammar/` (the Lark grammar) -> `engine/` (parser, AST, printers,
strict rules, and the compiler and store) -> `cli/` (the `logq` command).
"""

__version__ = "0.1.0"
