"""Where the statements of Python source start, found without parsing.

A batch scan needs only the statements that hold a candidate rule's keywords
(plus the file's leading imports for import-adding fixes, and a few statements
before for `before` predicates). Tree-sitter can parse just those byte ranges
(`included_ranges`) for a fraction of the whole file's cost. The units are
top-level statements and, inside a class, the statements of its body: a class
is parsed as its header and the body statements that matter.

The cut points must be exact. A line starts a top-level statement when it is
at bracket depth 0, outside every string and comment, not continued from the
line before by a backslash, and begins with a character that starts a
statement: not whitespace, not `#`, not a clause that continues a compound
statement (else, elif, except, finally). A class body's statements start the
same way after exactly the body's indentation. A decorated definition is one
statement with its decorators. One regex pass over the bytes finds strings,
comments, continuations and candidate line starts; the bracket depth is
counted in the stretches between them. When the lexer is unsure (a string
left open, brackets that do not balance), it offers no cut points, and a
caller parses the whole file; a caller also checks that the partial tree has
no syntax errors and that each range starts a statement.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from dataclasses import dataclass
from itertools import accumulate, compress, count, repeat

# Strings (triple-quoted first), comments, backslash continuations, and newlines
# followed by a character that can start a top-level statement.
_TOKEN = re.compile(
    rb'("""(?:[^"\\]++|\\.|"(?!""))*+"""'
    rb"|'''(?:[^'\\]++|\\.|'(?!''))*+'''"
    rb'|"(?:[^"\\\n]++|\\.)*+"'
    rb"|'(?:[^'\\\n]++|\\.)*+'"
    rb"|\#[^\n]*+"
    rb"|\\\r?\n"
    rb"|\n(?![ \t\f\v\r\n#]|(?:else|elif|except|finally)\b))",
    re.DOTALL,
)
# A statement that may belong to the leading block `insecure._import_edit` reads:
# an import, or a string (a docstring), after blank and comment lines.
_HEAD_STATEMENT = re.compile(rb"(?:[ \t\f\v\r\n]++|\#[^\n]*+)*+(?:(?:import|from)\b|[rRbBuUfF]{0,2}[\"'])")


@dataclass(frozen=True, slots=True)
class Lexed:
    """Where the lexer pass put strings and comments, and the bracket depth between them."""

    data: bytes
    ends: list[int]  # end offset of each part: gap, token, gap, ..., gap
    depth: list[int]  # bracket depth after each gap

    def depth_at(self, pos: int) -> int:
        """Bracket depth at byte `pos`; -1 inside a string, comment or continuation."""
        k = bisect.bisect_right(self.ends, pos)
        if k % 2:
            return -1
        start = self.ends[k - 1] if k else 0
        before = self.depth[k // 2 - 1] if k else 0
        seg = self.data[start:pos]
        return before + sum(seg.count(c) for c in b"([{") - sum(seg.count(c) for c in b")]}")


@dataclass(frozen=True, slots=True)
class Units:
    """Top-level statements: unit i runs from offsets[i] (row rows[i], column 0) to the
    next unit's start or the end of the data. Unit 0 starts at the file's start and
    holds any leading blank and comment lines. heads[i]: where the statement itself
    starts, after its decorators."""

    offsets: list[int]
    rows: list[int]
    heads: list[int]
    lexed: Lexed

    @property
    def size(self) -> int:
        return len(self.lexed.data)

    def unit_of_row(self, row: int) -> int:
        return bisect.bisect_right(self.rows, row) - 1

    def end(self, i: int) -> int:
        return self.offsets[i + 1] if i + 1 < len(self.offsets) else self.size

    def end_row(self, i: int) -> int:
        return self.rows[i + 1] if i + 1 < len(self.offsets) else -1

    def head(self, data: bytes) -> int:
        """Index of the last unit `_import_edit` may read: the leading imports and
        docstring, and the first statement after them."""
        for i, off in enumerate(self.offsets):
            if not _HEAD_STATEMENT.match(data, off):
                return i
        return len(self.offsets) - 1

    def members(self, i: int) -> tuple[list[int], list[int]] | None:
        """When unit i is a class whose body is an indented block: the line starts of the
        body's statements (decorators merged) and their rows; else None."""
        lexed, data = self.lexed, self.lexed.data
        if not _CLASS.match(data, self.heads[i]):
            return None
        end = self.end(i)
        pos = self.heads[i]
        while True:  # the header ends at the first newline outside strings and brackets
            nl = data.find(b"\n", pos, end)
            if nl == -1:
                return None
            if lexed.depth_at(nl) == 0:
                break
            pos = nl + 1
        first = _BLANK_LINES.match(data, nl + 1, end).end()  # type: ignore[union-attr]
        indent = _INDENT.match(data, first, end).group()  # type: ignore[union-attr]
        if first >= end or not indent:
            return None  # a one-line class
        starts = [first]
        for m in _member_line(indent).finditer(data, first, end):
            if lexed.depth_at(m.start()) == 0:
                starts.append(m.start() + 1)
        starts = [s for k, s in enumerate(starts) if k == 0 or data[starts[k - 1] + len(indent)] != 64]  # "@"
        rows, row, prev = [], self.rows[i], self.offsets[i]
        for s in starts:
            row += data.count(b"\n", prev, s)
            rows.append(row)
            prev = s
        return starts, rows


_CLASS = re.compile(rb"class\b")
_BLANK_LINES = re.compile(rb"(?:[ \t\f\v]*+(?:\#[^\n]*+)?\r?\n)*+")
_INDENT = re.compile(rb"[ \t]*+")


@functools.lru_cache(maxsize=64)
def _member_line(indent: bytes) -> re.Pattern[bytes]:
    """A newline before a statement at exactly this indentation."""
    return re.compile(rb"\n" + re.escape(indent) + rb"(?![ \t\f\v\r\n#]|(?:else|elif|except|finally)\b)")


def statement_units(data: bytes) -> Units | None:
    """The top-level statements of Python source (UTF-8 bytes); None when the lexer
    cannot vouch for the cut points."""
    parts = _TOKEN.split(data)
    gaps, tokens = parts[0::2], parts[1::2]
    if any(map(operator.contains, gaps, repeat(b'"'))) or any(map(operator.contains, gaps, repeat(b"'"))):
        return None  # a quote no string pattern took: a string left open
    opened = map(operator.add, map(operator.add, map(bytes.count, gaps, repeat(b"(")),
                                   map(bytes.count, gaps, repeat(b"["))), map(bytes.count, gaps, repeat(b"{")))
    closed = map(operator.add, map(operator.add, map(bytes.count, gaps, repeat(b")")),
                                   map(bytes.count, gaps, repeat(b"]"))), map(bytes.count, gaps, repeat(b"}")))
    depth = list(accumulate(map(operator.sub, opened, closed)))  # depth[i]: after gaps[i], before tokens[i]
    if depth[-1] != 0 or min(depth) < 0:
        return None
    ends = list(accumulate(map(len, parts)))
    offsets, rows = [0], [0]
    row = 0
    for i in compress(count(), map(operator.eq, tokens, repeat(b"\n"))):
        if depth[i] == 0 and ends[2 * i + 1] < len(data):
            row += data.count(b"\n", offsets[-1], ends[2 * i + 1])
            offsets.append(ends[2 * i + 1])
            rows.append(row)
    # decorators and the definition they decorate are one statement
    keep = [k for k in range(len(offsets)) if k == 0 or data[offsets[k - 1]: offsets[k - 1] + 1] != b"@"]
    heads = [offsets[keep[j + 1] - 1] if j + 1 < len(keep) else offsets[-1] for j in range(len(keep))]
    return Units([offsets[k] for k in keep], [rows[k] for k in keep], heads, Lexed(data, ends, depth))


def spans(
    units: Units, data: bytes, rows: list[int], before: int, head: bool, split_classes: bool = True
) -> list[tuple[int, int, int, int]]:
    """Byte ranges to parse, merged, as (start byte, start row, end byte, end row or -1 for
    the end of the data): the units holding `rows`, `before` units before each of them,
    and with `head` the leading block of imports. With `split_classes`, a class holding
    rows contributes its header and the body statements holding them (with `before`
    statements before each) instead of its whole body."""
    whole: set[int] = set()
    picked: dict[int, set[int]] = {}
    members: dict[int, tuple[list[int], list[int]] | None] = {}
    for row in rows:
        u = units.unit_of_row(row)
        whole.update(range(max(0, u - before), u))
        if u not in members:
            members[u] = units.members(u) if split_classes else None
        mem = members[u]
        k = -1 if mem is None else bisect.bisect_right(mem[1], row) - 1
        if mem is None or k < 0:
            whole.add(u)  # not a class, or a row of its header
        else:
            picked.setdefault(u, set()).update(range(max(0, k - before), k + 1))
    if head:
        whole.update(range(units.head(data) + 1))
    pieces: list[tuple[int, int, int, int]] = [
        (units.offsets[u], units.rows[u], units.end(u), units.end_row(u)) for u in whole
    ]
    for u, ks in picked.items():
        if u in whole:
            continue
        mem = members[u]
        assert mem is not None
        starts, mrows = mem
        pieces.append((units.offsets[u], units.rows[u], starts[0], mrows[0]))  # the class header
        for k in ks:
            last = k + 1 == len(starts)
            pieces.append((starts[k], mrows[k], units.end(u) if last else starts[k + 1],
                           units.end_row(u) if last else mrows[k + 1]))
    out: list[tuple[int, int, int, int]] = []
    for piece in sorted(pieces):
        if out and out[-1][2] == piece[0]:
            out[-1] = (out[-1][0], out[-1][1], piece[2], piece[3])
        else:
            out.append(piece)
    return out
