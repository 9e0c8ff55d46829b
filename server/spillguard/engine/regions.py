"""Incremental secret scanning over a buffer of lines.

An editor changes a few lines at a time. Rather than scanning the whole text
again, `update` re-scans a window: the changed lines, expanded to the context
a rule may need, and keeps the findings of every other line (shifting them
when lines were inserted or removed).

Rules that match within one line (the scanner runs them over one-line windows)
need no context at all. Multi-line rules need the construct around the change:
`expand` grows the window to the enclosing PEM block (BEGIN … END), and to
every match a multi-line rule may make around one of its keywords near the
change — the GCP key's JSON object around "service_account", a key in a
multi-line string or a YAML block scalar under a secret-named key, an AWS
secret near its key id. How far such a match can reach is read from the rule's
pattern: at most `line_reach` line breaks and `char_reach` characters, never
more than `MAX_REACH` lines, so one keystroke never costs the whole file. Only
rules that apply to the document's path count (`anchors_for(ruleset, path)`).
A window also grows to cover every old finding it touches.

`lines` are the document's lines with their terminators ("\n", "\r\n" or a
lone "\r"; the last line has none). A window is scanned as the whole text
would be: every line break becomes "\n", and a newline is put before the window
when the document goes on above it, so anchors and word boundaries see what they
would see in a whole-text scan. `scan_all` is the same function over all
lines: a fresh open and any sequence of `update`s give equal findings (the
property tests in tests/lsp/test_incremental_property.py check it).

Lines are 0-based here; findings keep the engine's 1-based lines and
code-point columns. Findings from a window carry offsets into that window
only, so `start_offset`/`end_offset` are set to 0: use lines and columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .findings import Finding
from .rules import Rule
from .scanner import Ruleset, scan_text
from .scanner import _path_ok as path_applies

# How far (in lines) a context expansion may reach from the change.
MAX_REACH = 200
# Lines of plain context added around a change when multi-line rules are on.
CONTEXT_PAD = 2
# Rounds of growth before a window is taken to be the whole buffer (see settle).
SETTLE_ROUNDS = 32


def strip_eol(line: str) -> str:
    if line.endswith("\n"):
        return line[:-2] if line.endswith("\r\n") else line[:-1]
    if line.endswith("\r"):
        return line[:-1]
    return line


def _joined(lines: Sequence[str], start: int, end: int) -> str:
    """Lines [start, end) with every line break as "\n" (a line never holds a lone
    "\r" except as its terminator, and "\r" + "\n" never straddle two lines)."""
    body = "".join(lines[start:end])
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body


def scan_window(lines: Sequence[str], start: int, end: int, path: str, ruleset: Ruleset) -> list[Finding]:
    """Secrets in lines [start, end), scanned as they sit in the whole text."""
    n = len(lines)
    start, end = max(0, start), min(n, end)
    if start >= end:
        return []
    # Lines before the last end with their terminator (as "\n"); so does the last
    # one when the document goes on after it, just as in the whole text.
    body = _joined(lines, start, end)
    lead = "\n" if start > 0 else ""
    found = scan_text(lead + body, path, ruleset, first_line=start - 1 if lead else start)
    return [f.with_(start_offset=0, end_offset=0) for f in found]


def scan_all(lines: Sequence[str], path: str, ruleset: Ruleset) -> list[Finding]:
    return scan_window(lines, 0, len(lines), path, ruleset)


def _pem_marker(line: str) -> str:
    """"begin", "end", "both" or "" for a line holding PEM armour markers."""
    if "-----" not in line:
        return ""
    up = line.upper()
    b = up.rfind("-----BEGIN")
    e = up.rfind("-----END")
    if b == -1 and e == -1:
        return ""
    if b == -1:
        return "end"
    if e == -1:
        return "begin"
    return "begin" if b > e else "end"  # the last marker decides whether a block stays open


def _expand_pem(lines: Sequence[str], start: int, end: int) -> tuple[int, int]:
    # Up: past every BEGIN until an END closes the block above.
    i = start - 1
    stop = max(0, start - MAX_REACH)
    while i >= stop:
        mark = _pem_marker(lines[i])
        if mark == "end":
            break
        if mark == "begin":
            start = i
        i -= 1
    # Down: if the window leaves a block open, to the END that closes it.
    open_block = False
    for j in range(start, end):
        mark = _pem_marker(lines[j])
        if mark:
            open_block = mark == "begin"
    if open_block:
        for j in range(end, min(len(lines), end + MAX_REACH)):
            if _pem_marker(lines[j]) == "end":
                end = j + 1
                break
    return start, end


_CLASS = regex.compile(r"\[(\^)?\]?(?:\\.|[^\]\\])*\]")
_LOOKAROUND = regex.compile(r"\(\?<?[=!](?:\\.|\[(?:\\.|[^\]\\])*\]|[^()\\])*\)")
_CROSSING = regex.compile(r"\\[snrvRWDpPX]|\\x0[aA]|\\x\{0*[aA]\}|\\u000[aA]|\\012|\n")
_QUANT = regex.compile(r"\{(\d+)(,(\d*))?\}|[*+?]")
_NEWLINE_TOKENS = ("\\n", "\\s", "\n")
_UNBOUNDED = 1 << 30


def _quant_max(text: str, pos: int) -> int:
    m = _QUANT.match(text, pos)
    if m is None or m.group(0) == "?":
        return 1
    if m.group(0) in ("*", "+"):
        return _UNBOUNDED
    if m.group(2) is None:
        return int(m.group(1))
    return int(m.group(3)) if m.group(3) else _UNBOUNDED


def line_reach(rule: Rule) -> int:
    """How many line breaks a rule's match may hold (0: never spans lines).

    An over-estimate: every construct that can match a newline counts its
    quantifier's maximum, times the quantifiers of the groups around it;
    anything unbounded (or a dot-all pattern) counts MAX_REACH.
    """
    pat = rule.pattern
    if pat.flags & regex.DOTALL or "(?s" in pat.pattern:
        return MAX_REACH
    text = _LOOKAROUND.sub("", pat.pattern)
    masked = list(text)
    spans: list[tuple[int, int]] = []
    for m in _CLASS.finditer(text):
        body = m.group(0)
        has_newline = any(t in body for t in _NEWLINE_TOKENS)
        if m.group(1) is not None:
            crosses = not has_newline or "\\S" in body  # [^"] matches a newline; [^\S] is whitespace
        else:
            crosses = has_newline or any(t in body for t in ("\\W", "\\D", "\\v", "\\R", "\\p", "\\P"))
        if crosses:
            spans.append(m.span())
        masked[m.start() : m.end()] = "X" * (m.end() - m.start())
    flat = "".join(masked)
    spans.extend(m.span() for m in _CROSSING.finditer(flat))
    if not spans:
        return 0
    groups: list[tuple[int, int, int]] = []
    stack: list[int] = []
    i = 0
    while i < len(flat):
        c = flat[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            groups.append((stack.pop(), i + 1, _quant_max(flat, i + 1)))
        i += 1
    total = 0
    for s, e in spans:
        reach = _quant_max(flat, e)
        for gs, ge, count in groups:
            if gs < s and e <= ge:
                reach *= count
        total += reach
        if total >= MAX_REACH:
            return MAX_REACH
    return total


def char_reach(rule: Rule) -> int | None:
    """The longest match a rule can make, in characters, when bounded (None when
    not, or when the pattern uses syntax the stdlib parser does not know)."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        width = int(_parser.parse(rule.pattern.pattern).getwidth()[1])
    except Exception:
        return None
    return width if width < 1_000_000 else None


@dataclass(frozen=True, slots=True)
class Anchors:
    """Keywords (lowercase) of the rules whose matches may span lines, grouped by
    how far such a match may reach from its keyword: at most `lines` line
    breaks and, when bounded, `chars` characters."""

    groups: tuple[tuple[int, int | None, tuple[str, ...]], ...]

    @staticmethod
    def lines_with(keywords: tuple[str, ...], lines: Sequence[str], start: int, end: int) -> list[int]:
        """Sorted indices of the lines in [start, end) holding one of the keywords."""
        if start >= end:
            return []
        body = _joined(lines, start, end).lower()
        offsets: list[int] = []
        for kw in keywords:
            at = body.find(kw)
            while at != -1:
                offsets.append(at)
                at = body.find(kw, at + 1)
        if not offsets:
            return []
        offsets.sort()
        out: list[int] = []
        line, prev = start, 0
        for off in offsets:
            line += body.count("\n", prev, off)
            prev = off
            if not out or out[-1] != line:
                out.append(line)
        return out


def anchors_for(ruleset: Ruleset, path: str | None = None) -> Anchors | None:
    """None when no enabled rule (that applies to `path`, when given) can match
    across lines: every change is then line-local."""
    by_reach: dict[tuple[int, int], set[str]] = {}
    for i, rule in enumerate(ruleset.rules):
        if rule.id in ruleset.disabled or not ruleset.is_multiline(i):
            continue
        if path is not None and not path_applies(rule, path):
            continue
        reach = line_reach(rule)
        if not reach:
            continue
        chars = char_reach(rule)
        if chars is not None:
            reach = min(reach, chars)  # every line break is a character too
        by_reach.setdefault((reach, -1 if chars is None else chars), set()).update(k.lower() for k in rule.keywords)
    if not by_reach:
        return None
    return Anchors(tuple((lines, None if chars < 0 else chars, tuple(sorted(kws)))
                         for (lines, chars), kws in sorted(by_reach.items())))


def expand(lines: Sequence[str], start: int, end: int, anchors: Anchors | None = None) -> tuple[int, int]:
    """Grow the line window [start, end) to the context the rules need.

    Without `anchors` (no enabled rule spans lines) the window stays the changed
    lines. Otherwise: a little padding, the enclosing PEM block, and every match
    a rule may make around a keyword line within its reach of the window (a GCP
    key's JSON object, a key in a multi-line string or a YAML block scalar:
    whatever holds the rule's keyword).
    """
    n = len(lines)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    if anchors is None:
        return start, max(end, min(n, start + 1))
    start, end = max(0, start - CONTEXT_PAD), min(n, max(end, start + 1) + CONTEXT_PAD)
    start, end = settle(lines, start, end, anchors)
    return start, max(end, min(n, start + 1))


def settle(lines: Sequence[str], start: int, end: int, anchors: Anchors | None) -> tuple[int, int]:
    """Grow [start, end) until no match a multi-line rule may make crosses its edges:
    the enclosing PEM block, and every match a rule may make around a keyword line
    within its reach of the window. Each growth can reach a match further out, so this
    repeats until nothing changes (after SETTLE_ROUNDS rounds: the whole buffer); a
    round after the first only searches the lines the window's growth brought in reach."""
    if anchors is None:
        return start, end
    n = len(lines)
    searched: list[tuple[int, int] | None] = [None] * len(anchors.groups)
    found: list[dict[int, tuple[int, int]]] = [{} for _ in anchors.groups]  # keyword line -> (lo, hi)
    for _ in range(SETTLE_ROUNDS):
        before = start, end
        start, end = _expand_pem(lines, start, end)
        a, b = start, end
        for g, (reach, chars, keywords) in enumerate(anchors.groups):
            lo_want, hi_want = max(0, a - reach), min(n, b + reach)
            done = searched[g]
            ranges = [(lo_want, hi_want)] if done is None else [(lo_want, done[0]), (done[1], hi_want)]
            for lo_r, hi_r in ranges:
                for k in anchors.lines_with(keywords, lines, lo_r, hi_r):
                    found[g][k] = (_walk(lines, k, -1, reach, chars), _walk(lines, k, 1, reach, chars))
            searched[g] = (lo_want, hi_want) if done is None else (min(lo_want, done[0]), max(hi_want, done[1]))
            for lo, hi in found[g].values():
                if hi >= a and lo < b:  # a match around this keyword may touch the window
                    start, end = min(start, lo), max(end, hi + 1)
        if (start, end) == before:
            return start, end
    return 0, n


def _walk(lines: Sequence[str], k: int, step: int, reach: int, chars: int | None) -> int:
    """The farthest line a match holding line k can touch going `step` (±1): at most
    `reach` lines, and no further than `chars` characters of whole lines in between."""
    n = len(lines)
    i = k
    budget = chars
    for _ in range(reach):
        if not 0 <= i + step < n:
            break
        if budget is not None and budget <= 0:
            break
        i += step
        if budget is not None:
            budget -= len(lines[i])
    return i


def _lines0(f: Finding) -> tuple[int, int]:
    return f.start_line - 1, f.end_line - 1


def _shift(f: Finding, delta: int) -> Finding:
    if not delta:
        return f
    return f.with_(start_line=f.start_line + delta, end_line=f.end_line + delta)


def update(
    findings: Sequence[Finding],
    lines: Sequence[str],
    first: int,
    old_last: int,
    new_last: int,
    path: str,
    ruleset: Ruleset,
    anchors: Anchors | None = None,
    old_window: tuple[int, int] | None = None,
) -> list[Finding]:
    """Findings after lines [first, old_last] were replaced by [first, new_last] (inclusive).

    `findings` are the previous findings (sorted, old coordinates); `lines` is
    the buffer after the change; `old_window` is `expand(old lines, first,
    old_last + 1, anchors)` taken before the change (a finding's span is only
    its secret, while its match may start at a keyword the change removed).
    Findings outside the re-scanned window are kept (shifted); the window's
    findings come from a fresh scan of it.
    """
    delta = new_last - old_last
    before: list[Finding] = []
    after: list[Finding] = []
    start, end = first, new_last + 1
    for f in findings:
        fs, fe = _lines0(f)
        if fe < first:
            before.append(f)
        elif fs > old_last:
            after.append(_shift(f, delta))
        else:  # touched by the change: its surviving lines join the window
            start = min(start, fs)
            end = max(end, (fe + delta if fe > old_last else new_last) + 1)
    start, end = expand(lines, start, end, anchors)
    if old_window is not None:
        # The window `expand` gave on the old text (old coordinates): matches that
        # needed what the change removed, such as a keyword, are re-scanned too.
        start = min(start, old_window[0])
        end = min(len(lines), max(end, old_window[1] + delta if old_window[1] > old_last else new_last + 1))
    # Grow the window over kept findings it touches, and over the matches a grown edge
    # may cut, until neither changes (a multi-line finding may end after a later one
    # starts: check them all).
    while True:
        grown = False
        settled = settle(lines, start, end, anchors)
        if settled != (start, end):
            start, end, grown = settled[0], settled[1], True
        kept: list[Finding] = []
        for f in before:
            if f.end_line - 1 >= start:
                start, grown = min(start, f.start_line - 1), True
            else:
                kept.append(f)
        before = kept
        kept = []
        for f in after:
            if f.start_line - 1 < end:
                end, grown = max(end, f.end_line), True
            else:
                kept.append(f)
        after = kept
        if not grown:
            break
    return before + scan_window(lines, start, end, path, ruleset) + after
