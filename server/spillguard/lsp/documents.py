"""Open documents: a line array edited in place, so a keystroke costs the
same on a 60,000-line file as on a 600-line one.

pygls's TextDocument rebuilds the whole text on every incremental change; this
store splices only the lines a change touches. Lines follow the LSP's
definition (terminated by "\\n", "\\r\\n" or "\\r"); `lines[i]` keeps its
terminator and the last line never has one, so "".join(lines) is the exact
text. Positions coming from the client are converted from the negotiated
encoding (UTF-16 by default) to code points here, clamped to the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..engine.regions import strip_eol as content
from .convert import from_client_col

_EOL = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines with their terminators; the last element has none (maybe "")."""
    out: list[str] = []
    at = 0
    for m in _EOL.finditer(text):
        out.append(text[at : m.end()])
        at = m.end()
    out.append(text[at:])
    return out


@dataclass(frozen=True, slots=True)
class Change:
    """What one content change did, in 0-based lines and code-point columns.

    `start` to `old_end` is the replaced range before the change; `start` to
    `new_end` holds `text` after it. `single` is True when the didChange
    notification carried exactly this one change (an accepted completion or a
    paste arrives that way). `full` marks a whole-document replacement.
    """

    start_line: int
    start_col: int
    old_end_line: int
    old_end_col: int
    new_end_line: int
    new_end_col: int
    text: str
    single: bool
    full: bool = False
    # For tree-sitter (set when the document keeps a tree): start/old end/new end
    # as UTF-8 byte offsets and (row, byte column) points.
    ts_edit: tuple[int, int, int, tuple[int, int], tuple[int, int], tuple[int, int]] | None = None

    @property
    def line_delta(self) -> int:
        return self.new_end_line - self.old_end_line


@dataclass(slots=True, eq=False)
class Document:
    uri: str
    version: int
    language_id: str
    path: str  # file system path when the URI is a file, else the URI
    lines: list[str]
    # State of the incremental parser (engine.parsing / engine.insecure), if any.
    tree_state: Any = None
    # Byte offsets of line starts, valid for indices < _valid (lazy; see byte_offset).
    _starts: list[int] = field(default_factory=lambda: [0])
    _valid: int = 1

    def text(self) -> str:
        return "".join(self.lines)

    def line_count(self) -> int:
        return len(self.lines)

    def line_text(self, line: int) -> str:
        """Line `line` without its terminator ("" past the end)."""
        if 0 <= line < len(self.lines):
            return content(self.lines[line])
        return ""

    def contents(self, start: int = 0, end: int | None = None) -> Iterator[str]:
        for line in self.lines[start:end]:
            yield content(line)

    def get_range(self, start_line: int, start_col: int, end_line: int, end_col: int) -> str:
        """Text between two code-point positions (clamped)."""
        start_line, start_col = self.clamp(start_line, start_col)
        end_line, end_col = self.clamp(end_line, end_col)
        if (end_line, end_col) < (start_line, start_col):
            return ""
        if start_line == end_line:
            return self.lines[start_line][start_col:end_col]
        parts = [self.lines[start_line][start_col:]]
        parts.extend(self.lines[start_line + 1 : end_line])
        parts.append(self.lines[end_line][:end_col])
        return "".join(parts)

    def clamp(self, line: int, col: int) -> tuple[int, int]:
        """A position inside the document: past the end → the end; past a line's end → its end."""
        last = len(self.lines) - 1
        if line < 0:
            return 0, 0
        if line > last:
            return last, len(content(self.lines[last]))
        return line, max(0, min(col, len(content(self.lines[line]))))

    def client_position(self, line: int, character: int, encoding: str) -> tuple[int, int]:
        """A client position (negotiated encoding) as a clamped code-point position."""
        last = len(self.lines) - 1
        if line < 0:
            return 0, 0
        if line > last:
            return last, len(content(self.lines[last]))
        return line, from_client_col(content(self.lines[line]), max(0, character), encoding)

    def byte_offset(self, line: int, col: int) -> int:
        """UTF-8 byte offset of a code-point position (for tree-sitter).

        Line starts are summed lazily from the last line known to be valid, so
        edits near each other cost a few lines, not the whole document.
        """
        starts = self._starts
        while self._valid <= line:
            i = self._valid
            prev = self.lines[i - 1]
            start = starts[i - 1] + (len(prev) if prev.isascii() else len(prev.encode("utf-8", "surrogatepass")))
            if i < len(starts):
                starts[i] = start
            else:
                starts.append(start)
            self._valid = i + 1
        text = self.lines[line][:col]
        return starts[line] + (len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass")))

    def replace(self, start: tuple[int, int], end: tuple[int, int], text: str, single: bool) -> Change:
        """Replace the code-point range [start, end) by `text`, splicing only the touched lines."""
        (l1, c1), (l2, c2) = self.clamp(*start), self.clamp(*end)
        if (l2, c2) < (l1, c1):
            (l1, c1), (l2, c2) = (l2, c2), (l1, c1)
        lines = self.lines
        last = len(lines) - 1
        before = None
        if self.tree_state is not None:
            before = (self.byte_offset(l1, c1), self.byte_offset(l2, c2), (l1, _utf8_len(lines[l1][:c1])),
                      (l2, _utf8_len(lines[l2][:c2])))
        first, start_col = l1, c1
        prefix = lines[l1][:c1]
        joined = prefix + text + lines[l2][c2:]
        # A lone "\r" ending the previous line joins a "\n" the change puts first.
        if c1 == 0 and l1 > 0 and lines[l1 - 1].endswith("\r") and joined.startswith("\n"):
            first = l1 - 1
            prefix = lines[first]
            start_col = len(prefix) - 1
            joined = prefix + joined
        pieces = split_lines(joined)
        if l2 < last:
            pieces.pop()  # joined ends with l2's terminator; the next line follows
        lines[first : l2 + 1] = pieces
        if self._valid > first + 1:
            self._valid = first + 1
            del self._starts[first + 1 :]
        # Where the inserted text ends, in the new layout.
        k = len(prefix) + len(text)
        end_line, at = first, 0
        for i, piece in enumerate(pieces):
            if k <= at + len(content(piece)) or i == len(pieces) - 1:
                end_line = first + i
                break
            at += len(piece)
        end_col = max(0, min(k - at, len(content(lines[end_line]))))
        ts_edit = None
        if before is not None:
            start_byte, old_end_byte, start_point, old_end_point = before
            new_end_point = (end_line, _utf8_len(lines[end_line][:end_col]))
            ts_edit = (start_byte, old_end_byte, start_byte + _utf8_len(text), start_point, old_end_point,
                       new_end_point)
        return Change(first, start_col, l2, c2, end_line, end_col, text, single, ts_edit=ts_edit)

    def read_bytes(self, byte_offset: int, point: tuple[int, int]) -> bytes:
        """tree-sitter's read callback: the bytes from a (row, byte column) point to its line's end."""
        row, col = point
        lines = self.lines
        while row < len(lines):
            data = lines[row].encode("utf-8", "surrogatepass")
            if col < len(data):
                return data[col:]
            row, col = row + 1, 0
        return b""

    def has_lone_cr(self) -> bool:
        """Lone "\r" line breaks: tree-sitter counts rows by "\n" only, so its rows would differ."""
        return any(line.endswith("\r") for line in self.lines)

    def replace_all(self, text: str) -> Change:
        last = len(self.lines) - 1
        old_end = (last, len(self.lines[last]))
        self.lines[:] = split_lines(text)
        self._starts, self._valid = [0], 1
        new_last = len(self.lines) - 1
        return Change(0, 0, old_end[0], old_end[1], new_last, len(self.lines[new_last]), text, True, full=True)


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class DocumentStore:
    """uri → Document for the open documents."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}

    def open(self, uri: str, version: int, language_id: str, text: str, path: str) -> Document:
        doc = Document(uri=uri, version=version, language_id=language_id, path=path, lines=split_lines(text))
        self._docs[uri] = doc
        return doc

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def close(self, uri: str) -> Document | None:
        return self._docs.pop(uri, None)

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._docs.values()))

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, uri: object) -> bool:
        return uri in self._docs
