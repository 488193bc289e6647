"""The `logq` command line: a thin click layer over `auth0_logq.engine`.

This is the only place that prints or exits. Engine errors become messages: a bad query prints the
message with a caret under the problem on stderr and exits 2; anything Auth0 would refuse (with
`check`) exits 1. Heavy modules are imported inside commands so `logq --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Callable, NoReturn, TypeVar

import click

from auth0_logq import __version__

if TYPE_CHECKING:
    from auth0_logq.engine import ingest
    from auth0_logq.engine.errors import QueryError
    from auth0_logq.engine.parser import ParsedQuery
    from auth0_logq.engine.search import SearchResult
    from auth0_logq.engine.store import Mirror

T = TypeVar("T")

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

    Prints the canonical Lucene form, the meaning in plain words, the AST, the SQL it runs on
    the mirror (values are bound parameters), warnings about queries that probably do not mean
    what they seem to, and whether Auth0 would accept it.

    Example:

        logq explain 'type:fp AND NOT ip:"203.0.113.7"'
    """
    from auth0_logq.engine import printer, strict

    from auth0_logq.engine.compiler import compile_query
    from auth0_logq.engine.errors import QueryError

    parsed = _parse(query, default_operator, as_json)
    violations = strict.check(parsed)
    try:
        compiled = compile_query(parsed.query, text=parsed.text)
    except QueryError as error:
        _fail_query(error, as_json)
    sql = compiled.select()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": True,
                    "query": query,
                    "sql": sql.text,
                    "params": [p if isinstance(p, (int, float, str)) else repr(p) for p in sql.params],
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
    out += ["", "sql:", _indent(sql.text), "params:", _indent(json.dumps(list(sql.params), ensure_ascii=False, default=repr))]
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


def _open_mirror(ctx: click.Context, *, create: bool = False) -> "Mirror":
    from auth0_logq.engine.store import Mirror, MirrorError

    try:
        return Mirror.open(ctx.obj["db"], create=create)
    except MirrorError as error:
        raise click.ClickException(str(error)) from None


def _run_query(fn: "Callable[[], T]") -> "T":
    """Run an engine call, turning its errors into messages and exit codes."""
    from auth0_logq.engine.errors import QueryError
    from auth0_logq.engine.search import SearchError

    try:
        return fn()
    except QueryError as error:
        _fail_query(error)
    except SearchError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_USAGE)


class _Progress:
    """A progress bar on stderr for long imports: share of the bytes, events, MB and rate (only on
    a terminal, redrawn at most five times a second)."""

    WIDTH = 24

    def __init__(self, label: str):
        import time

        self.label = label
        self.enabled = sys.stderr.isatty()
        self.clock = time.monotonic
        self.last = 0.0
        self.started = self.clock()

    def __call__(self, records: int, done: int, total: int | None) -> None:
        now = self.clock()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = records / max(now - self.started, 1e-9)
        if total:
            filled = min(self.WIDTH, self.WIDTH * done // total)
            bar = f" [{'#' * filled}{'.' * (self.WIDTH - filled)}] {100 * done / total:5.1f}%"
            size = f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB"
        else:
            bar, size = "", f"{done / 1e6:,.1f} MB"
        click.echo(f"\r\033[K{self.label}:{bar} {records:,} events, {size}, {rate:,.0f} events/s", err=True, nl=False)

    def finish(self) -> None:
        if self.enabled and self.last:
            click.echo("\r\033[K", err=True, nl=False)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.pass_context
def import_(ctx: click.Context, files: tuple[str, ...]) -> None:
    """Import exported logs into the mirror: files, directory trees, .zip and .tar(.gz) archives.

    Every export shape is recognised from its content: Management API arrays and include_totals
    pages, NDJSON, log-stream batches, EventBridge, Splunk, CloudWatch, Sumo, Datadog and Logstash
    records, the legacy extensions' per-log files, the Auth0 CLI's JSON; gzip or not; - for
    standard input. Logs already in the mirror are counted as duplicates and kept once (a
    different version under the same log_id is kept aside as a conflict); records that are not
    log events are reported with file and line and kept in the rejects table.

    Example:

        logq --db tenant.db import logs-2024-*.json.gz streams/ s3-export.tar.gz
    """
    from auth0_logq.engine import ingest

    mirror = _open_mirror(ctx, create=True)
    failed = False
    for name in files:
        progress = _Progress(name)
        try:
            summaries = ingest.import_paths(mirror, [name], progress=progress)
        except (OSError, ingest.IngestError) as error:
            progress.finish()
            click.echo(f"Error: {name}: {error}", err=True)
            failed = True
            continue
        progress.finish()
        for summary in summaries:
            _report_import(summary, quiet=len(summaries) > 20)
        if len(summaries) != 1:
            totals = [sum(getattr(s, k) for s in summaries) for k in ("new", "duplicate", "rejected", "read")]
            conflicting = sum(s.duplicate_detail.conflicting for s in summaries)
            click.echo(
                f"{name}: {len(summaries):,} files: {totals[0]:,} new, {totals[1]:,} duplicate"
                f"{f' ({conflicting:,} conflicting)' if conflicting else ''}, {totals[2]:,} rejected of {totals[3]:,} records"
            )
    if failed:
        sys.exit(EXIT_FAILED)


def _report_import(summary: "ingest.ImportSummary", *, quiet: bool) -> None:
    """One line per imported file (only files with something to say when there are many)."""
    conflicting = summary.duplicate_detail.conflicting
    if not quiet or summary.rejected or conflicting:
        rate = summary.read / summary.seconds if summary.seconds else 0
        click.echo(
            f"{summary.source}: {summary.new:,} new, {summary.duplicate:,} duplicate"
            f"{f' ({conflicting:,} conflicting, kept aside)' if conflicting else ''}, {summary.rejected:,} rejected "
            f"({summary.format}, {summary.read:,} records in {summary.seconds:.2f}s, {rate:,.0f}/s)"
        )
    for reject in summary.rejects[:10]:
        where = f"line {reject.line}" if reject.line is not None else f"byte {reject.byte_offset}"
        click.echo(f"  rejected {reject.source}:{where}: {reject.reason}", err=True)
    if summary.rejected > 10:
        click.echo(f"  ... {summary.rejected - 10:,} more rejects are kept in the mirror's rejects table", err=True)


_FORMATS = ("json", "ndjson", "csv", "table")
_TABLE_COLUMNS = ("date", "type", "description", "user_name", "ip", "client_name", "connection", "log_id")


@cli.command()
@click.argument("query", default="")
@click.option("--sort", help="field:1 (ascending) or field:-1 (descending). Default: date:-1.")
@click.option("--fields", help="Comma-separated fields to include.")
@click.option("--exclude-fields", help="Comma-separated fields to leave out.")
@click.option("--page", type=int, help="Page index (from 0), with --per-page.")
@click.option("--per-page", type=int, help="Logs per page (default 50 when --page is given).")
@click.option("--include-totals", is_flag=True, help="Auth0's {start, limit, length, total, logs} object (true total).")
@click.option("--from", "from_", help="Checkpoint: logs after this log_id, in log_id order (QUERY is ignored, as by Auth0).")
@click.option("--take", type=int, help="How many logs with --from (default 50).")
@click.option("--limit", type=int, help="Stop after this many logs.")
@click.option("--strict", is_flag=True, help="Refuse queries Auth0's log search would refuse.")
@click.option("--auth0-limits", is_flag=True, help="Apply Auth0's 100-per-page and 1,000-result limits, with its errors.")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="json", show_default=True)
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    sort: str | None,
    fields: str | None,
    exclude_fields: str | None,
    page: int | None,
    per_page: int | None,
    include_totals: bool,
    from_: str | None,
    take: int | None,
    limit: int | None,
    strict: bool,
    auth0_limits: bool,
    fmt: str,
) -> None:
    """Search the mirror with an Auth0 log-search QUERY; newest first, no result cap.

    An empty QUERY lists every log, as the API does without q.

    Example:

        logq --db tenant.db search 'type:fp AND ip:"203.0.113.7"' --format table
    """
    from auth0_logq.engine import search as engine

    if fields and exclude_fields:
        raise click.UsageError("use --fields or --exclude-fields, not both")
    selected = [f.strip() for f in (fields or exclude_fields or "").split(",") if f.strip()] or None
    mirror = _open_mirror(ctx)
    result = _run_query(
        lambda: engine.search(
            mirror,
            query,
            sort=sort,
            fields=selected,
            include_fields=not exclude_fields,
            page=page,
            per_page=per_page,
            include_totals=include_totals,
            from_=from_,
            take=take,
            limit=limit,
            strict=strict,
            auth0_limits=auth0_limits,
        )
    )
    for warning in result.warnings:
        click.echo(warning.render(query), err=True)
    _write_logs(result, fmt, include_totals, selected if fields else None)


def _write_logs(result: "SearchResult", fmt: str, include_totals: bool, columns: list[str] | None) -> None:
    out = sys.stdout
    if fmt == "json" and include_totals:
        logs = [json.loads(text) for text in result.logs]
        out.write(json.dumps(result.totals_envelope(logs), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "json":
        # Streamed: each event's JSON text as imported, so memory stays flat on huge results.
        first = True
        out.write("[")
        for text in result.logs:
            out.write(("\n" if first else ",\n") + text)
            first = False
        out.write("\n]\n" if not first else "]\n")
        return
    if fmt == "ndjson":
        for text in result.logs:
            out.write(text.replace("\n", " ") + "\n" if "\n" in text else text + "\n")
        return
    names = columns or list(_TABLE_COLUMNS)
    if fmt == "csv":
        import csv

        writer = csv.writer(out)
        writer.writerow(names)
        for text in result.logs:
            event = json.loads(text)
            writer.writerow([_cell(event.get(n)) for n in names])
        return
    widths = {n: 24 for n in names}
    widths.update({"date": 24, "type": 10, "description": 32, "log_id": 20, "ip": 16})
    out.write("  ".join(n.ljust(widths[n]) for n in names).rstrip() + "\n")
    for text in result.logs:
        event = json.loads(text)
        out.write("  ".join(_fit(_cell(event.get(n)), widths[n]) for n in names).rstrip() + "\n")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _fit(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


@cli.command()
@click.argument("query", default="")
@click.option("--strict", is_flag=True, help="Refuse queries Auth0's log search would refuse.")
@click.pass_context
def count(ctx: click.Context, query: str, strict: bool) -> None:
    """Print how many logs in the mirror match QUERY (all logs if QUERY is empty).

    Example:

        logq --db tenant.db count 'type:fp AND date:[2024-01-01 TO *]'
    """
    from auth0_logq.engine import search as engine

    mirror = _open_mirror(ctx)
    click.echo(_run_query(lambda: engine.count(mirror, query, strict=strict)))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Show what the mirror holds: events, date range and every import.

    Example:

        logq --db tenant.db stats
    """
    mirror = _open_mirror(ctx)
    summary = mirror.stats()
    imports = mirror.imports()
    if as_json:
        click.echo(json.dumps({"db": ctx.obj["db"], **vars(summary), "import_log": imports}, indent=2, ensure_ascii=False))
        return
    click.echo(f"mirror:   {ctx.obj['db']}")
    click.echo(f"events:   {summary.events:,}")
    click.echo(f"from:     {summary.first_date or '-'}")
    click.echo(f"to:       {summary.last_date or '-'}")
    click.echo(f"rejected: {summary.rejected:,} records (kept in the rejects table)")
    click.echo(f"imports:  {summary.imports}")
    for row in imports:
        conflicting = row.get("conflicting") or 0
        click.echo(
            f"  #{row['id']} {row['started_at']} {row['source']} ({row['format']}, {row['bytes'] or 0:,} bytes, "
            f"sha256 {str(row['sha256'])[:12]}…): {row['new']:,} new, {row['duplicate']:,} duplicate"
            f"{f' ({conflicting:,} conflicting)' if conflicting else ''}, {row['rejected']:,} rejected"
        )


@cli.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Build a mirror of the bundled demo tenant and take a tour of real forensic searches.

    The demo tenant (fixtures/demo-tenant) is two weeks of synthetic logs with a credential
    stuffing attack, breached passwords, a suspicious admin session and an account takeover.
    The mirror is written to ./demo-tenant.db (or --db), so you can keep exploring afterwards.

    Example:

        logq demo && logq --db demo-tenant.db search 'type:limit_mu' --format table
    """
    import tempfile
    import time
    from pathlib import Path

    from auth0_logq.demo.tour import TOUR, demo_files
    from auth0_logq.engine import ingest
    from auth0_logq.engine import search as engine
    from auth0_logq.engine.store import Mirror

    parent = ctx.parent
    explicit = parent is not None and parent.get_parameter_source("db") is not click.core.ParameterSource.DEFAULT
    db = Path(ctx.obj["db"] if explicit else "demo-tenant.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        files = demo_files(Path(workdir))
        mirror = Mirror.open(db)
        started = time.perf_counter()
        summaries = ingest.import_paths(mirror, files)
        seconds = time.perf_counter() - started
    new = sum(s.new for s in summaries)
    dup = sum(s.duplicate for s in summaries)
    click.secho(f"Imported {len(files)} export files into {db}: {new:,} logs, {dup:,} duplicates dropped ({seconds:.2f}s)", bold=True)
    click.echo("(the Management API pages repeat one day of the NDJSON export: same log_id, one copy kept)\n")
    for number, stop in enumerate(TOUR, 1):
        result = _run_query(lambda: engine.search(mirror, stop.query, limit=stop.show if stop.show else 0))
        total = engine.count(mirror, stop.query)
        click.secho(f"{number}. {stop.title}", bold=True)
        click.echo(f"   $ logq --db {db} search '{stop.query}'")
        click.echo(f"   {total:,} matching logs. {stop.note}")
        for warning in result.warnings:
            click.echo(_indent(warning.render(stop.query), "   "))
        rows = [json.loads(text) for text in result.logs]
        for event in rows:
            click.echo(
                "     "
                + "  ".join(
                    [
                        _fit(_cell(event.get("date")), 24),
                        _fit(_cell(event.get("type")), 18),
                        _fit(_cell(event.get("ip")), 22),
                        _fit(_cell(event.get("user_name")), 30),
                        _cell((event.get("details") or {}).get("request", {}).get("path") if isinstance(event.get("details"), dict) else "")
                        or _cell(event.get("description")),
                    ]
                ).rstrip()
            )
        click.echo()
    from auth0_logq.engine import custody

    report = custody.verify(mirror, deep=True)
    click.secho(f"{len(TOUR) + 1}. Chain of custody: is the mirror what the exports held?", bold=True)
    click.echo(f"   $ logq --db {db} verify --deep")
    if report.ok:
        click.echo(
            f"   ok: {mirror.stats().events:,} events from {len(report.imports)} imports, each import's events hash "
            "recomputed, every event's columns re-derived from its stored text."
        )
    else:
        click.echo(f"   {len(report.problems)} problems: run the command to see them.")
    click.echo(f"   Export what a query finds, byte for byte, with a manifest: logq --db {db} export 'type:sapi' -o sapi.ndjson\n")
    click.echo(f"Keep exploring: logq --db {db} search 'QUERY' --format table   (logq explain 'QUERY' shows how it reads)")


class _StageProgress:
    """A one-line progress report on stderr for long checks and exports (only on a terminal)."""

    def __init__(self, label: str):
        import time

        self.label = label
        self.enabled = sys.stderr.isatty()
        self.clock = time.monotonic
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = self.clock()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        share = f" {100 * done / total:5.1f}%" if total else ""
        click.echo(f"\r\033[K{self.label}: {stage}{share} {done:,} events", err=True, nl=False)

    def finish(self) -> None:
        if self.enabled and self.last:
            click.echo("\r\033[K", err=True, nl=False)


@cli.command()
@click.option("--deep", is_flag=True, help="Also re-derive every event's typed columns from its stored text; check log_id uniqueness.")
@click.option("--quick", is_flag=True, help="SQLite's quick_check instead of the full integrity_check (skips index contents).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable report.")
@click.pass_context
def verify(ctx: click.Context, deep: bool, quick: bool, as_json: bool) -> None:
    """Re-check the mirror against its own records; exit 1 on any mismatch.

    Runs SQLite's integrity check, compares the event, text and import counts, recomputes every
    import's events hash from the stored texts, and checks duplicates, rejects and references.
    The mirror is opened read-only. Imports made by schema 1 are reported as not traceable.

    Example:

        logq --db tenant.db verify --deep
    """
    from auth0_logq.engine import custody
    from auth0_logq.engine.store import Mirror, MirrorError

    try:
        mirror = Mirror.open(ctx.obj["db"], create=False, readonly=True)
    except MirrorError as error:
        raise click.ClickException(str(error)) from None
    progress = _StageProgress("verify")
    with mirror:
        report = custody.verify(mirror, deep=deep, quick=quick, progress=progress)
    progress.finish()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        counts = report.counts
        click.echo(f"mirror:   {report.mirror} (schema {report.schema_version})")
        click.echo(f"checks:   {', '.join(report.checks)}")
        if "events" in counts:
            click.echo(f"events:   {counts['events']:,} ({counts['raw']:,} stored texts; the imports added {counts['imported_new']:,})")
        click.echo(f"imports:  {len(report.imports)}")
        for status in report.imports:
            hashed = f", events sha256 {status.events_sha256[:12]}…" if status.events_sha256 else ""
            click.echo(f"  #{status.id} {status.status:<13} {status.source}: {status.new:,} events added{hashed}")
        for note in report.notes:
            click.echo(f"note: {note}")
        for problem in report.problems:
            click.echo(f"problem [{problem.check}]: {problem.message}")
        click.echo("ok: the mirror matches its records" if report.ok else f"FAILED: {len(report.problems)} problem(s)")
    if not report.ok:
        click.echo(f"Error: verify found {len(report.problems)} problem(s) in {report.mirror}", err=True)
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


@cli.command()
@click.argument("query", default="")
@click.option("--format", "fmt", type=click.Choice(["ndjson", "json"]), default="ndjson", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Write to FILE (default: standard output).")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False), help="Manifest path (default with -o: FILE.manifest.json; none for stdout).")
@click.option("--reflow", is_flag=True, help="NDJSON: put multi-line (pretty-printed) events on one line instead of refusing.")
@click.pass_context
def export(ctx: click.Context, query: str, fmt: str, output: str | None, manifest_path: str | None, reflow: bool) -> None:
    """Write the events matching QUERY (all if empty) byte for byte as imported, with a manifest.

    Events come in import order; each one's text is exactly what was read from its source. The
    manifest (JSON) holds the counts, the sha256 of the bytes written and of the events, and the
    imports they came from, for an auditor to check with sha256sum. With -o the output appears
    only once complete.

    Example:

        logq --db tenant.db export 'user_name:"jane@example.com"' -o jane.ndjson
    """
    import os
    from pathlib import Path
    from typing import BinaryIO

    from auth0_logq.engine import custody

    mirror = _open_mirror(ctx)
    to_file = output is not None and output != "-"
    progress = _StageProgress("export")

    def run(stream: "BinaryIO") -> "custody.ExportManifest":
        try:
            return _run_query(lambda: custody.export(mirror, stream, query, fmt=fmt, reflow=reflow, progress=progress))  # type: ignore[arg-type]
        except custody.ExportError as error:
            raise click.ClickException(str(error)) from None
        finally:
            progress.finish()

    if to_file:
        assert output is not None
        partial = Path(f"{output}.partial")
        try:
            with open(partial, "wb") as stream:
                manifest = run(stream)
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        manifest_path = manifest_path or f"{output}.manifest.json"
    else:
        sys.stdout.flush()
        manifest = run(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    manifest.output = output if to_file else "<stdout>"
    if manifest_path:
        Path(manifest_path).write_text(manifest.to_json(), encoding="utf-8")
    where = f" to {output}" if to_file else ""
    kept = f"; manifest {manifest_path}" if manifest_path else ""
    click.echo(f"exported {manifest.events:,} events{where} ({manifest.bytes:,} bytes, sha256 {manifest.sha256}){kept}", err=True)
    if manifest.reflowed:
        click.echo(f"  {manifest.reflowed:,} multi-line events were put on one line (--reflow)", err=True)


@cli.command()
@click.argument("log_id")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def provenance(ctx: click.Context, log_id: str, as_json: bool) -> None:
    """Show which imports brought the event LOG_ID, and any conflicting versions of it.

    Example:

        logq --db tenant.db provenance 90020261111235924925203000000000000001223372160006631768
    """
    from auth0_logq.engine import custody

    mirror = _open_mirror(ctx)
    found = custody.provenance(mirror, log_id)
    if found is None:
        raise click.ClickException(f"no event with log_id {log_id} in {ctx.obj['db']}")
    if as_json:
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return

    def describe(row: dict) -> str:
        return f"import #{row['id']} {row['started_at']} {row['source']} ({row['format']}, sha256 {str(row['sha256'])[:12]}…)"

    click.echo(f"log_id:   {found.log_id} (row {found.row_id})")
    click.echo(f"added by: {describe(found.added_by) if found.added_by else 'an import made by schema 1 (not traceable)'}")
    for row in found.brought_again_by:
        click.echo(f"again by: {describe(row)}")
    if found.envelope:
        text = found.envelope["text"]
        click.echo(f"came as:  {found.envelope['shape']}" + (f", in the envelope {text}" if text else ""))
    for version in found.conflicts:
        where = f":{version['line']}" if version["line"] is not None else ""
        click.echo(f"conflicting version from import #{version['import_id']} {version['source']}{where}:\n  {version['json']}")


def _indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line if line else line for line in text.splitlines())


def main() -> None:  # pragma: no cover - console entry point
    cli()
