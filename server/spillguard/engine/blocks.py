"""Inserted blocks: text that arrived in one piece (an accepted completion, an
agent's edit, a paste) and where it is after later edits.

Pure and unit-agnostic: positions are (line, column) pairs in whatever unit
the caller uses for both the block and the edits (the language server uses the
client's position encoding; `measure` tells how long a string is in it).

Semantics (the model the tests check against, character by character): a
block is a set of characters. An edit deletes the characters it replaces and
inserts new ones; the new ones belong to the block only when both of their
neighbours do (text typed strictly inside the block). The block's range runs
from its first surviving character to its last; when none survives, the block
is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

Pos = tuple[int, int]
Measure = Callable[[str], int]


def code_points(s: str) -> int:
    return len(s)


def utf16_units(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def end_of_insert(start: Pos, text: str, measure: Measure = code_points) -> Pos:
    """Where text inserted at `start` ends."""
    parts = text.split("\n")
    if len(parts) == 1:
        return start[0], start[1] + measure(text)
    return start[0] + len(parts) - 1, measure(parts[-1])


def non_blank_lines(text: str) -> int:
    return sum(1 for ln in text.split("\n") if ln.strip())


def is_inserted_block(text: str, threshold: int = 2) -> bool:
    """A single change is an inserted block when it brings `threshold` or more
    non-blank lines. A keystroke never is, whatever the threshold: one character,
    an auto-closed pair, Enter with auto-indent."""
    if "\n" not in text and len(text) <= 2:
        return False
    return threshold > 0 and non_blank_lines(text) >= threshold


def inserted_range(start: Pos, text: str, measure: Measure = code_points) -> tuple[Pos, Pos]:
    """The range of an inserted block, without the blank lines and indentation
    around it (a paste often brings a trailing newline)."""
    parts = text.split("\n")
    first = next(i for i, p in enumerate(parts) if p.strip())
    last = max(i for i, p in enumerate(parts) if p.strip())
    lead = len(parts[first]) - len(parts[first].lstrip())
    if first == 0:
        s = (start[0], start[1] + measure(parts[0][:lead]))
    else:
        s = (start[0] + first, measure(parts[first][:lead]))
    body = parts[last].rstrip()
    if last == 0:
        e = (start[0], start[1] + measure(body))
    else:
        e = (start[0] + last, measure(body))
    return s, e


def _shift(p: Pos, old_end: Pos, new_end: Pos) -> Pos:
    """Move a position at or after an edit's old end to after its new end."""
    if p[0] == old_end[0]:
        return new_end[0], new_end[1] + p[1] - old_end[1]
    return p[0] + new_end[0] - old_end[0], p[1]


def track(
    block: tuple[Pos, Pos], edit_start: Pos, edit_old_end: Pos, edit_new_end: Pos
) -> tuple[Pos, Pos] | None:
    """The block's range after one edit, or None when no character of it is left.

    The edit replaced [edit_start, edit_old_end) with text ending at edit_new_end.
    """
    s, e = block
    a, b = edit_start, edit_old_end
    inserted = edit_new_end != a
    start: Pos | None = None
    end: Pos | None = None
    if s < a:  # part before the edit survives
        start = s
        end = min(e, a)
    if inserted and s < a and b < e:  # typed strictly inside
        end = edit_new_end
    if b < e:  # part after the edit survives
        after_start = _shift(max(s, b), b, edit_new_end)
        if start is None:
            start = after_start
        end = _shift(e, b, edit_new_end)
    if start is None or end is None or start >= end:
        return None
    return start, end


@dataclass(frozen=True, slots=True)
class Block:
    id: int
    start: Pos
    end: Pos
    source: str = ""  # "" when detected from the change itself; else the tool ("copilot")

    def after(self, edit_start: Pos, edit_old_end: Pos, edit_new_end: Pos) -> Block | None:
        moved = track((self.start, self.end), edit_start, edit_old_end, edit_new_end)
        if moved is None:
            return None
        return replace(self, start=moved[0], end=moved[1])

    def overlaps(self, start: Pos, end: Pos) -> bool:
        """Do [start, end] and the block share a character (or touch an empty range inside)?"""
        if start == end:
            return self.start <= start <= self.end
        return start < self.end and self.start < end

    def contains(self, start: Pos, end: Pos) -> bool:
        return self.start <= start and end <= self.end


@dataclass(slots=True)
class BlockSet:
    """The inserted blocks of one document, kept in step with its edits."""

    blocks: list[Block]
    next_id: int = 1
    limit: int = 200

    def __init__(self, limit: int = 200) -> None:
        self.blocks = []
        self.next_id = 1
        self.limit = limit

    def edit(self, start: Pos, old_end: Pos, new_end: Pos) -> bool:
        """Apply one edit to every block; True when any block moved or vanished."""
        changed = False
        out: list[Block] = []
        for b in self.blocks:
            nb = b.after(start, old_end, new_end)
            if nb != b:
                changed = True
            if nb is not None:
                out.append(nb)
        self.blocks = out
        return changed

    def add(self, start: Pos, end: Pos, source: str = "") -> Block:
        """Record a block. A block inside an existing one is that block (it grew
        to hold it); a block that overlaps others absorbs them."""
        for i, b in enumerate(self.blocks):
            if b.contains(start, end):
                if source and not b.source:
                    b = replace(b, source=source)
                    self.blocks[i] = b
                return b
        keep: list[Block] = []
        s, e, src = start, end, source
        for b in self.blocks:
            if b.overlaps(start, end) or (start <= b.start and b.end <= end):
                s, e = min(s, b.start), max(e, b.end)
                src = src or b.source
            else:
                keep.append(b)
        block = Block(self.next_id, s, e, src)
        self.next_id += 1
        keep.append(block)
        keep.sort(key=lambda x: (x.start, x.end))
        if len(keep) > self.limit:  # the oldest go first
            oldest = sorted(keep, key=lambda x: x.id)[: len(keep) - self.limit]
            keep = [b for b in keep if b not in oldest]
        self.blocks = keep
        return block

    def remove(self, block_id: int) -> bool:
        before = len(self.blocks)
        self.blocks = [b for b in self.blocks if b.id != block_id]
        return len(self.blocks) != before

    def get(self, block_id: int) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def at(self, start: Pos, end: Pos) -> list[Block]:
        return [b for b in self.blocks if b.overlaps(start, end)]
