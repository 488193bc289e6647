"""Print an AST back out, in four forms.

* `to_query`: query text that parses back to the same AST (`parse(to_query(q)).query == q`), for
  the default OR operator. Used by `explain` and property-tested.
* `to_lucene`: Lucene's canonical `Query.toString(field)` form (`+type:fp -ip:1.2.3.4`), so a result
  can be compared with what Lucene itself prints. Pure-negative groups print as Lucene has them.
* `to_es_tree`: the structured form of the compatibility corpus (`Bool(+Term(f,"a") #MatchAll)`),
  with Elasticsearch's pure-negative fix shown as `#MatchAll`.
* `describe`: the effective boolean meaning in plain words, for people.
"""

from __future__ import annotations

import re

from . import ast
from .java import float_to_string

# --------------------------------------------------------------------------------------------
# Query text (round trip)

_SPECIAL = set(' \t\n\r\u3000+-!():^[]"{}~*?\\/&|<>=')
_KEYWORDS = {"AND", "OR", "NOT", "&&", "||"}
# Characters that can be written bare inside a word without changing the token.
_BARE_UNSAFE = re.compile(r'[ \t\n\r\u3000!():^\[\]"{}~*?\\/]')


def _plain_decimal(value: float) -> str:
    """A boost as the lexer accepts it: digits[.digits], no exponent."""
    text = float_to_string(value)
    if "e" in text or "E" in text:
        text = format(float(text), "f").rstrip("0").rstrip(".")
    return text


def escape(text: str) -> str:
    """Backslash-escape every character that is special anywhere in a term (and keyword words)."""
    if text in _KEYWORDS:
        return "\\" + text
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def quote(text: str) -> str:
    """A quoted phrase whose decoded value is `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(text: str) -> str:
    """A value as a bare word when that is safe and reads well, else quoted.

    Quoted values never trigger the `>`/`<` shorthand or `_exists_`, never merge with a
    neighbouring word, and never read as an operator.
    """
    if (
        text
        and not _BARE_UNSAFE.search(text)
        and text[0] not in "+-<>"
        and text not in _KEYWORDS
        and text != "TO"
    ):
        return text
    return quote(text)


def _field(name: str | None) -> str:
    if name is None:
        return ""
    if name == "*":
        return "*:"
    return escape(name) + ":"


def _bound(value: str | None) -> str:
    if value is None:
        return "*"
    return quote(value)


def to_query(query: ast.Query) -> str:
    """Query text for `query` that parses back to an equal AST."""
    if isinstance(query, ast.MatchNone):
        return ""
    if isinstance(query, ast.MatchAll):
        return "*:*"
    if isinstance(query, ast.Term):
        return _field(query.field) + _value(query.value)
    if isinstance(query, ast.Prefix):
        return _field(query.field) + escape(query.prefix) + "*"
    if isinstance(query, ast.Wildcard):
        return _field(query.field) + query.pattern
    if isinstance(query, ast.Regexp):
        return _field(query.field) + "/" + query.pattern + "/"
    if isinstance(query, ast.Fuzzy):
        return _field(query.field) + escape(query.value) + f"~{query.edits}"
    if isinstance(query, ast.Range):
        lo = "[" if query.include_lower else "{"
        hi = "]" if query.include_upper else "}"
        return f"{_field(query.field)}{lo}{_bound(query.lower)} TO {_bound(query.upper)}{hi}"
    if isinstance(query, ast.Exists):
        if query.field is None:
            return "*"
        return "_exists_:" + _value(query.field)
    if isinstance(query, ast.Boost):
        inner = query.query
        text = to_query(inner)
        if isinstance(inner, (ast.BooleanQuery, ast.Boost)):
            text = f"({text})"
        elif isinstance(inner, ast.Exists) and inner.field is not None:
            text = f"({text})"
        return f"{text}^{_plain_decimal(query.boost)}"
    if isinstance(query, ast.BooleanQuery):
        parts: list[str] = []
        previous: ast.Occur | None = None
        for clause in query.clauses:
            text = to_query(clause.query)
            if isinstance(clause.query, ast.BooleanQuery):
                text = f"({text})"
            # Two SHOULD clauses side by side could merge into one multi-word value; OR keeps
            # them apart and means the same under the default OR operator.
            if clause.occur is ast.Occur.SHOULD and previous is ast.Occur.SHOULD:
                parts.append("OR")
            parts.append(clause.occur.value + text)
            previous = clause.occur
        return " ".join(parts)
    raise TypeError(f"not a query node: {query!r}")


# --------------------------------------------------------------------------------------------
# Lucene's Query.toString(field)


def to_lucene(query: ast.Query, default_field: str | None = None) -> str:
    """Lucene's `toString(default_field)`: fields equal to `default_field` print without prefix."""

    def f(name: str | None) -> str:
        return "" if name is None or name == default_field else f"{name}:"

    if isinstance(query, ast.Term):
        return f(query.field) + query.value
    if isinstance(query, ast.Prefix):
        return f(query.field) + query.prefix + "*"
    if isinstance(query, ast.Wildcard):
        return f(query.field) + query.pattern
    if isinstance(query, ast.Regexp):
        return f(query.field) + "/" + query.pattern + "/"
    if isinstance(query, ast.Fuzzy):
        return f(query.field) + f"{query.value}~{query.edits}"
    if isinstance(query, ast.Range):
        lo = "*" if query.lower is None else ("\\*" if query.lower == "*" else query.lower)
        hi = "*" if query.upper is None else ("\\*" if query.upper == "*" else query.upper)
        return f"{f(query.field)}{'[' if query.include_lower else '{'}{lo} TO {hi}{']' if query.include_upper else '}'}"
    if isinstance(query, ast.Exists):
        return f"_exists_:{query.field if query.field is not None else default_field or '*'}"
    if isinstance(query, ast.MatchAll):
        return "*:*"
    if isinstance(query, ast.MatchNone):
        return 'MatchNoDocsQuery("")'
    if isinstance(query, ast.Boost):
        return f"({to_lucene(query.query, default_field)})^{float_to_string(query.boost)}"
    parts = []
    for clause in query.clauses:
        inner = to_lucene(clause.query, default_field)
        if isinstance(clause.query, ast.BooleanQuery):
            inner = f"({inner})"
        parts.append(clause.occur.value + inner)
    return " ".join(parts)


# --------------------------------------------------------------------------------------------
# The corpus's structured Elasticsearch form


def _java_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return '"' + escaped + '"'


def to_es_tree(query: ast.Query, default_field: str = "field") -> str:
    """The `es_kw_or` notation of the compatibility corpus (keyword analyzer, ES overrides)."""

    def fld(name: str | None) -> str:
        return default_field if name is None else name

    if isinstance(query, ast.Term):
        return f"Term({fld(query.field)},{_java_string(query.value)})"
    if isinstance(query, ast.Prefix):
        return f"Prefix({fld(query.field)},{_java_string(query.prefix)})"
    if isinstance(query, ast.Wildcard):
        return f"Wildcard({fld(query.field)},{_java_string(query.pattern)})"
    if isinstance(query, ast.Regexp):
        return f"Regexp({fld(query.field)},{_java_string(query.pattern)})"
    if isinstance(query, ast.Fuzzy):
        return f"Fuzzy({fld(query.field)},{_java_string(query.value)},edits={query.edits})"
    if isinstance(query, ast.Range):
        lo = "*" if query.lower is None else _java_string(query.lower)
        hi = "*" if query.upper is None else _java_string(query.upper)
        return f"Range({fld(query.field)},{'[' if query.include_lower else '{'}{lo} TO {hi}{']' if query.include_upper else '}'})"
    if isinstance(query, ast.Exists):
        return f"Exists({fld(query.field)})"
    if isinstance(query, ast.MatchAll):
        return "MatchAll"
    if isinstance(query, ast.MatchNone):
        return "MatchNone"
    if isinstance(query, ast.Boost):
        return f"Boost({to_es_tree(query.query, default_field)},{float_to_string(query.boost)})"
    parts = [c.occur.value + to_es_tree(c.query, default_field) for c in query.clauses]
    if query.pure_negative:
        parts.append("#MatchAll")
    return "Bool(" + " ".join(parts) + ")"


# --------------------------------------------------------------------------------------------
# Plain words


def _where(name: str | None) -> str:
    if name is None:
        return "any default field"
    if name == "*":
        return "any field"
    if "*" in name:
        return f"any field matching {name}"
    return name


def describe(query: ast.Query, indent: str = "") -> str:
    """The query's effective meaning, one condition per line, in plain words."""
    if isinstance(query, ast.Term):
        return f'{indent}{_where(query.field)} is exactly "{query.value}"'
    if isinstance(query, ast.Prefix):
        return f'{indent}{_where(query.field)} starts with "{query.prefix}"'
    if isinstance(query, ast.Wildcard):
        return f"{indent}{_where(query.field)} matches the wildcard pattern {query.pattern}"
    if isinstance(query, ast.Regexp):
        return f"{indent}{_where(query.field)} matches the regular expression /{query.pattern}/ (whole value)"
    if isinstance(query, ast.Fuzzy):
        return f'{indent}{_where(query.field)} is within {query.edits} edit(s) of "{query.value}"'
    if isinstance(query, ast.Range):
        parts = []
        if query.lower is not None:
            parts.append(f"{'>=' if query.include_lower else '>'} {query.lower}")
        if query.upper is not None:
            parts.append(f"{'<=' if query.include_upper else '<'} {query.upper}")
        bounds = " and ".join(parts) if parts else "any value"
        return f"{indent}{_where(query.field)} is {bounds}"
    if isinstance(query, ast.Exists):
        return f"{indent}{_where(query.field)} is present and not null"
    if isinstance(query, ast.MatchAll):
        return f"{indent}every log"
    if isinstance(query, ast.MatchNone):
        return f"{indent}no log (the query is empty)"
    if isinstance(query, ast.Boost):
        return describe(query.query, indent)
    must = [c for c in query.clauses if c.occur is ast.Occur.MUST]
    should = [c for c in query.clauses if c.occur is ast.Occur.SHOULD]
    must_not = [c for c in query.clauses if c.occur is ast.Occur.MUST_NOT]
    lines: list[str] = []
    sub = indent + "  "
    if must:
        lines.append(f"{indent}all of:")
        lines.extend(describe(c.query, sub + "- ") for c in must)
    if should and not must:
        lines.append(f"{indent}at least one of:")
        lines.extend(describe(c.query, sub + "- ") for c in should)
    if must_not:
        lines.append(f"{indent}and none of:" if (must or should) else f"{indent}every log except those matching any of:")
        lines.extend(describe(c.query, sub + "- ") for c in must_not)
    if should and must:
        lines.append(f"{indent}(optional, does not filter — Auth0 does not rank results:)")
        lines.extend(describe(c.query, sub + "- ") for c in should)
    return "\n".join(lines)


def ast_tree(query: ast.Query, indent: str = "") -> str:
    """The AST as an indented tree, one node per line (for `logq explain`)."""
    if isinstance(query, ast.BooleanQuery):
        head = f"{indent}BooleanQuery" + (" (pure negative: also matches every log not excluded)" if query.pure_negative else "")
        lines = [head]
        for clause in query.clauses:
            label = {ast.Occur.MUST: "MUST", ast.Occur.SHOULD: "SHOULD", ast.Occur.MUST_NOT: "MUST_NOT"}[clause.occur]
            lines.append(f"{indent}  {label}")
            lines.append(ast_tree(clause.query, indent + "    "))
        return "\n".join(lines)
    if isinstance(query, ast.Boost):
        return f"{indent}Boost {float_to_string(query.boost)}\n" + ast_tree(query.query, indent + "  ")
    return f"{indent}{query!r}"
