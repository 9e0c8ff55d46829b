"""Tree-sitter languages, parsers and incremental documents.

Everything here is about syntax trees; which queries run over them is the
business of `insecure.py`.

Whole texts (the CLI) are parsed from bytes with `parse_bytes`. Editor buffers
use `IncrementalDocument`, which keeps one tree per document and reads source
through a callable, so the language server can serve bytes from its own line
array without ever joining the whole text:

    doc = IncrementalDocument("python", read)   # read(byte_offset, (row, col)) -> bytes
    ...the server changes its buffer, then describes the change...
    doc.edit(start_byte, old_end_byte, new_end_byte, start_point, old_end_point, new_end_point)
    rows = doc.reparse()                        # 0-based inclusive row ranges to re-check

Rows are 0-based; points are (row, byte column) as tree-sitter counts them.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from tree_sitter import Language, Node, Parser, Range, Tree

Point = tuple[int, int]
Reader = Callable[[int, Point], bytes]
RowRange = tuple[int, int]  # 0-based, inclusive

# grammar name -> (module, function returning the language pointer)
GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "java": ("tree_sitter_java", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "bash": ("tree_sitter_bash", "language"),
    "yaml": ("tree_sitter_yaml", "language"),
    "hcl": ("tree_sitter_hcl", "language"),
    "dockerfile": ("tree_sitter_dockerfile", "language"),
}

_EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".java": "java",
    ".rb": "ruby", ".rake": "ruby", ".gemspec": "ruby", ".ru": "ruby",
    ".sh": "bash", ".bash": "bash", ".zsh": "bash", ".ksh": "bash",
    ".yml": "yaml", ".yaml": "yaml",
    ".tf": "hcl", ".tfvars": "hcl", ".hcl": "hcl",
    ".dockerfile": "dockerfile",
}
_NAMES: dict[str, str] = {
    "Gemfile": "ruby", "Rakefile": "ruby", "Vagrantfile": "ruby", "Guardfile": "ruby",
    "Dockerfile": "dockerfile", "Containerfile": "dockerfile",
}
_NAME_GLOBS: tuple[tuple[str, str], ...] = (
    ("Dockerfile.*", "dockerfile"), ("*.Dockerfile", "dockerfile"), ("Containerfile.*", "dockerfile"),
)

# Parents under which a child counts as one statement: region expansion stops there.
_BLOCKS = frozenset({
    # python
    "module", "block",
    # javascript / typescript
    "program", "statement_block", "class_body", "switch_body",
    # go
    "source_file",
    # java
    "compilation_unit", "interface_body", "enum_body", "constructor_body",
    # ruby
    "body_statement", "then", "else", "do_block", "begin", "method", "class", "do",
    # hcl / yaml / dockerfile
    "body", "config_file", "block_mapping", "block_sequence", "stream", "document",
    # shell
    "compound_statement",
})
# Nodes whose children are statements (a statement's parent).
STATEMENT_PARENTS = _BLOCKS


def language_for_path(path: str) -> str | None:
    """Grammar name for a file path, or None when no grammar applies."""
    base = os.path.basename(path)
    if base in _NAMES:
        return _NAMES[base]
    for glob, lang in _NAME_GLOBS:
        if fnmatch.fnmatch(base, glob):
            return lang
    _, ext = os.path.splitext(base)
    return _EXTENSIONS.get(ext.lower())


@cache
def get_language(name: str) -> Language:
    """The tree-sitter Language for a grammar name (KeyError when unknown)."""
    module, func = GRAMMARS[name]
    with warnings.catch_warnings():
        # some grammar wheels still hand over the pointer as an int
        warnings.simplefilter("ignore", DeprecationWarning)
        return Language(getattr(importlib.import_module(module), func)())


_local = threading.local()


def get_parser(name: str, partial: bool = False) -> Parser:
    """A parser for this thread (parsers are not thread-safe). `partial`: a second one
    whose included ranges `parse_spans` sets."""
    parsers: dict[tuple[str, bool], Parser] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    parser = parsers.get((name, partial))
    if parser is None:
        parser = parsers[name, partial] = Parser(get_language(name))
    return parser


def parse_bytes(language: str, data: bytes) -> Tree:
    return get_parser(language).parse(data)


def parse_spans(language: str, data: bytes, spans: Iterable[tuple[int, int, int, int]]) -> Tree:
    """Parse only these byte ranges of `data`, as (start byte, start row, end byte, end row),
    each starting and ending at a line start; end row -1: the end of the data. Nodes keep
    their positions in the whole data."""
    tail = data.rfind(b"\n") + 1
    eof: Point = (data.count(b"\n"), len(data) - tail)
    ranges = [
        Range((srow, 0), (erow, 0) if erow >= 0 else eof, start, end)
        for start, srow, end, erow in spans
    ]
    parser = get_parser(language, partial=True)
    parser.included_ranges = ranges
    return parser.parse(data)


# ---------------------------------------------------------------------------
# Source access: predicates, previews and columns read text through a Source,
# so the same query code works over bytes and over an editor's reader.


class Source:
    """Read access to the bytes a tree was parsed from."""

    def slice(self, start_byte: int, end_byte: int, start_point: Point) -> bytes:
        raise NotImplementedError

    def text(self, node: Node) -> str:
        return self.slice(node.start_byte, node.end_byte, _pt(node.start_point)).decode("utf-8", "surrogatepass")

    def line(self, row: int, line_start_byte: int) -> str:
        """The text of one line (without its line break)."""
        raise NotImplementedError

    def column(self, row: int, line_start_byte: int, byte_col: int) -> int:
        """Code-point column of a byte column."""
        if byte_col == 0:
            return 0
        raw = self.slice(line_start_byte, line_start_byte + byte_col, (row, 0))
        return len(raw.decode("utf-8", "replace"))


class BytesSource(Source):
    """A whole text held in memory."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def slice(self, start_byte: int, end_byte: int, start_point: Point) -> bytes:
        return self.data[start_byte:end_byte]

    def line(self, row: int, line_start_byte: int) -> str:
        end = self.data.find(b"\n", line_start_byte)
        raw = self.data[line_start_byte : len(self.data) if end == -1 else end]
        return raw.rstrip(b"\r").decode("utf-8", "replace")


class ReaderSource(Source):
    """Bytes served in chunks by a callable, as `Parser.parse(callable)` takes them."""

    __slots__ = ("read",)

    def __init__(self, read: Reader) -> None:
        self.read = read

    def slice(self, start_byte: int, end_byte: int, start_point: Point) -> bytes:
        out = bytearray()
        at, (row, col) = start_byte, start_point
        while at < end_byte:
            chunk = self.read(at, (row, col))
            if not chunk:
                break
            out += chunk
            at += len(chunk)
            nl = chunk.count(b"\n")
            if nl:
                row, col = row + nl, len(chunk) - chunk.rfind(b"\n") - 1
            else:
                col += len(chunk)
        return bytes(out[: end_byte - start_byte])

    def line(self, row: int, line_start_byte: int) -> str:
        out = bytearray()
        at, col = line_start_byte, 0
        while len(out) < 65536:
            chunk = self.read(at, (row, col))
            if not chunk:
                break
            nl = chunk.find(b"\n")
            if nl != -1:
                out += chunk[:nl]
                break
            out += chunk
            at += len(chunk)
            col += len(chunk)
        return bytes(out).rstrip(b"\r").decode("utf-8", "replace")


def _pt(p: object) -> Point:
    seq: tuple[int, int] = p  # type: ignore[assignment]
    return int(seq[0]), int(seq[1])


# ---------------------------------------------------------------------------
# Regions: which rows a change may affect.


def ancestry(root: Node, node: Node) -> list[Node]:
    """[root, ..., node]: the path down to a node, found from the root. (`node.parent`
    searches down from the root on each call: walking up a deep node that way costs
    depth² steps, each as wide as the root, which a multi-document YAML file makes large.)"""
    chain = [root]
    cur = root
    while cur != node:
        nxt = cur.child_with_descendant(node)
        if nxt is None:  # not under this root (or a node tree-sitter cannot place)
            chain = [node]
            up = node.parent
            while up is not None:
                chain.append(up)
                up = up.parent
            return chain[::-1]
        chain.append(nxt)
        cur = nxt
    return chain


def statement_of(node: Node, root: Node | None = None) -> Node:
    """The statement-level ancestor of a node: its ancestor whose parent is a block (or the root)."""
    if root is None:
        cur = node
        while cur.parent is not None and cur.parent.parent is not None and cur.parent.type not in _BLOCKS:
            cur = cur.parent
        return cur
    chain = ancestry(root, node)
    i = len(chain) - 1
    while i >= 2 and chain[i - 1].type not in _BLOCKS:
        i -= 1
    return chain[i]


def statement_rows(root: Node, start: Point, end: Point) -> RowRange:
    """Rows of the statements around a point range."""
    first = root.descendant_for_point_range(start, start)
    last = root.descendant_for_point_range(end, end)
    r0, r1 = start[0], end[0]
    if first is not None and first != root:
        r0 = min(r0, statement_of(first, root).start_point[0])
    if last is not None and last != root:
        r1 = max(r1, statement_of(last, root).end_point[0])
    return r0, r1


def merge_rows(ranges: Iterable[RowRange]) -> list[RowRange]:
    """Sorted, merged row ranges (a reversed range counts as its two rows' span)."""
    out: list[RowRange] = []
    for a, b in sorted((min(r), max(r)) for r in ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def rows_intersect(a: RowRange, ranges: Iterable[RowRange]) -> bool:
    return any(a[0] <= r[1] and r[0] <= a[1] for r in ranges)


@dataclass(slots=True)
class RowEdit:
    start_row: int
    old_end_row: int
    new_end_row: int


def shift_rows(rows: RowRange, edit: RowEdit) -> RowRange | None:
    """A row range moved by an edit; None when the edit touches it."""
    a, b = rows
    if b < edit.start_row:
        return rows
    if a > edit.old_end_row:
        d = edit.new_end_row - edit.old_end_row
        return a + d, b + d
    return None


def move_span(span: tuple[Point, Point], start: Point, old_end: Point, new_end: Point) -> tuple[Point, Point]:
    """An earlier edited span carried through a later edit (widened when they touch)."""

    def moved(p: Point) -> Point:
        if p < start:
            return p
        if p >= old_end:
            if p[0] == old_end[0]:
                return new_end[0], new_end[1] + p[1] - old_end[1]
            return p[0] + new_end[0] - old_end[0], p[1]
        return new_end  # inside the replaced text

    a, b = span
    if b < start or a > old_end:
        return moved(a), moved(b)
    return min(a, start), max(moved(b), new_end)


def grow_rows(rows: RowRange, edit: RowEdit) -> RowRange:
    """A row range moved by an edit; when the edit touches it, widened to cover the edit's new rows."""
    moved = shift_rows(rows, edit)
    if moved is not None:
        return moved
    a, b = rows
    end = b + edit.new_end_row - edit.old_end_row if b > edit.old_end_row else edit.new_end_row
    return min(a, edit.start_row), max(end, edit.new_end_row)


# Documents up to this size are parsed afresh when an incremental parse has errors.
FRESH_PARSE_LIMIT = 512 * 1024


class IncrementalDocument:
    """One editor document's syntax tree, kept current through edits.

    The caller owns the text and must change it before calling `edit` for that
    change; `read(byte_offset, (row, byte_col))` must then serve the new text.
    `reparse()` parses again, reusing the old tree, and returns the row ranges
    whose findings may have changed: tree-sitter's changed ranges plus every
    edited range, each widened to its enclosing statements.

    Tree-sitter's error recovery depends on the parse history, so an incremental
    tree with syntax errors can differ from a fresh parse of the same text. Such
    a document (up to FRESH_PARSE_LIMIT bytes) is parsed afresh and checked
    whole; a larger one keeps the incremental tree until its errors are gone.
    """

    def __init__(self, language: str, read: Reader) -> None:
        self.language = language
        self.parser = Parser(get_language(language))
        self.source = ReaderSource(read)
        self.tree: Tree = self.parser.parse(read)
        self._edits: list[RowEdit] = []
        self._edited: list[tuple[Point, Point]] = []  # edited spans, in current coordinates

    def edit(
        self,
        start_byte: int,
        old_end_byte: int,
        new_end_byte: int,
        start_point: Point,
        old_end_point: Point,
        new_end_point: Point,
    ) -> None:
        self.tree.edit(start_byte, old_end_byte, new_end_byte, start_point, old_end_point, new_end_point)
        e = RowEdit(start_point[0], old_end_point[0], new_end_point[0])
        spans = [move_span(span, start_point, old_end_point, new_end_point) for span in self._edited]
        spans.append((start_point, new_end_point))
        # Overlapping spans become one, so typing in one place keeps one span
        # (each keystroke costs the same however long the burst).
        spans.sort()
        merged = [spans[0]]
        for a, b in spans[1:]:
            if a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        self._edited = merged
        self._edits.append(e)

    def take_edits(self) -> list[RowEdit]:
        """Edits applied since the last call (used to move stored findings)."""
        edits, self._edits = self._edits, []
        return edits

    def reparse(self) -> list[RowRange]:
        old = self.tree
        new = self.parser.parse(self.source.read, old)
        root = new.root_node
        if root.has_error and root.end_byte <= FRESH_PARSE_LIMIT:
            # Error recovery depends on the parse history: an incremental tree with
            # errors can differ from a fresh parse of the same text, so parse afresh
            # and let the whole document be checked again.
            self.tree = self.parser.parse(self.source.read)
            self._edited = []
            return [(0, self.tree.root_node.end_point[0])]
        points: list[tuple[Point, Point]] = [
            (_pt(r.start_point), _pt(r.end_point)) for r in old.changed_ranges(new)
        ]
        points.extend(self._edited)
        self.tree = new
        self._edited = []
        last_row = root.end_point[0]
        rows = [statement_rows(root, s, (min(e[0], last_row), e[1] if e[0] <= last_row else 0)) for s, e in points]
        # an edit's end row may lie past a now-shorter document
        return merge_rows((min(max(0, a), last_row), max(0, min(b, last_row))) for a, b in rows)
