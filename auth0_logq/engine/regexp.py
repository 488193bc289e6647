"""Lucene ``RegExp`` syntax, as Elasticsearch's ``query_string`` uses it, as Python ``re``.

Contract
--------
* :func:`translate` takes the text between the slashes of a ``/regex/`` query and returns a Python
  pattern that, used with :func:`re.fullmatch`, accepts exactly the strings Lucene's automaton
  accepts. Lucene regexes always match the *whole* value; there are no anchors, lazy quantifiers,
  groups or look-arounds, and every character that is not an operator is literal (``^``, ``$``).
* :func:`check_complexity` rebuilds the automaton the way Lucene does and counts the "effort" of
  ``Operations.determinize``; Elasticsearch refuses the query past ``10 * work_limit``.
* :func:`validate` (index.max_regex_length + translate + complexity) is what the query parser calls.
* Every rejection is a :class:`RegexpError` with a message and a 0-based index into the pattern.

Dialect. ES ``QueryStringQueryParser.getRegexpQuery`` first collapses stacked quantifiers
(``AutomatonQueries.collapseConsecutiveQuantifiers``: ``x+?`` -> ``x*``), then builds
``RegexpQuery(term, RegExp.ALL | RegExp.DEPRECATED_COMPLEMENT, matchFlags=0, work limit 10000)``.
So ``&`` (intersection), ``~`` (complement), ``#`` (empty language), ``@`` (any string),
``<n-m>`` (numeric interval) and ``<name>`` (named automaton; ES has none, so an error) are all on.
The parser below mirrors Lucene 10's ``RegExp`` method by method, quirks included: an operator
where an operand is expected is a literal (``(?:x)`` means the string ``?:x``), ``\\d \\s \\w``
are ASCII-only, ``\\`` before any other letter is an error, and ``#*`` matches nothing at all
(``Operations.repeat`` returns the empty automaton unchanged).

How. The parser produces a small tree; :func:`_emit` writes it out as Python syntax, except for
``&`` and ``~``, which Python cannot express inside a larger pattern (no variable-length
look-behind): for those the sub-automaton is determinized, minimized and turned into a regex by
state elimination. The automaton layer reproduces Lucene 10's ``Operations`` state by state,
because ``determinize`` charges effort per state and the limit must trip where Lucene's does
(the corpus's ``[ac]*a[ac]{50,200}`` gives Lucene's exact "202 states and 403 transitions").

Not reproduced exactly: positions count code points (Java counts UTF-16 units) and refer to the
pattern as typed, before quantifier collapsing; automata over ``_STATE_BUDGET`` states, ``&``/``~``
whose regex would be huge, and nesting deeper than Python's recursion limit are refused here
though Lucene would build them; and Python's backtracking matcher can be slow on pathological
patterns where Lucene's DFA is not. Escaped characters in a class follow Lucene main (``[\\.-z]``
is three characters; older Lucene read a range there).
"""

from __future__ import annotations

from .java import parse_int

import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "DEFAULT_WORK_LIMIT",
    "MAX_REGEX_LENGTH",
    "RegexpError",
    "check_complexity",
    "compile_regexp",
    "translate",
    "validate",
]

DEFAULT_WORK_LIMIT = 10_000  # Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, ES max_determinized_states
MAX_REGEX_LENGTH = 1_000  # ES index.max_regex_length default
MAX_CODE_POINT = 0x10FFFF
_INT_MAX = 2**31 - 1
_STATE_BUDGET = 250_000  # our guard: Python cannot build Lucene-sized automata in reasonable time
_ELIMINATION_BUDGET = 2_000  # states of an &/~ sub-automaton we are willing to turn into a regex
_NOTHING = "(?!)"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_PREDEFINED: dict[str, tuple[tuple[int, int], ...]] = {  # RegExp.expandPreDefined (ASCII only)
    "d": ((48, 57),),
    "D": ((0, 47), (58, MAX_CODE_POINT)),
    "s": ((9, 10), (13, 13), (32, 32)),
    "S": ((0, 8), (11, 12), (14, 31), (33, MAX_CODE_POINT)),
    "w": ((48, 57), (65, 90), (95, 95), (97, 122)),
    "W": ((0, 47), (58, 64), (91, 94), (96, 96), (123, MAX_CODE_POINT)),
}


class RegexpError(ValueError):
    """A regex Lucene or Elasticsearch refuses; ``position`` indexes the offending character."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class _Node:
    """Parsed regex. kind: union concat inter opt star min minmax compl string class empty
    anystring named interval. A single character is a one-character ``string``."""

    kind: str
    subs: tuple[_Node, ...] = ()
    text: str = ""
    ranges: tuple[tuple[int, int], ...] = ()
    lo: int = 0
    hi: int = 0
    digits: int = 0
    pos: int = 0


# --------------------------------------------------------------------------- parsing


def _collapse_quantifiers(pattern: str) -> tuple[str, list[int]]:
    """ES ``collapseConsecutiveQuantifiers``; also returns, per output char, its input index."""
    out: list[str] = []
    origin: list[int] = []
    in_class = in_quote = prev_quant = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out += [c, pattern[i + 1]]
            origin += [i, i + 1]
            i += 2
            prev_quant = False
            continue
        if in_quote or in_class:
            in_quote = in_quote and c != '"'
            in_class = in_class and c != "]"
            prev_quant = False
        elif c in "+*?":
            if prev_quant:  # same operator twice stays, any mixed pair means "*"
                out[-1] = c if out[-1] == c else "*"
                i += 1
                continue
            prev_quant = True
        else:
            in_quote, in_class, prev_quant = c == '"', c == "[", False
        out.append(c)
        origin.append(i)
        i += 1
    origin.append(len(pattern))
    return "".join(out), origin


class _Parser:
    """Mirror of Lucene's recursive-descent ``RegExp`` parser, so errors land where Lucene's do."""

    def __init__(self, text: str, origin: list[int]) -> None:
        self.text, self.origin, self.pos = text, origin, 0

    def fail(self, message: str, at: int | None = None) -> RegexpError:
        where = self.origin[self.pos if at is None else at]  # report in the caller's coordinates
        return RegexpError(message.replace("{pos}", str(where)), where)

    def more(self) -> bool:
        return self.pos < len(self.text)

    def peek(self, chars: str) -> bool:
        return self.more() and self.text[self.pos] in chars

    def match(self, char: str) -> bool:
        if self.peek(char):
            self.pos += 1
            return True
        return False

    def next(self) -> str:
        if not self.more():
            raise self.fail("unexpected end-of-string")
        self.pos += 1
        return self.text[self.pos - 1]

    def parse(self) -> _Node:
        if not self.text:
            return _Node("string")
        node = self.union()
        if self.more():
            raise self.fail("end-of-string expected at position {pos}")
        return node

    def union(self) -> _Node:
        subs = [self.inter()]
        while self.match("|"):
            subs.append(self.inter())
        return _flat("union", subs)

    def inter(self) -> _Node:
        node = self.concat()
        while self.match("&"):
            node = _Node("inter", (node, self.concat()))
        return node

    def concat(self) -> _Node:
        subs = [self.repeat()]
        while self.more() and not self.peek(")|&"):
            subs.append(self.repeat())
        return _flat("concat", subs)

    def repeat(self) -> _Node:
        node = self.complement()
        while self.peek("?*+{"):
            op_at, op = self.pos, self.next()
            if op == "?":
                node = _Node("opt", (node,))
            elif op == "*":
                node = _Node("star", (node,))
            elif op == "+":
                node = _Node("min", (node,), lo=1)
            else:
                low = self.integer()
                if low is None:
                    raise self.fail("integer expected at position {pos}")
                high = self.integer() if self.match(",") else low
                if not self.match("}"):
                    raise self.fail("expected '}' at position {pos}")
                if high is not None and low > high:
                    raise self.fail(f"invalid repetition range(out of order): {low}..{high}", op_at)
                node = (
                    _Node("min", (node,), lo=low)
                    if high is None
                    else _Node("minmax", (node,), lo=low, hi=high)
                )
        return node

    def integer(self) -> int | None:
        start = self.pos
        while self.peek("0123456789"):
            self.pos += 1
        if start == self.pos:
            return None
        value = int(self.text[start : self.pos])
        if value > _INT_MAX:  # Integer.parseInt overflow: a NumberFormatException in Java
            raise self.fail(f'For input string: "{self.text[start:self.pos]}"', start)
        return value

    def complement(self) -> _Node:
        if self.match("~"):
            return _Node("compl", (self.complement(),))
        return self.char_class()

    def char_class(self) -> _Node:
        if not self.match("["):
            return self.simple()
        negate = self.match("^")
        ranges = self.class_items()
        if negate:  # Lucene: intersection(anyChar, complement(class)), i.e. the other code points
            ranges = _complement_ranges(ranges)
        if not self.match("]"):
            raise self.fail("expected ']' at position {pos}")
        return _Node("class", ranges=ranges)

    def class_items(self) -> tuple[tuple[int, int], ...]:
        items: list[tuple[int, int, int]] = []
        while True:
            at = self.pos
            if self.match("\\"):
                if self.peek("\\" + _LETTERS):
                    items += [(lo, hi, at) for lo, hi in self.predefined()]
                else:  # an escaped character never starts a range in Lucene 10
                    code = ord(self.next())
                    items.append((code, code, at))
            else:
                code = ord(self.next())
                if self.match("-"):
                    self.match("\\")
                    items.append((code, ord(self.next()), at))
                else:
                    items.append((code, code, at))
            if not (self.more() and not self.peek("]")):
                break
        for lo, hi, at in items:  # Lucene checks the ranges only once the class is read
            if lo > hi:
                raise self.fail(f"invalid range: from ({lo}) cannot be > to ({hi})", at)
        return tuple((lo, hi) for lo, hi, _ in items)

    def predefined(self) -> tuple[tuple[int, int], ...]:
        char = self.next()
        if char == "\\":
            return ((92, 92),)
        if char in _PREDEFINED:
            return _PREDEFINED[char]
        raise self.fail(
            f"invalid character class \\{char}: the only letters allowed after a backslash are "
            "d, D, s, S, w and W (other letters need no escaping)",
            self.pos - 2,
        )

    def simple(self) -> _Node:
        at = self.pos
        if self.match("."):
            return _Node("class", ranges=((0, MAX_CODE_POINT),))
        if self.match("#"):
            return _Node("empty")
        if self.match("@"):
            return _Node("anystring")
        if self.match('"'):
            while self.more() and not self.peek('"'):
                self.pos += 1
            if not self.match('"'):
                raise self.fail("expected '\"' at position {pos}")
            return _Node("string", text=self.text[at + 1 : self.pos - 1])
        if self.match("("):
            if self.match(")"):
                return _Node("string")
            node = self.union()
            if not self.match(")"):
                raise self.fail("expected ')' at position {pos}")
            return node
        if self.match("<"):
            return self.angle(at)
        if self.match("\\") and self.peek("\\" + _LETTERS):
            return _Node("class", ranges=self.predefined())
        return _Node("string", text=self.next())  # the backslash, if any, is already consumed

    def angle(self, at: int) -> _Node:
        while self.more() and not self.peek(">"):
            self.pos += 1
        if not self.match(">"):
            raise self.fail("expected '>' at position {pos}")
        body = self.text[at + 1 : self.pos - 1]
        dash = body.find("-")
        if dash == -1:
            return _Node("named", text=body, pos=self.origin[at])
        low = parse_int(body[:dash]) if 0 < dash == body.rfind("-") else None
        high = parse_int(body[dash + 1 :]) if low is not None else None
        if low is None or high is None:
            raise self.fail("interval syntax error at position {pos}", self.pos - 1)
        digits = dash if dash == len(body) - dash - 1 else 0  # same width: fixed, zero-padded
        return _Node("interval", lo=min(low, high), hi=max(low, high), digits=digits)


def _flat(kind: str, subs: list[_Node]) -> _Node:
    """Lucene's findLeaves: nested unions (or concatenations) are one n-ary operation."""
    if len(subs) == 1:
        return subs[0]
    return _Node(kind, tuple(x for s in subs for x in (s.subs if s.kind == kind else (s,))))


@lru_cache(maxsize=512)
def _parse(pattern: str) -> _Node:
    text, origin = _collapse_quantifiers(pattern)
    try:
        return _Parser(text, origin).parse()
    except RecursionError:
        raise RegexpError("the regex is nested too deeply", 0) from None


def _merge_ranges(ranges: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _complement_ranges(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    gaps, nxt = [], 0
    for lo, hi in _merge_ranges(ranges):
        if lo > nxt:
            gaps.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= MAX_CODE_POINT:
        gaps.append((nxt, MAX_CODE_POINT))
    return tuple(gaps)


# --------------------------------------------------------------------------- automata
# Only the *structure* of these automata matters (which states exist and where their
# transitions lead): that is what determinize's effort counts. So each operation below
# reproduces Lucene 10's Operations/Automata state by state, but not transition order.

Edge = tuple[int, int, int]  # (min code point, max code point, destination state)


class _Automaton:
    __slots__ = ("accept", "edges")

    def __init__(self) -> None:
        self.accept: list[bool] = []
        self.edges: list[list[Edge]] = []

    @property
    def size(self) -> int:
        return len(self.accept)

    def add_state(self, accept: bool = False) -> int:
        _budget(self.size + 1)
        self.accept.append(accept)
        self.edges.append([])
        return self.size - 1

    def copy_from(self, other: _Automaton) -> int:
        offset = self.size
        _budget(offset + other.size)
        self.accept += other.accept
        self.edges += [[(lo, hi, d + offset) for lo, hi, d in es] for es in other.edges]
        return offset


def _budget(states: int) -> None:
    if states > _STATE_BUDGET:
        raise RegexpError(
            f"the regex is too large: its automaton needs more than {_STATE_BUDGET} states", 0
        )


def _chain(text: str) -> _Automaton:
    a = _Automaton()
    state = a.add_state()
    for ch in text:
        nxt = a.add_state()
        a.edges[state].append((ord(ch), ord(ch), nxt))
        state = nxt
    a.accept[state] = True
    return a


def _char_set(ranges: tuple[tuple[int, int], ...]) -> _Automaton:
    a = _Automaton()
    if ranges:
        a.add_state()
        a.add_state(True)
        a.edges[0] = [(lo, hi, 1) for lo, hi in ranges]
    return a


def _remove_dead(a: _Automaton) -> _Automaton:
    """Keep states reachable from 0 that can reach an accept state (Operations.removeDeadStates)."""
    n = a.size
    reach, stack = [False] * n, [0] if n else []
    for s in stack:
        reach[s] = True
    while stack:
        for _, _, d in a.edges[stack.pop()]:
            if not reach[d]:
                reach[d] = True
                stack.append(d)
    preds: list[list[int]] = [[] for _ in range(n)]
    for s, es in enumerate(a.edges):
        for _, _, d in es:
            preds[d].append(s)
    live, stack = list(a.accept), [s for s in range(n) if a.accept[s]]
    while stack:
        for p in preds[stack.pop()]:
            if not live[p]:
                live[p] = True
                stack.append(p)
    keep = [s for s in range(n) if reach[s] and live[s]]
    if len(keep) == n:
        return a
    return _renumber(a, {s: i for i, s in enumerate(keep)})


def _renumber(a: _Automaton, mapping: dict[int, int]) -> _Automaton:
    out = _Automaton()
    for _ in range(max(mapping.values(), default=-1) + 1):
        out.add_state()
    for s, new in mapping.items():
        out.accept[new] = out.accept[new] or a.accept[s]
        out.edges[new] += [(lo, hi, mapping[d]) for lo, hi, d in a.edges[s] if d in mapping]
    return out


def _merge_final_accepts(a: _Automaton) -> _Automaton:
    """Operations.mergeAcceptStatesWithNoTransition: all dead-end accept states become one."""
    finals = [s for s in range(a.size) if a.accept[s] and not a.edges[s]]
    if len(finals) <= 1:
        return a
    keep, drop = finals[0], set(finals[1:])
    mapping: dict[int, int] = {}
    for s in range(a.size):
        if s not in drop:
            mapping[s] = len(mapping)
    mapping.update({s: mapping[keep] for s in drop})
    return _renumber(a, mapping)


def _concatenate(parts: list[_Automaton]) -> _Automaton:
    if any(p.size == 0 for p in parts):
        return _Automaton()
    _budget(sum(p.size for p in parts))
    out, offsets = _Automaton(), []
    for p in parts:
        offsets.append(out.size)
        for _ in range(p.size):
            out.add_state()
    for i, p in enumerate(parts):
        for s in range(p.size):
            edges = out.edges[offsets[i] + s]
            edges += [(lo, hi, d + offsets[i]) for lo, hi, d in p.edges[s]]
            j = i + 1
            while p.accept[s]:  # "virtual epsilon" to the next part, through nullable parts
                if j == len(parts):
                    out.accept[offsets[i] + s] = True
                    break
                edges += [(lo, hi, d + offsets[j]) for lo, hi, d in parts[j].edges[0]]
                if not parts[j].accept[0]:
                    break
                j += 1
    return _remove_dead(out)


def _union(parts: list[_Automaton]) -> _Automaton:
    out = _Automaton()
    out.add_state()
    for p in parts:
        offset = out.copy_from(p)
        if p.size:
            out.edges[0] += [(lo, hi, d + offset) for lo, hi, d in p.edges[0]]
            out.accept[0] = out.accept[0] or p.accept[0]
    return _merge_final_accepts(_remove_dead(out))


def _optional(a: _Automaton) -> _Automaton:
    if a.size and a.accept[0]:
        return a
    out = _Automaton()
    if not any(d == 0 for es in a.edges for _, _, d in es):
        out.copy_from(a)
        if out.size == 0:
            out.add_state()
        out.accept[0] = True
        return out
    out.add_state(True)
    offset = out.copy_from(a)
    out.edges[0] += [(lo, hi, d + offset) for lo, hi, d in a.edges[0]]
    return out


def _star(a: _Automaton) -> _Automaton:
    if a.size == 0 or (a.accept[0] and sum(a.accept) == 1):
        return a  # includes Lucene's quirk: the star of the empty language stays empty
    out = _Automaton()
    out.add_state(True)
    smap = [
        out.add_state() if not a.accept[s] else out.add_state(True) if a.edges[s] else 0
        for s in range(a.size)
    ]
    for s in range(a.size):
        out.edges[smap[s]] += [(lo, hi, smap[d]) for lo, hi, d in a.edges[s]]
    restart = [(lo, hi, smap[d]) for lo, hi, d in a.edges[0]]
    out.edges[0] += restart
    for s in range(a.size):
        if a.accept[s] and smap[s] != 0:
            out.edges[smap[s]] += restart
    return _remove_dead(out)


def _repeat_min(a: _Automaton, low: int) -> _Automaton:
    if low == 0:
        return _star(a)
    _budget(a.size * (low + 1))
    return _concatenate([a] * low + [_star(a)])


def _repeat_minmax(a: _Automaton, low: int, high: int) -> _Automaton:
    _budget(a.size * max(high, 1))
    if low == 0:
        b = _Automaton()
        b.add_state(True)
    else:
        b = a if low == 1 else _concatenate([a] * low)
    out = _Automaton()
    out.copy_from(b)
    prev = [s for s in range(b.size) if b.accept[s]]
    for _ in range(low, high):
        offset = out.copy_from(a)
        first = out.edges[offset] if a.size else []
        for s in prev:
            out.edges[s] += first
            out.accept[s] = out.accept[s] or (a.size > 0 and a.accept[0])
        prev = [offset + s for s in range(a.size) if a.accept[s]]
    return _remove_dead(out)


def _intersection(a: _Automaton, b: _Automaton) -> _Automaton:
    if a.size == 0:
        return a
    if b.size == 0:
        return b
    out = _Automaton()
    index = {(0, 0): out.add_state()}
    queue = deque([(0, 0)])
    while queue:
        s1, s2 = pair = queue.popleft()
        src = index[pair]
        out.accept[src] = a.accept[s1] and b.accept[s2]
        for lo1, hi1, d1 in a.edges[s1]:
            for lo2, hi2, d2 in b.edges[s2]:
                if max(lo1, lo2) <= min(hi1, hi2):
                    if (d1, d2) not in index:
                        index[(d1, d2)] = out.add_state()
                        queue.append((d1, d2))
                    out.edges[src].append((max(lo1, lo2), min(hi1, hi2), index[(d1, d2)]))
    return _remove_dead(out)


def _complement(a: _Automaton) -> _Automaton:
    """Deprecated ``~``: determinize (always with the default limit), totalize, flip."""
    d = _determinize(a, DEFAULT_WORK_LIMIT)
    out = _Automaton()
    for s in range(d.size):
        out.add_state(not d.accept[s])
    dead = out.add_state(True)
    out.edges[dead].append((0, MAX_CODE_POINT, dead))
    for s in range(d.size):
        nxt = 0
        for lo, hi, dst in sorted(d.edges[s]):
            out.edges[s].append((lo, hi, dst))
            if lo > nxt:
                out.edges[s].append((nxt, lo - 1, dead))
            nxt = max(nxt, hi + 1)
        if nxt <= MAX_CODE_POINT:
            out.edges[s].append((nxt, MAX_CODE_POINT, dead))
    return _remove_dead(out)


def _decimal_interval(low: int, high: int, digits: int) -> _Automaton:
    """Automata.makeDecimalInterval: fixed width if ``digits``, else any number of leading 0s."""
    width = digits if digits > 0 else len(str(high))
    x, y = str(low).zfill(width), str(high).zfill(width)
    a = _Automaton()
    if digits <= 0:
        a.add_state()  # the real initial state, wired up at the end
    initials: list[int] = []

    def arc(s: int, lo: str, hi: str, dest: int) -> None:
        a.edges[s].append((ord(lo), ord(hi), dest))

    def any_of_length(n: int) -> int:
        first = state = a.add_state(n == width)
        for _ in range(n, width):
            nxt = a.add_state()
            arc(state, "0", "9", nxt)
            state = nxt
        a.accept[state] = True
        return first

    def bounded(bound: str, n: int, zeros: bool, at_least: bool) -> int:
        first = state = a.add_state(n == width)
        for i in range(n, width):
            if zeros and at_least:
                initials.append(state)
            c = bound[i]
            nxt = a.add_state(i + 1 == width)
            arc(state, c, c, nxt)
            if at_least and c < "9":
                arc(state, chr(ord(c) + 1), "9", any_of_length(i + 1))
            if not at_least and c > "0":
                arc(state, "0", chr(ord(c) - 1), any_of_length(i + 1))
            zeros, state = zeros and c == "0", nxt
        return first

    zeros, state = digits <= 0, a.add_state(width == 0)
    for i in range(width):
        if zeros:
            initials.append(state)
        cx, cy = x[i], y[i]
        if cx == cy:
            nxt = a.add_state(i + 1 == width)
            arc(state, cx, cx, nxt)
            zeros, state = zeros and cx == "0", nxt
            continue
        arc(state, cx, cx, bounded(x, i + 1, zeros and cx == "0", True))
        arc(state, cy, cy, bounded(y, i + 1, False, False))
        if ord(cx) + 1 < ord(cy):
            arc(state, chr(ord(cx) + 1), chr(ord(cy) - 1), any_of_length(i + 1))
        break
    if digits <= 0:
        a.edges[0].append((48, 48, 0))
        for p in initials:
            a.edges[0] += a.edges[p]
            a.accept[0] = a.accept[0] or a.accept[p]
    return a


def _build(node: _Node) -> _Automaton:
    """RegExp.toAutomaton: the NFA Lucene hands to determinize."""
    kind = node.kind
    if kind == "string":
        return _chain(node.text)
    if kind == "class":
        return _char_set(node.ranges)
    if kind == "empty":
        return _Automaton()
    if kind == "anystring":
        a = _Automaton()
        a.add_state(True)
        a.edges[0].append((0, MAX_CODE_POINT, 0))
        return a
    if kind == "interval":
        return _decimal_interval(node.lo, node.hi, node.digits)
    if kind == "named":
        raise RegexpError(
            f"'{node.text}' not found: <{node.text}> names an automaton and none are defined",
            node.pos,
        )
    if kind == "union":
        return _union([_build(s) for s in node.subs])
    if kind == "concat":
        return _concatenate([_build(s) for s in node.subs])
    if kind == "inter":
        return _intersection(_build(node.subs[0]), _build(node.subs[1]))
    sub = _build(node.subs[0])
    if kind == "opt":
        return _optional(sub)
    if kind == "star":
        return _star(sub)
    if kind == "min":
        return _repeat_min(sub, node.lo)
    if kind == "minmax":
        return _repeat_minmax(sub, node.lo, node.hi)
    return _complement(sub)


def _normalized(edges: list[Edge]) -> list[Edge]:
    """Automaton.finishCurrentState: merge same-destination ranges, sort by (min, max, dest)."""
    merged: list[Edge] = []
    for lo, hi, d in sorted(edges, key=lambda e: (e[2], e[0], e[1])):
        if merged and merged[-1][2] == d and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]), d)
        else:
            merged.append((lo, hi, d))
    return sorted(merged)


def _is_deterministic(a: _Automaton) -> bool:
    for edges in a.edges:
        if len(edges) > 1:
            norm = _normalized(edges)
            if any(norm[i + 1][0] <= norm[i][1] for i in range(len(norm) - 1)):
                return False
    return True


def _determinize(a: _Automaton, work_limit: int) -> _Automaton:
    """Operations.determinize: subset construction from {0}, charging |subset| per DFA state."""
    if a.size <= 1 or _is_deterministic(a):
        return a
    effort, limit = 0, work_limit * 10  # LUCENE-9981: effort limit is ten times the work limit
    out = _Automaton()
    out.add_state(a.accept[0])
    index: dict[tuple[int, ...], int] = {(0,): 0}
    queue = deque([(0,)])
    while queue:
        subset = queue.popleft()
        effort += len(subset)
        if effort >= limit:
            transitions = sum(len(_normalized(es)) for es in a.edges)
            raise RegexpError(
                f"Determinizing automaton with {a.size} states and {transitions} transitions "
                f"would require more than {work_limit} effort.",
                0,
            )
        starts: dict[int, list[int]] = {}
        ends: dict[int, list[int]] = {}
        for s in subset:
            for lo, hi, d in a.edges[s]:
                starts.setdefault(lo, []).append(d)
                ends.setdefault(hi + 1, []).append(d)
        active: dict[int, int] = {}
        last = -1
        for point in sorted(starts.keys() | ends.keys()):
            if active:
                key = tuple(sorted(active))
                if key not in index:
                    index[key] = out.add_state(any(a.accept[s] for s in key))
                    queue.append(key)
                out.edges[index[subset]].append((last, point - 1, index[key]))
            for d in ends.get(point, ()):
                active[d] -= 1
                if not active[d]:
                    del active[d]
            for d in starts.get(point, ()):
                active[d] = active.get(d, 0) + 1
            last = point
    return out


# --------------------------------------------------------------------------- Python regex


def _is_void(node: _Node) -> bool:
    """Does the node's automaton accept nothing (Lucene then has zero states)?"""
    kind = node.kind
    if kind in ("string", "anystring", "interval", "opt", "named"):
        return False
    if kind == "empty":
        return True
    if kind == "class":
        return not node.ranges
    if kind == "union":
        return all(_is_void(s) for s in node.subs)
    if kind == "concat":
        return any(_is_void(s) for s in node.subs)
    if kind in ("star", "min"):
        return _is_void(node.subs[0])
    if kind == "minmax":
        return node.lo > 0 and _is_void(node.subs[0])
    return _build(node).size == 0


def _class_regex(ranges: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    merged = _merge_ranges(tuple(ranges))
    if not merged:
        return _NOTHING
    if merged == [(0, MAX_CODE_POINT)]:
        return "(?s:.)"
    if len(merged) == 1 and merged[0][0] == merged[0][1]:
        return _esc(merged[0][0])
    negated = merged[0][0] == 0 and merged[-1][1] == MAX_CODE_POINT
    listed = _merge_ranges(_complement_ranges(tuple(merged))) if negated else merged
    body = "".join(_esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}" for lo, hi in listed)
    return f"[^{body}]" if negated else f"[{body}]"


def _esc(code: int) -> str:
    """One code point as a pattern literal, usable inside and outside ``[...]``."""
    char = chr(code)
    if code < 0x80:
        return re.escape(char) if char.isprintable() else f"\\x{code:02x}"
    if char.isprintable():
        return char
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_ATOM = re.compile(  # one escaped or plain character, one [...] class, or any-char
    r"\\x..|\\u.{4}|\\U.{8}|\\.|[^\\()\[\]|*+?{}]|\[(?:\\.|[^\\\]])+\]|\(\?s:\.\)", re.S
)


def _group(body: str) -> str:
    """``body`` ready for a quantifier: single atoms stay bare, anything else gets (?:...)."""
    return body if _ATOM.fullmatch(body) else f"(?:{body})"


def _digits(n: int) -> str:
    return "" if n == 0 else "[0-9]" if n == 1 else f"[0-9]{{{n}}}"


def _digit_range(first: str, last: str) -> str:
    return first if first == last else f"[{first}-{last}]"


def _bound_regex(bound: str, at_least: bool) -> str:
    """Digit strings as long as ``bound`` whose value is >= it (``at_least``) or <= it."""
    if not bound:
        return ""
    head, rest = bound[0], bound[1:]
    edge = "9" if at_least else "0"
    if rest == ("0" if at_least else "9") * len(rest):  # the rest is unconstrained
        return _digit_range(*sorted((head, edge))) + _digits(len(rest))
    first = head + _bound_regex(rest, at_least)
    if head == edge:
        return first
    step = chr(ord(head) + (1 if at_least else -1))
    return f"(?:{first}|{_digit_range(*sorted((step, edge)))}{_digits(len(rest))})"


def _fixed_width_regex(x: str, y: str) -> str:
    """Digit strings of len(x) == len(y) whose value lies in [x, y]."""
    i = 0
    while i < len(x) and x[i] == y[i]:
        i += 1
    if i == len(x):
        return x
    cx, cy, xs, ys = x[i], y[i], x[i + 1 :], y[i + 1 :]
    low_full, high_full = xs == "0" * len(xs), ys == "9" * len(ys)
    first = cx if low_full else chr(ord(cx) + 1)
    last = cy if high_full else chr(ord(cy) - 1)
    alts = [] if low_full else [cx + _bound_regex(xs, True)]
    if first <= last:
        alts.append(_digit_range(first, last) + _digits(len(xs)))
    if not high_full:
        alts.append(cy + _bound_regex(ys, False))
    return x[:i] + (alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")")


def _interval_regex(low: int, high: int, digits: int) -> str:
    if digits > 0:
        return _fixed_width_regex(str(low).zfill(digits), str(high).zfill(digits))
    alts = []  # any number of leading zeros, then the value written without them
    for width in range(len(str(low)), len(str(high)) + 1):
        a, b = max(low, 10 ** (width - 1) if width > 1 else 0), min(high, 10**width - 1)
        if a <= b:
            alts.append(_fixed_width_regex(str(a), str(b)))
    return "0*" + (alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")")


def _automaton_regex(a: _Automaton) -> str:
    """State elimination; used only for & and ~, which Python's re cannot express directly.

    Works on the minimal DFA when it is affordable: fewer states make a much shorter regex.
    """
    try:
        a = _minimize(_determinize(a, 10 * DEFAULT_WORK_LIMIT))
    except RegexpError:
        a = _remove_dead(a)
    if a.size == 0:
        return _NOTHING
    if a.size > _ELIMINATION_BUDGET:
        raise RegexpError("the regex is too complex to translate (& or ~ on a large automaton)", 0)
    start, final = a.size, a.size + 1
    succ: dict[int, dict[int, str]] = {s: {} for s in range(a.size + 2)}
    pred: dict[int, set[int]] = {s: set() for s in range(a.size + 2)}

    def link(p: int, q: int, regex: str) -> None:
        old = succ[p].get(q)
        succ[p][q] = regex if old is None or old == regex else f"(?:{old}|{regex})"
        pred[q].add(p)

    for s, edges in enumerate(a.edges):
        by_dest: dict[int, list[tuple[int, int]]] = {}
        for lo, hi, d in edges:
            by_dest.setdefault(d, []).append((lo, hi))
        for d, ranges in by_dest.items():
            link(s, d, _class_regex(ranges))
        if a.accept[s]:
            link(s, final, "")
    link(start, 0, "")
    remaining = set(range(a.size))
    while remaining:
        k = min(remaining, key=lambda s: (_elimination_weight(s, succ, pred), s))
        remaining.remove(k)
        loop = succ[k].pop(k, None)
        pred[k].discard(k)
        star = "" if loop is None else f"{_group(loop)}*"
        ins = [(p, succ[p].pop(k)) for p in pred.pop(k)]
        outs = list(succ.pop(k).items())
        for q, _ in outs:
            pred[q].discard(k)
        for p, into in ins:
            for q, out_of in outs:
                link(p, q, into + star + out_of)
                if len(succ[p][q]) > 1_000_000:
                    raise RegexpError("the regex is too complex to translate (& or ~)", 0)
    return succ[start].get(final, _NOTHING)


def _minimize(a: _Automaton) -> _Automaton:
    """Moore partition refinement of a DFA; a missing transition goes to the implicit dead state."""
    a = _remove_dead(a)
    block, count = [int(x) for x in a.accept], len(set(a.accept))
    while a.size:
        signatures: dict[tuple[object, ...], int] = {}
        refined = [
            signatures.setdefault(_signature(a, s, block), len(signatures)) for s in range(a.size)
        ]
        block, stable = refined, len(signatures) == count
        count = len(signatures)
        if stable:
            break
    keep: dict[int, int] = {}  # block -> representative state, the initial state's block first
    for s in range(a.size):
        keep.setdefault(block[s], s)
    ids = {b: i for i, b in enumerate(keep)}
    out = _Automaton()
    for b, rep in keep.items():
        out.add_state(a.accept[rep])
    for b, rep in keep.items():
        out.edges[ids[b]] = [(lo, hi, ids[block[d]]) for lo, hi, d in a.edges[rep]]
    return out


def _signature(a: _Automaton, s: int, block: list[int]) -> tuple[object, ...]:
    moves: list[tuple[int, int, int]] = []
    for lo, hi, d in sorted(a.edges[s]):
        if moves and moves[-1][2] == block[d] and moves[-1][1] + 1 == lo:
            moves[-1] = (moves[-1][0], hi, block[d])
        else:
            moves.append((lo, hi, block[d]))
    return (block[s], *moves)


def _elimination_weight(k: int, succ: dict[int, dict[int, str]], pred: dict[int, set[int]]) -> int:
    """How much regex text removing state k adds (the Delgado-Morais heuristic)."""
    ins = [len(succ[p][k]) for p in pred[k] if p != k]
    outs = [len(r) for q, r in succ[k].items() if q != k]
    loop = len(succ[k].get(k, ""))
    n_in, n_out = len(ins), len(outs)
    return sum(ins) * (n_out - 1) + sum(outs) * (n_in - 1) + loop * (n_in * n_out - 1)


def _emit(node: _Node) -> str:
    kind = node.kind
    if kind == "string":
        return "".join(_esc(ord(ch)) for ch in node.text)
    if kind == "class":
        return _class_regex(node.ranges)
    if kind == "empty":
        return _NOTHING
    if kind == "anystring":
        return "(?s:.*)"
    if kind == "interval":
        return _interval_regex(node.lo, node.hi, node.digits)
    if kind in ("named", "inter", "compl"):
        return _automaton_regex(_build(node))
    if kind == "union":
        return "(?:" + "|".join(_emit(s) for s in node.subs) + ")"
    if kind == "concat":
        return "".join(_emit(s) for s in node.subs)
    body = _group(_emit(node.subs[0]))
    if kind == "opt":
        return f"{body}?"
    if kind == "minmax":
        return body + (f"{{{node.lo}}}" if node.lo == node.hi else f"{{{node.lo},{node.hi}}}")
    if node.lo == 0 and _is_void(node.subs[0]):  # star / {0,} of nothing stays nothing in Lucene
        return _NOTHING
    return f"{body}*" if node.lo == 0 else f"{body}+" if node.lo == 1 else f"{body}{{{node.lo},}}"


# --------------------------------------------------------------------------- public API


def translate(pattern: str) -> str:
    """Python regex source accepting (with ``re.fullmatch``) exactly what Lucene accepts."""
    node = _parse(pattern)
    try:
        return _emit(node)
    except RecursionError:
        raise RegexpError("the regex is nested too deeply", 0) from None


@lru_cache(maxsize=256)
def compile_regexp(pattern: str) -> re.Pattern[str]:
    """Compiled :func:`translate`; use ``.fullmatch``. Does not run the complexity check."""
    source = translate(pattern)
    try:
        return re.compile(source)
    except (re.error, RecursionError, OverflowError) as exc:
        raise RegexpError(f"the regex cannot be compiled here: {exc}", 0) from None


def check_complexity(pattern: str, work_limit: int = DEFAULT_WORK_LIMIT) -> None:
    """Raise like Lucene's TooComplexToDeterminizeException if determinizing needs too much effort.

    Builds the same NFA as Lucene 10 (RegExp.toAutomaton) and runs the same subset construction,
    charging the size of every subset it creates; fails once the total reaches ``10 * work_limit``.
    """
    verdict = _complexity_verdict(pattern, work_limit)
    if verdict is not None:
        raise RegexpError(*verdict)


@lru_cache(maxsize=512)
def _complexity_verdict(pattern: str, work_limit: int) -> tuple[str, int] | None:
    try:
        _determinize(_build(_parse(pattern)), work_limit)
    except RegexpError as error:
        return error.message, error.position
    except RecursionError:
        return "the regex is nested too deeply", 0
    return None


def validate(
    pattern: str, work_limit: int = DEFAULT_WORK_LIMIT, max_length: int | None = MAX_REGEX_LENGTH
) -> None:
    """Everything ES checks for a ``/regex/`` in query_string: length, syntax, complexity."""
    if max_length is not None:
        units = 0  # ES measures String.length(), i.e. UTF-16 code units
        for i, ch in enumerate(pattern):
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > max_length:
                total = units + sum(2 if ord(c) > 0xFFFF else 1 for c in pattern[i + 1 :])
                raise RegexpError(
                    f"The length of regex [{total}] used in the [query_string] has exceeded the "
                    f"allowed maximum of [{max_length}]. This maximum can be set by changing the "
                    "[index.max_regex_length] index level setting.",
                    i,
                )
    translate(pattern)
    check_complexity(pattern, work_limit)
