"""Findings inside one node: `locate`, for rules whose evidence is a line of a
larger leaf node, such as an `echo` line in a GitHub Actions `run: |` block
(a single YAML block scalar to tree-sitter).

A rule with

    locate = '''(?m)^\\s*echo\\b.*?(?P<finding>\\$\\{\\{\\s*secrets\\.\\w+\\s*\\}\\})'''

reports one finding per match of that regex in the text of its `@finding`
capture, narrowed to the match's `finding` group (the whole match when the
group is absent), instead of one finding for the whole node. The query and
predicates still decide whether the node is a candidate at all. Such rules
cannot carry a `[fix]`: a fix replaces a captured node, not a part of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import regex
from tree_sitter import Node

from . import regex_cache
from .rules import RuleError

# Matches read at most this many characters of a node (as the engine's captures do).
MAX_LOCATE_CHARS = 65536
LOCATE_TIMEOUT_S = 1.0


def parse_locate(data: dict[str, Any], where: str) -> regex.Pattern[str] | None:
    """The rule's compiled `locate` regex, or None; RuleError when it is unusable."""
    raw = data.get("locate")
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw:
        raise RuleError(f"{where}: 'locate' must be a non-empty regex string")
    try:
        pat = regex_cache.compile(raw)
    except regex.error as exc:
        raise RuleError(f"{where}: 'locate' is not a valid regex: {exc}") from exc
    if "fix" in data:
        raise RuleError(f"{where}: a rule with 'locate' cannot have a [fix] (a fix replaces a whole capture)")
    return pat


@dataclass(frozen=True, slots=True)
class Span:
    """The parts of a tree-sitter Node that finding construction reads."""

    id: int
    start_byte: int
    end_byte: int
    start_point: tuple[int, int]
    end_point: tuple[int, int]


def _point_after(start: tuple[int, int], chunk: bytes) -> tuple[int, int]:
    """The (row, byte column) reached after `chunk`, starting at `start`."""
    lines = chunk.count(b"\n")
    if not lines:
        return start[0], start[1] + len(chunk)
    return start[0] + lines, len(chunk) - chunk.rfind(b"\n") - 1


def locate(pattern: regex.Pattern[str], node: Node, text: str) -> list[Node]:
    """Sub-spans of `node` (whose text is `text`) matched by `pattern`, shaped like nodes."""
    text = text[:MAX_LOCATE_CHARS]
    try:
        matches = list(pattern.finditer(text, timeout=LOCATE_TIMEOUT_S))
    except TimeoutError:
        return []
    spans: list[Node] = []
    start_point = (int(node.start_point[0]), int(node.start_point[1]))
    for m in matches:
        s, e = m.span("finding") if "finding" in pattern.groupindex else m.span()
        if s < 0 or e <= s:
            continue
        before = text[:s].encode("utf-8", "surrogatepass")
        inside = text[s:e].encode("utf-8", "surrogatepass")
        sp = _point_after(start_point, before)
        ep = _point_after(sp, inside)
        sb = node.start_byte + len(before)
        # Ids must not collide with real node ids (the engine caches texts by id).
        span = Span(id=-(sb * 1_000_003 + len(inside)) - 1, start_byte=sb, end_byte=sb + len(inside),
                    start_point=sp, end_point=ep)
        spans.append(cast(Node, span))
    return spans
