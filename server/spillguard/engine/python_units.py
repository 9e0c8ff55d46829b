"""Where the top-level statements of Python source start, found without parsing.

A batch scan needs only the top-level statements that hold a candidate rule's
keywords (plus the file's leading imports for import-adding fixes, and a few
statements before for `before` predicates). Tree-sitter can parse just those
byte ranges (`included_ranges`) for a fraction of the whole file's cost.

The cut points must be exact. A line starts a top-level statement when it is
at bracket depth 0, outside every string and comment, not continued from the
line before by a backslash, and begins with a character that starts a
statement: not whitespace, not `#`, not a clause that continues a compound
statement (else, elif, except, finally). A decorated definition is one
statement with its decorators. One regex pass over the bytes finds strings,
comments, continuations and candidate line starts; the bracket depth is
counted in the stretches between them. When the lexer is unsure (a string
left open, brackets that do not balance), it offers no cut points, and a
caller parses the whole file; a caller also checks the partial tree for
syntax errors.
"""

from __future__ import annotations

import bisect
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
class Units:
    """Top-level statements: unit i runs from offsets[i] (row rows[i], column 0) to the
    next unit's start or the end of the data. Unit 0 starts at the file's start and
    holds any leading blank and comment lines."""

    offsets: list[int]
    rows: list[int]
    size: int

    def unit_of_row(self, row: int) -> int:
        return bisect.bisect_right(self.rows, row) - 1

    def end(self, i: int) -> int:
        return self.offsets[i + 1] if i + 1 < len(self.offsets) else self.size

    def head(self, data: bytes) -> int:
        """Index of the last unit `_import_edit` may read: the leading imports and
        docstring, and the first statement after them."""
        for i, off in enumerate(self.offsets):
            if not _HEAD_STATEMENT.match(data, off):
                return i
        return len(self.offsets) - 1


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
    newlines = list(accumulate(map(bytes.count, parts, repeat(b"\n"))))
    offsets, rows = [0], [0]
    for i in compress(count(), map(operator.eq, tokens, repeat(b"\n"))):
        if depth[i] == 0 and ends[2 * i + 1] < len(data):
            offsets.append(ends[2 * i + 1])
            rows.append(newlines[2 * i + 1])
    # decorators and the definition they decorate are one statement
    keep = [k for k in range(len(offsets)) if k == 0 or data[offsets[k - 1]: offsets[k - 1] + 1] != b"@"]
    return Units([offsets[k] for k in keep], [rows[k] for k in keep], len(data))


def spans(units: Units, data: bytes, rows: list[int], before: int, head: bool) -> list[tuple[int, int, int, int]]:
    """Byte ranges to parse, merged, as (start byte, start row, end byte, end row or -1 for
    the end of the data): the units holding `rows`, `before` units before each of them,
    and with `head` the leading block of imports."""
    chosen: set[int] = set()
    for row in rows:
        u = units.unit_of_row(row)
        chosen.update(range(max(0, u - before), u + 1))
    if head:
        chosen.update(range(units.head(data) + 1))
    out: list[tuple[int, int, int, int]] = []
    for i in sorted(chosen):
        end = units.end(i)
        end_row = units.rows[i + 1] if i + 1 < len(units.offsets) else -1
        if out and out[-1][2] == units.offsets[i]:
            out[-1] = (out[-1][0], out[-1][1], end, end_row)
        else:
            out.append((units.offsets[i], units.rows[i], end, end_row))
    return out
