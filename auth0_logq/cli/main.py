"""The `logq` command line: a thin click layer over `auth0_logq.engine`.

This is the only place that prints or exits. Engine errors become messages: a bad query prints the
message with a caret under the problem on stderr and exits 2; anything Auth0 would refuse (with
`check`) exits 1. Heavy modules are imported inside commands so `logq --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from auth0_logq import __version__

if TYPE_CHECKING:
    from auth0_logq.engine.errors import QueryError
    from auth0_logq.engine.parser import ParsedQuery

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _fail_query(error: QueryError, as_json: bool = False) -> NoReturn:
    if as_json:
        click.echo(json.dumps({"ok": False, "error": error.to_dict()}, ensure_ascii=False, indent=2))
    click.echo(f"Error: {error.render()}", err=True)
    sys.exit(EXIT_USAGE)


def _parse(query: str, default_operator: str, as_json: bool = False) -> ParsedQuery:
    from auth0_logq.engine.errors import QueryError
    from auth0_logq.engine.parser import ParseOptions, parse

    try:
        return parse(query, ParseOptions(default_operator=default_operator))  # type: ignore[arg-type]
    except QueryError as error:
        _fail_query(error, as_json)


_default_operator = click.option(
    "--default-operator",
    type=click.Choice(["OR", "AND"]),
    default="OR",
    show_default=True,
    help="Operator between clauses that have none (Auth0 and Elasticsearch use OR).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="logq")
@click.option(
    "--db",
    envvar="LOGQ_DB",
    default="auth0-logs.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The SQLite mirror (env: LOGQ_DB).",
)
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """Search Auth0 tenant log exports offline, with Auth0's own query syntax.

    Queries are Auth0 log-search queries (Lucene / Elasticsearch query_string syntax), read
    exactly as Auth0 reads them: `type:fp AND ip:"203.0.113.7"`, `user_name:jane*`,
    `date:[2024-01-01 TO 2024-01-08}`.
    """
    ctx.obj = {"db": db}


@cli.command()
@click.argument("query")
@_default_operator
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def explain(query: str, default_operator: str, as_json: bool) -> None:
    """Show how QUERY is parsed and what it means.

    Prints the canonical Lucene form, the meaning in plain words, the AST, warnings about
    queries that probably do not mean what they seem to, and whether Auth0 would accept it.

    Example:

        logq explain 'type:fp AND NOT ip:"203.0.113.7"'
    """
    from auth0_logq.engine import printer, strict

    parsed = _parse(query, default_operator, as_json)
    violations = strict.check(parsed)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": True,
                    "query": query,
                    "lucene": printer.to_lucene(parsed.query),
                    "elasticsearch": printer.to_es_tree(parsed.query, default_field="<default>"),
                    "normalized": printer.to_query(parsed.query),
                    "meaning": printer.describe(parsed.query),
                    "ast": printer.ast_tree(parsed.query),
                    "warnings": [vars(w) for w in parsed.warnings],
                    "auth0_accepts": not violations,
                    "auth0_violations": [v.to_dict() for v in violations],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    out = [
        f"query:      {query}",
        f"lucene:     {printer.to_lucene(parsed.query)}",
        f"normalized: {printer.to_query(parsed.query)}",
        "",
        "meaning:",
        _indent(printer.describe(parsed.query)),
        "",
        "ast:",
        _indent(printer.ast_tree(parsed.query)),
    ]
    if parsed.warnings:
        out += ["", "warnings:"] + [_indent(w.render(query)) for w in parsed.warnings]
    out += ["", "auth0 strict check: " + ("accepted" if not violations else f"{len(violations)} problem(s)")]
    from auth0_logq.engine.errors import caret_lines

    for v in violations:
        out.append(_indent(f"{v.message}\n{caret_lines(query, v.column, v.length)}"))
    click.echo("\n".join(out))


@cli.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def check(query: str, as_json: bool) -> None:
    """Exit 0 if Auth0's log search would accept QUERY, 1 (with the reasons) if not.

    A query that does not parse at all exits 2. Auth0 accepts a subset of the Elasticsearch
    syntax: 16 documented fields plus details.<path>, no `?`, wildcards other than a prefix with
    at least 3 literal characters, and no regex, fuzzy, boost, _exists_ or >= shorthand.

    Example:

        logq check 'user_email:jane@example.com'
    """
    from auth0_logq.engine import strict
    from auth0_logq.engine.errors import caret_lines

    parsed = _parse(query, "OR", as_json)
    violations = strict.check(parsed)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": not violations,
                    "query": query,
                    "violations": [v.to_dict() for v in violations],
                    "warnings": [vars(w) for w in parsed.warnings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not violations:
        click.echo("ok: Auth0 log search accepts this query")
    else:
        for v in violations:
            hint = f"\n  hint: {v.hint}" if v.hint else ""
            click.echo(f"{v.message} (column {v.column + 1})\n{caret_lines(query, v.column, v.length)}{hint}", err=True)
    sys.exit(EXIT_OK if not violations else EXIT_FAILED)


def _indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line if line else line for line in text.splitlines())


def main() -> None:  # pragma: no cover - console entry point
    cli()
