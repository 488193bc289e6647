"""Parse Auth0 log-search query strings into the AST, exactly as Elasticsearch's `query_string` does.

This is the only module that imports lark. The grammar (`auth0_logq/grammar/query.lark`) produces
a flat clause list per group; this module then applies what Lucene's `QueryParser` and
Elasticsearch's `QueryStringQueryParser` do in Java code rather than in the grammar:

* `MultiTerm`: a run of bare words with no operator between them is ONE value (`new york` is the
  value "new york"), because split_on_whitespace is false and log fields are not tokenised;
* `addClause`: AND / OR / NOT / + / - assembled left to right with no precedence;
* `discardEscapeChar`: backslash escapes and `\\uXXXX`;
* the ES hooks: empty query = no hits, `_exists_:f`, `f:*` = exists, `*:*` = everything, the
  `>`, `>=`, `<`, `<=` shorthand, `*` as an open range end, fuzzy AUTO distances.

`parse()` returns a `ParsedQuery` with the AST, warnings about queries that probably do not mean
what their author thinks, and the list of syntax features used (for Auth0's strict rules).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Literal, Sequence

from typing import TYPE_CHECKING

from . import ast
from .java import float32
from .errors import QueryError, QuerySyntaxError, QueryValueError, QueryWarning

if TYPE_CHECKING:
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput

DefaultOperator = Literal["OR", "AND"]


@dataclass(frozen=True)
class ParseOptions:
    """How to read a query.

    `default_operator`: what stands between clauses with no operator (Elasticsearch and Lucene
    default to OR; Auth0 does not document one, so OR).
    `bare_comparisons`: whether `>10` written without a field is a range. Elasticsearch only does
    this when there is a single default field; Auth0 searches seven, so it is off by default
    (`>10` is then the literal value ">10").
    """

    default_operator: DefaultOperator = "OR"
    bare_comparisons: bool = False


@dataclass(frozen=True)
class SyntaxUse:
    """One use of a syntax feature, with where it is (for strict checks and explanations)."""

    feature: str
    span: ast.Span
    text: str
    value: str | None = None  # the decoded value where it differs from the source text


@dataclass(frozen=True)
class ParsedQuery:
    """The result of parsing: the query's meaning plus what the parser noticed on the way."""

    text: str
    query: ast.Query
    options: ParseOptions = field(default_factory=ParseOptions)
    warnings: tuple[QueryWarning, ...] = ()
    syntax: tuple[SyntaxUse, ...] = ()


@functools.lru_cache(maxsize=2)
def _lark(strict: bool = False) -> "Lark":
    """The LALR parser, built once per process (`strict` proves the terminals are disjoint).

    lark is imported here, on the first parse, so commands that parse nothing start faster.
    """
    from lark import Lark

    return Lark.open_from_package(
        "auth0_logq.grammar",
        "query.lark",
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        strict=strict,
        cache=not strict,
    )


def grammar_is_strict() -> bool:
    """Build the grammar with Lark's strict mode (no conflicts, no terminal collisions)."""
    _lark(strict=True)
    return True


_JAVA_WHITESPACE = "".join(chr(c) for c in range(0x21))


def parse(text: str, options: ParseOptions | None = None) -> ParsedQuery:
    """Parse `text` into a `ParsedQuery`, or raise a `QueryError` with the column of the problem."""
    options = options or ParseOptions()
    # Elasticsearch answers an empty or blank query (Java's trim(): every char <= U+0020) with no
    # hits instead of a parse error.
    if not text.strip(_JAVA_WHITESPACE):
        return ParsedQuery(text, ast.MatchNone(span=ast.Span(0, len(text))), options)
    parser = _lark()
    from lark.exceptions import UnexpectedInput

    try:
        tree = parser.parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    builder = _Builder(text, options)
    query = builder.query(tree.children[0], None)
    return ParsedQuery(text, query, options, tuple(builder.warnings), tuple(builder.syntax))


# --------------------------------------------------------------------------------------------
# Escapes


def discard_escapes(text: str, query: str, offset: int) -> str:
    """Lucene's `discardEscapeChar`: `\\x` is `x`, `\\uXXXX` a UTF-16 code unit.

    `offset` is where `text` starts in `query`, so errors point at the bad escape.
    """
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= len(text):
            raise QueryValueError("a value cannot end with a backslash (it escapes nothing)", query, offset + i)
        nxt = text[i + 1]
        if nxt != "u":
            out.append(nxt)
            i += 2
            continue
        digits = text[i + 2 : i + 6]
        for k, d in enumerate(digits):
            if d not in "0123456789abcdefABCDEF":
                raise QueryValueError(
                    f"'{d}' is not a hexadecimal digit in the Unicode escape \\u{digits}",
                    query,
                    offset + i + 2 + k,
                )
        if len(digits) < 4:
            raise QueryValueError("truncated Unicode escape: \\u needs four hexadecimal digits", query, offset + i, 2 + len(digits))
        out.append(chr(int(digits, 16)))
        i += 6
    decoded = "".join(out)
    # \uD83D\uDE00 is one character in Java's UTF-16 strings; pair surrogates the same way here.
    if any("\ud800" <= c <= "\udfff" for c in decoded):
        decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return decoded


def java_float(text: str) -> float:
    """Java's `Float.parseFloat` of a boost: the value rounded to single precision."""
    return float32(float(text))


# --------------------------------------------------------------------------------------------
# Tree -> AST


def _is_tree(node: object) -> bool:
    return hasattr(node, "data") and hasattr(node, "children")


def _span(node: "Tree | Token") -> ast.Span:
    if isinstance(node, str):  # a lark Token is a str
        return ast.Span(node.start_pos or 0, node.end_pos or 0)
    return ast.Span(node.meta.start_pos, node.meta.end_pos)


def _join(a: ast.Span, b: ast.Span) -> ast.Span:
    return ast.Span(min(a.start, b.start), max(a.end, b.end))


@dataclass
class _Item:
    """One `[conjunction] [modifier] clause` of a group, before boolean assembly."""

    conj: Token | None
    mod: Token | None
    clause: Tree

    @property
    def field_token(self) -> Token | None:
        first = self.clause.children[0]
        return first.children[0] if _is_tree(first) and first.data == "field" else None

    @property
    def body(self) -> Tree:
        return self.clause.children[-1]

    def bare_word(self) -> Token | None:
        """The TERM token if this clause is one plain word: no operator, field, boost or `~`."""
        if self.conj is not None or self.mod is not None or self.field_token is not None:
            return None
        body = self.body
        if body.data != "term" or len(body.children) != 1:
            return None
        inner = body.children[0]
        if _is_tree(inner) and inner.data == "bare_token" and inner.children[0].type == "TERM":
            return inner.children[0]
        return None

    def starts_with_star(self) -> bool:
        token = self.field_token
        if token is not None:
            return token.type == "STAR"
        inner = self.body.children[0]
        return _is_tree(inner) and inner.data == "bare_token" and inner.children[0].type == "STAR"


_LOWERCASE_OPERATORS = {"and": "AND", "or": "OR", "not": "NOT"}


class _Builder:
    """Walks the parse tree of one query, building the AST and collecting warnings."""

    def __init__(self, text: str, options: ParseOptions):
        self.text = text
        self.options = options
        self.warnings: list[QueryWarning] = []
        self.syntax: list[SyntaxUse] = []

    # -- bookkeeping ---------------------------------------------------------------------------

    def use(self, feature: str, node: Tree | Token | ast.Span, value: str | None = None) -> None:
        span = node if isinstance(node, ast.Span) else _span(node)
        self.syntax.append(SyntaxUse(feature, span, self.text[span.start : span.end], value))

    def warn(self, code: str, message: str, span: ast.Span) -> None:
        self.warnings.append(QueryWarning(code, message, span.start, max(span.end - span.start, 1)))

    # -- groups --------------------------------------------------------------------------------

    def query(self, tree: Tree, group_field: str | None) -> ast.Query:
        """Lucene's `Query()` production: one group, assembled as `addClause` does."""
        items: list[_Item] = []
        for child in tree.children:
            conj = mod = None
            for part in child.children[:-1]:
                if part.data == "conjunction":
                    conj = part.children[0]
                else:
                    mod = part.children[0]
            items.append(_Item(conj, mod, child.children[-1]))
            for token in (conj, mod):
                if token is not None:
                    self.use(f"operator {token}", token)
        self._note_operators(items)

        clauses: list[ast.Clause] = []
        first_query: ast.Query | None = None
        i = 0
        while i < len(items):
            end = self._multi_term_end(items, i)
            if end > i:
                words = [items[k].bare_word() for k in range(i, end + 1)]
                q = self._multi_term(words, group_field)  # type: ignore[arg-type]
                self._add_multi_term_clause(clauses, q)
                first_query = q if i == 0 else first_query
                i = end + 1
                continue
            item = items[i]
            q = self.clause(item.clause, group_field)
            self._add_clause(clauses, item.conj, item.mod, q, _span(item.clause))
            if i == 0 and item.mod is None:
                first_query = q
            i += 1
        if len(clauses) == 1 and first_query is not None:
            return first_query
        return ast.BooleanQuery(tuple(clauses), span=_span(tree))

    @staticmethod
    def _multi_term_end(items: Sequence[_Item], start: int) -> int:
        """Last index of the bare-word run starting at `start` that Lucene merges into one value.

        Lucene's `MultiTerm` takes each next bare word unless the token after that word is one of
        `: * ~ ^ AND OR`; those tokens make the last word a clause of its own. (`:` and `~`/`^`
        are already outside the run here: they make the word a field name or give it a suffix.)
        Returns `start` when there is nothing to merge.
        """
        if items[start].bare_word() is None:
            return start
        end = start
        while end + 1 < len(items) and items[end + 1].bare_word() is not None:
            end += 1
        if end + 1 < len(items):
            follower = items[end + 1]
            if follower.conj is not None or (follower.mod is None and follower.starts_with_star()):
                end -= 1
        return end if end > start else start

    def _multi_term(self, words: list[Token], group_field: str | None) -> ast.Query:
        raw = " ".join(str(w) for w in words)
        span = _join(_span(words[0]), _span(words[-1]))
        # Escapes are decoded on the joined text, as Lucene does; report errors at the right word.
        for w in words:
            discard_escapes(str(w), self.text, w.start_pos or 0)
        value = discard_escapes(raw, raw, 0)
        if group_field is None:
            self.warn(
                "multi_word_value",
                f"the words {raw!r} are searched as the single value \"{value}\": Lucene does not split "
                "on whitespace and log fields are not tokenised. Put OR or AND between words to search each.",
                span,
            )
        for w in words:
            self._note_lowercase_operator(w)
        return self._field_query(group_field, value, quoted=False, span=span)

    def _add_clause(
        self, clauses: list[ast.Clause], conj: Token | None, mod: Token | None, q: ast.Query, span: ast.Span
    ) -> None:
        """Lucene's `QueryParserBase.addClause`, for either default operator."""
        conj_type = conj.type if conj is not None else None
        if clauses and conj_type == "AND" and clauses[-1].occur is not ast.Occur.MUST_NOT:
            clauses[-1] = ast.Clause(ast.Occur.MUST, clauses[-1].query, span=clauses[-1].span)
        if self.options.default_operator == "AND" and clauses and conj_type == "OR":
            if clauses[-1].occur is not ast.Occur.MUST_NOT:
                clauses[-1] = ast.Clause(ast.Occur.SHOULD, clauses[-1].query, span=clauses[-1].span)
        prohibited = mod is not None and mod.type in ("MINUS", "NOT")
        if self.options.default_operator == "OR":
            required = (mod is not None and mod.type == "PLUS") or (conj_type == "AND" and not prohibited)
        else:
            required = not prohibited and conj_type != "OR"
        occur = ast.Occur.MUST_NOT if prohibited else ast.Occur.MUST if required else ast.Occur.SHOULD
        start = mod if mod is not None else conj
        clause_span = _join(_span(start), span) if start is not None else span
        clauses.append(ast.Clause(occur, q, span=clause_span))

    def _add_multi_term_clause(self, clauses: list[ast.Clause], q: ast.Query) -> None:
        """Lucene's `addMultiTermClauses`: the merged words join with the default operator."""
        occur = ast.Occur.SHOULD if self.options.default_operator == "OR" else ast.Occur.MUST
        clauses.append(ast.Clause(occur, q, span=getattr(q, "span", None)))

    # -- clauses and terms ---------------------------------------------------------------------

    def clause(self, tree: Tree, group_field: str | None) -> ast.Query:
        field_name = group_field
        if len(tree.children) == 2:
            name_token = tree.children[0].children[0]
            field_name = "*" if name_token.type == "STAR" else discard_escapes(str(name_token), self.text, name_token.start_pos)
            self.use("field", name_token, field_name)
            if "*" in field_name and not _is_bare_star(tree.children[-1]):
                self.use("field_pattern", name_token)
        body = tree.children[-1]
        if body.data == "group":
            inner = self.query(body.children[1], field_name)
            boost = body.children[3] if len(body.children) == 4 else None
            return self._boost(inner, boost, _span(tree))
        return self.term(body, field_name, _span(tree))

    def term(self, tree: Tree, field_name: str | None, span: ast.Span) -> ast.Query:
        first = tree.children[0]
        if _is_tree(first) and first.data == "range":
            boost = tree.children[1] if len(tree.children) == 2 else None
            return self._boost(self._range(first, field_name, span), boost, span)
        boost_tok: Token | None = None
        slop_tok: Token | None = None
        if len(tree.children) == 2:
            for tok in tree.children[1].children:
                if tok.type == "BOOST":
                    boost_tok = tok
                else:
                    slop_tok = tok
        if isinstance(first, str):  # a QUOTED token
            value = discard_escapes(first[1:-1], self.text, (first.start_pos or 0) + 1)
            if slop_tok is not None:
                # Slop is a phrase's word distance; a keyword field holds one token, so it changes nothing.
                self.use("proximity", slop_tok)
            return self._boost(self._field_query(field_name, value, quoted=True, span=span), boost_tok, span)
        token: Token = first.children[0]
        query = self._bare_token(token, slop_tok, field_name, span)
        return self._boost(query, boost_tok, span)

    def _bare_token(self, token: Token, slop: Token | None, field_name: str | None, span: ast.Span) -> ast.Query:
        """Lucene's `handleBareTokenQuery`: wildcard, then prefix, then regex, then fuzzy, then term."""
        kind = token.type
        start = token.start_pos or 0
        if kind in ("STAR", "WILDTERM"):
            if slop is not None:
                self._ignored_fuzzy(slop, "a wildcard")
            if str(token) == "*":
                return self._star(field_name, span)
            self.use("wildcard", token)
            if "?" in _unescaped_chars(str(token)):
                self.use("question_mark", token)
            return ast.Wildcard(field_name, str(token), span=span)
        if kind == "PREFIXTERM":
            if slop is not None:
                self._ignored_fuzzy(slop, "a prefix")
            self.use("prefix", token)
            return ast.Prefix(field_name, discard_escapes(str(token)[:-1], self.text, start), span=span)
        if kind == "REGEXPTERM":
            if slop is not None:
                self._ignored_fuzzy(slop, "a regular expression")
            self.use("regex", token)
            pattern = str(token)[1:-1]
            from .regexp import RegexpError
            from .regexp import validate as validate_regexp

            try:
                validate_regexp(pattern)
            except RegexpError as exc:
                raise QueryValueError(
                    f"invalid regular expression: {exc.message}", self.text, start + 1 + exc.position
                ) from None
            self._note_glued_regex(token)
            return ast.Regexp(field_name, pattern, span=span)
        # TERM or BAREOPER (`a - b`: the lone operator is searched as a value)
        if kind == "BAREOPER":
            value = str(token)[0]
            self.use("bare_operator", token)
        else:
            value = discard_escapes(str(token), self.text, start)
            self._note_lowercase_operator(token)
        if slop is not None:
            self.use("fuzzy", slop)
            from .fuzzy import FuzzyError, edits_from_slop

            try:
                edits = edits_from_slop(str(slop)[1:], value)
            except FuzzyError as exc:
                raise QueryValueError(f"invalid fuzzy distance: {exc}", self.text, slop.start_pos or 0, len(slop)) from None
            return ast.Fuzzy(field_name, value, edits, span=span)
        return self._field_query(field_name, value, quoted=False, span=span)

    def _star(self, field_name: str | None, span: ast.Span) -> ast.Query:
        """ES `getWildcardQuery(field, "*")`: everything for field `*`, else "the field exists"."""
        if field_name == "*":
            self.use("match_all", span)
            return ast.MatchAll(span=span)
        self.use("exists", span)
        return ast.Exists(field_name, span=span)

    def _field_query(self, field_name: str | None, value: str, *, quoted: bool, span: ast.Span) -> ast.Query:
        """ES `getFieldQuery`: `_exists_`, then (unquoted) the `>`/`<` shorthand, then a term."""
        if field_name == "_exists_":
            self.use("exists", span)
            return ast.Exists(value, span=span)
        if not quoted and len(value) > 1 and value[0] in "<>":
            if field_name is not None or self.options.bare_comparisons:
                self.use("comparison", span)
                return _comparison(field_name, value, span)
        return ast.Term(field_name, value, span=span)

    def _range(self, tree: Tree, field_name: str | None, span: ast.Span) -> ast.Query:
        start_tok, lo_tree, _to, hi_tree, end_tok = tree.children
        include_lower = start_tok.children[0].type == "RANGEIN_START"
        include_upper = end_tok.children[0].type == "RANGEIN_END"
        self.use("range", tree)
        return ast.Range(
            field_name, self._bound(lo_tree), self._bound(hi_tree), include_lower, include_upper, span=span
        )

    def _bound(self, tree: Tree) -> str | None:
        token: Token = tree.children[0]
        start = token.start_pos or 0
        if token.type == "RANGE_QUOTED":
            value = discard_escapes(str(token)[1:-1], self.text, start + 1)
        elif str(token) == "*":
            return None
        else:
            value = discard_escapes(str(token), self.text, start)
        # Elasticsearch treats a bound that reads `*` after unescaping (`\*`, `"*"`) as open too.
        return None if value == "*" else value

    def _boost(self, query: ast.Query, token: Token | None, span: ast.Span) -> ast.Query:
        if token is None:
            return query
        self.use("boost", token)
        return ast.Boost(query, java_float(str(token)[1:]), span=span)

    # -- warnings ------------------------------------------------------------------------------

    def _ignored_fuzzy(self, slop: Token, what: str) -> None:
        self.use("fuzzy", slop)
        self.warn("fuzzy_ignored", f"'{slop}' is ignored: {what} cannot also be fuzzy", _span(slop))

    def _note_lowercase_operator(self, token: Token) -> None:
        word = str(token)
        if word.lower() in _LOWERCASE_OPERATORS and word != word.upper():
            op = _LOWERCASE_OPERATORS[word.lower()]
            self.warn(
                "lowercase_operator",
                f"'{word}' is searched as a word, not as the operator {op}: operators must be upper case",
                _span(token),
            )

    def _note_glued_regex(self, token: Token) -> None:
        start, end = token.start_pos or 0, token.end_pos or 0
        before = self.text[start - 1] if start > 0 else " "
        after = self.text[end] if end < len(self.text) else " "
        if after not in " \t\n\r\u3000)^~" or before not in " \t\n\r\u3000(:+-!":
            self.warn(
                "slash_in_value",
                f"{token} is a regular expression: an unescaped '/' starts one. To search for a value "
                "containing '/', quote it (\"/var/log\") or escape each slash (\\/)",
                _span(token),
            )

    def _note_operators(self, items: Sequence[_Item]) -> None:
        conj_types = {item.conj.type for item in items if item.conj is not None}
        if {"AND", "OR"} <= conj_types:
            first_or = next(item.conj for item in items if item.conj is not None and item.conj.type == "OR")
            self.warn(
                "mixed_and_or",
                "AND and OR are mixed without parentheses: Lucene applies them left to right with no "
                "precedence (a AND b OR c means +a +b c, so c is optional). Add parentheses to say which you mean",
                _span(first_or),
            )
        for item in items:
            if item.conj is not None and item.conj.type == "OR" and item.mod is not None and item.mod.type in ("NOT", "MINUS"):
                self.warn(
                    "or_not",
                    f"'{item.conj} {item.mod}' does not mean 'or not': the clause is excluded from every "
                    "result (a OR NOT b means a AND NOT b). For 'a, or anything but b' write a OR (NOT b)",
                    _join(_span(item.conj), _span(item.mod)),
                )
        for prev, item in zip(items, items[1:]):
            if prev.field_token is not None and prev.field_token.type == "TERM" and item.bare_word() is not None:
                body = prev.body.children[0]
                if _is_tree(body) and body.data == "bare_token" and len(prev.body.children) == 1:
                    name = str(prev.field_token)
                    self.warn(
                        "field_scope",
                        f"'{name}:' applies only to '{body.children[0]}'; '{item.bare_word()}' is searched "
                        f"in the default fields. Quote the value ({name}:\"{body.children[0]} {item.bare_word()}\") "
                        f"or group it ({name}:({body.children[0]} {item.bare_word()}))",
                        _span(item.clause),
                    )


def _is_bare_star(body: Tree) -> bool:
    """`*` alone as a term (so `*:*` is match-all, not a field pattern)."""
    inner = body.children[0] if body.data == "term" else None
    return _is_tree(inner) and inner.data == "bare_token" and inner.children[0].type == "STAR"


def _unescaped_chars(raw: str) -> str:
    """The characters of raw token text that are not escaped."""
    return re.sub(r"\\[\s\S]", "", raw)


def _comparison(field_name: str | None, value: str, span: ast.Span) -> ast.Range:
    """ES's one-sided range shorthand: `>=x`, `>x`, `<=x`, `<x` (`>=` alone is `> "="`)."""
    if value[0] == ">":
        if len(value) > 2 and value[1] == "=":
            return ast.Range(field_name, value[2:], None, True, True, span=span)
        return ast.Range(field_name, value[1:], None, False, True, span=span)
    if len(value) > 2 and value[1] == "=":
        return ast.Range(field_name, None, value[2:], True, True, span=span)
    return ast.Range(field_name, None, value[1:], True, False, span=span)


# --------------------------------------------------------------------------------------------
# Errors in the user's words

_RANGE_TERMINALS = frozenset({"RANGE_TO", "RANGE_QUOTED", "RANGE_GOOP", "RANGEIN_END", "RANGEEX_END"})


@dataclass(frozen=True)
class _Lexeme:
    type: str
    text: str
    start: int
    in_range: bool


@functools.lru_cache(maxsize=1)
def _state_patterns() -> dict[bool, list[tuple[str, re.Pattern[str]]]]:
    """The grammar's own terminal regexes, split by JavaCC lexical state (False = DEFAULT)."""
    states: dict[bool, list[tuple[str, re.Pattern[str]]]] = {False: [], True: []}
    for terminal in _lark().terminals:
        pattern = re.compile(terminal.pattern.to_regexp())
        if terminal.name == "WS":
            states[False].append((terminal.name, pattern))
            states[True].append((terminal.name, pattern))
        else:
            states[terminal.name in _RANGE_TERMINALS].append((terminal.name, pattern))
    return states


def _scan(text: str) -> tuple[list[_Lexeme], int | None]:
    """Tokenise like JavaCC (for error messages only): the tokens, and where lexing failed."""
    states = _state_patterns()
    tokens: list[_Lexeme] = []
    pos, in_range = 0, False
    while pos < len(text):
        for name, pattern in states[in_range]:
            m = pattern.match(text, pos)
            if m:
                break
        else:
            return tokens, pos
        if name != "WS":
            tokens.append(_Lexeme(name, m.group(), pos, in_range))
        if name in ("RANGEIN_START", "RANGEEX_START"):
            in_range = True
        elif name in ("RANGEIN_END", "RANGEEX_END"):
            in_range = False
        pos = m.end()
    return tokens, None


_WORDS = {
    "AND": "'AND'",
    "OR": "'OR'",
    "NOT": "'NOT'",
    "PLUS": "'+'",
    "MINUS": "'-'",
    "COLON": "':'",
    "LPAR": "'('",
    "RPAR": "')'",
    "BOOST": "a boost",
    "FUZZY_SLOP": "'~'",
    "QUOTED": "a quoted phrase",
    "RANGE_TO": "'TO'",
    "RANGEIN_END": "']'",
    "RANGEEX_END": "'}'",
}


def _describe(lexeme: _Lexeme | None) -> str:
    if lexeme is None:
        return "the end of the query"
    if lexeme.type in ("AND", "OR", "NOT", "PLUS", "MINUS") and lexeme.text not in ("AND", "OR", "NOT", "+", "-"):
        return f"'{lexeme.text}'"
    return _WORDS.get(lexeme.type, f"'{lexeme.text}'")


def _syntax_error(text: str, exc: "UnexpectedInput") -> QueryError:
    """Turn a Lark exception into a `QuerySyntaxError` that speaks the user's words."""
    from lark.exceptions import UnexpectedToken

    tokens, lex_error = _scan(text)
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        pos = len(text)
    elif isinstance(exc, UnexpectedToken):
        pos = exc.token.start_pos or 0
    else:
        pos = getattr(exc, "pos_in_stream", None) or 0
    if lex_error is not None and lex_error <= pos:
        return _lexical_error(text, lex_error, tokens)
    token = next((t for t in tokens if t.start == pos), None)
    previous = next((t for t in reversed(tokens) if t.start < pos), None)
    prev_type = previous.type if previous is not None else None
    column = pos if token is not None else len(text)
    length = len(token.text) if token is not None else 1
    got = _describe(token)

    def err(message: str, hint: str | None = None) -> QuerySyntaxError:
        return QuerySyntaxError(message, text, column, length, hint)

    range_open = previous is not None and previous.type not in ("RANGEIN_END", "RANGEEX_END")
    if previous is not None and range_open and (previous.in_range or previous.type in ("RANGEIN_START", "RANGEEX_START")):
        # Where in `[ lower TO upper ]` the parser stopped: 0 after the bracket, 1 after the lower
        # bound, 2 after TO, 3 after the upper bound.
        opened = max(i for i, t in enumerate(tokens) if t.start <= previous.start and t.type in ("RANGEIN_START", "RANGEEX_START"))
        step = tokens.index(previous) - opened
        quote_hint = "quote a bound that contains a space, ']' or '}'"
        if step == 0:
            return err(f"a range starts with its lower bound, found {got}", "write [from TO to]; use * for an open end")
        if step == 1:
            return err(f"a range needs 'TO' between its bounds, found {got}", f"write [from TO to], with TO in upper case; {quote_hint}")
        if step == 2:
            return err(f"a range needs an upper bound after 'TO', found {got}", "use * for an open end: [2024-01-01 TO *]")
        return err(f"a range ends with ']' or '}}', found {got}", quote_hint)
    if token is None:  # the query ended too early
        if prev_type == "COLON":
            return err("expected a value after ':'", 'to search for an empty value write field:""')
        if prev_type in ("AND", "OR"):
            return err(f"the query ends after {_describe(previous)}: it needs a clause on both sides")
        if prev_type in ("PLUS", "MINUS", "NOT"):
            return err(f"the query ends after {_describe(previous)}: it needs a clause to apply to")
        if prev_type == "LPAR" or text.count("(") > text.count(")"):
            return err("a ')' is missing: every '(' needs a matching ')'")
        return err("the query ends too early")
    if token.type == "RPAR":
        if prev_type == "LPAR":
            return err("empty parentheses: a group needs at least one clause")
        if prev_type in ("AND", "OR", "PLUS", "MINUS", "NOT", "COLON"):
            return err(f"expected a clause after {_describe(previous)}, found ')'")
        return err("unbalanced ')': there is no '(' to close")
    if token.type == "COLON":
        if prev_type == "QUOTED":
            return err("a field name cannot be quoted", "escape special characters in a field name instead: first\\ name:x")
        if prev_type == "COLON":
            return err("expected a value after ':', found another ':'")
        if prev_type in ("AND", "OR", "NOT"):
            return err(f"{_describe(previous)} is an operator and cannot be a field name", "escape it: \\AND:value")
        return err(
            "a value cannot contain an unescaped ':'",
            'quote the value (field:"a:b") or escape the colon (field:a\\:b); a field name takes one colon',
        )
    if prev_type == "COLON" and token.type in ("PLUS", "MINUS", "NOT", "BAREOPER"):
        return err(
            f"{got} cannot follow ':'",
            "put the operator before the field (-field:value) or inside a group (field:(-value)); "
            "to search for a value starting with '-', escape it: field:\\-value",
        )
    if prev_type == "COLON" and token.type in ("AND", "OR"):
        return err(f"expected a value after ':', found the operator {got}", "escape it to search for the word: field:\\AND")
    if token.type in ("AND", "OR"):
        if prev_type is None or prev_type == "LPAR":
            return err(f"{got} needs a clause before it")
        if prev_type in ("AND", "OR"):
            return err(f"two operators in a row: {_describe(previous)} {got}")
        if prev_type in ("PLUS", "MINUS", "NOT"):
            return err(f"{got} cannot follow {_describe(previous)}")
    if token.type in ("PLUS", "MINUS", "NOT") and prev_type in ("PLUS", "MINUS", "NOT"):
        return err(f"two modifiers in a row: {_describe(previous)} {got}", "a clause takes at most one of + - NOT")
    if token.type in ("BOOST", "FUZZY_SLOP"):
        what = "a boost (^N)" if token.type == "BOOST" else "'~'"
        if prev_type in ("BOOST", "FUZZY_SLOP", "RANGEIN_END", "RANGEEX_END", "RPAR"):
            return err(f"{what} cannot be repeated or applied here", "a term takes at most one ^ and one ~; a range or group only ^")
        return err(f"{what} must follow a term", "escape it to search for the character: \\^ or \\~")
    return err(f"unexpected {got}")


def _lexical_error(text: str, pos: int, tokens: list[_Lexeme]) -> QuerySyntaxError:
    """No token can start at `pos`: say why in terms of the character found there."""
    ch = text[pos]
    in_range = bool(tokens) and tokens[-1].in_range and tokens[-1].type not in ("RANGEIN_END", "RANGEEX_END")
    in_range = in_range or (bool(tokens) and tokens[-1].type in ("RANGEIN_START", "RANGEEX_START"))
    run_end = pos
    while run_end < len(text) and text[run_end] not in " \t\n\r\u3000!():^[]\"{}~/":
        run_end += 2 if text[run_end] == "\\" else 1
    if run_end > len(text):
        return QuerySyntaxError(
            "the query ends with a lone backslash, which escapes nothing", text, len(text) - 1, 1, "write \\\\ for a literal backslash"
        )
    if ch == '"':
        return QuerySyntaxError("unterminated quoted phrase: a closing '\"' is missing", text, pos, 1, 'escape a literal quote as \\"')
    if ch == "/":
        hint = "quote values that contain '/' (\"https://example.com/x\") or escape each slash as \\/"
        if re.search(r"now[^/]*$", text[:pos]):
            hint = "date math needs its slash escaped (date:>=now-1d\\/d) or a range: date:[now-1d/d TO *]"
        return QuerySyntaxError("unterminated regular expression: an unescaped '/' starts one", text, pos, 1, hint)
    if ch == "^":
        return QuerySyntaxError("'^' must be followed directly by a number (a boost, as in term^2)", text, pos, 1, "escape it to search for the character: \\^")
    if ch in "]}" and not in_range:
        return QuerySyntaxError(f"unbalanced '{ch}': there is no range to close", text, pos, 1, f"escape it to search for the character: \\{ch}")
    return QuerySyntaxError(f"unexpected character {ch!r}", text, pos, 1)
