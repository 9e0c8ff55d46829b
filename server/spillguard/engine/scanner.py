"""Text → secret findings: keyword prefilter, patterns, filters, validators.

The scanner knows nothing of files or editors: it takes text (a whole file or
a window of lines from an editor buffer) and returns findings whose positions
are shifted by `first_line`.
"""

from __future__ import annotations

import bisect
import codecs
import fnmatch
import functools
import itertools
import operator
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick
import regex

from . import accel, filters, regex_cache
from .findings import Finding, fingerprint, redact
from .rules import Rule
from .suppress import inline_ignored
from .validators import VALIDATORS

# Bound every pattern run so no input can hang a scan.
PATTERN_TIMEOUT_S = 2.0
# Generic (name-based) rules skip lines longer than this: minified code.
MINIFIED_LINE = 1000
# A candidate window around a keyword hit: the hit's line, capped.
MAX_WINDOW = 8192
# Multi-line rules: how far before and after a keyword hit a match may reach.
MULTILINE_BEFORE = 8192
MULTILINE_AFTER = 16384
_NAME_SPLIT = regex_cache.compile(r"[^A-Za-z0-9]+")


def _hyperscan_db(by_kw: dict[str, list[int]], group_of: dict[tuple[int, ...], int]) -> accel.Database | None:
    """A Hyperscan database of the keywords (ids = group ids), or None when the optional
    accelerator is unavailable or a keyword is not ASCII."""
    if not accel.available() or not all(kw.isascii() and "\x00" not in kw for kw in by_kw):
        return None
    words = list(by_kw)
    # Caseless: it scans the original ASCII text, which then need not be lowercased.
    return accel.compile_database(
        [regex.escape(w).encode() for w in words],
        [group_of[tuple(by_kw[w])] for w in words],
        [accel.CASELESS] * len(words),
    )


# Non-ASCII characters whose lowercase holds ASCII letters (dotted capital I, KELVIN SIGN):
# a keyword can match through them, so texts holding them take the automaton's path.
_LOWER_TO_ASCII = ("\u0130", "\u212a")


def _nul_for_non_ascii(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    return "\x00" * (exc.end - exc.start), exc.end


codecs.register_error("spillguard-nul", _nul_for_non_ascii)


def keyword_bytes(text: str) -> bytes | None:
    """What Hyperscan scans for keywords: the text as ASCII, each other character as NUL
    (no keyword holds one, so hits and their offsets are the lowercased text's); None when
    a character lowercases to ASCII letters."""
    if text.isascii():
        return text.encode("ascii")
    if any(c in text for c in _LOWER_TO_ASCII):
        return None
    return text.encode("ascii", "spillguard-nul")


def _hyperscan_scan(db: accel.Database, data: bytes, by_group: dict[int, list[int]]) -> None:
    def on_match(group: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
        ends = by_group.get(group)
        if ends is None:
            by_group[group] = [end - 1]  # inclusive end, like the automaton's
        else:
            ends.append(end - 1)

    db.scan(data, on_match)


_NEGATED_CLASS = regex_cache.compile(r"\[\^(?:\\.|[^\]\\])*\]")


def spans_lines(pattern: regex.Pattern[str]) -> bool:
    """Can a match cross a line break? (DOTALL, or a newline outside a [^...] class.)"""
    if pattern.flags & regex.DOTALL:
        return True
    return "\\n" in _NEGATED_CLASS.sub("", pattern.pattern)


@dataclass(slots=True)
class Ruleset:
    """Compiled rules with their keyword automaton; build once per process."""

    rules: list[Rule]
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict)
    allow_values: tuple[regex.Pattern[str], ...] = ()
    key: bytes | None = None
    _automaton: ahocorasick.Automaton | None = None
    _multiline: dict[int, bool] = field(default_factory=dict)
    # Keywords shared by the same rules form one group; the automaton yields group ids,
    # so a hit on "password" costs one append, not one per generic rule.
    _groups: list[tuple[int, ...]] = field(default_factory=list)
    # Optional accelerator: Hyperscan finds the same keywords ~20x faster in ASCII text.
    _hyperscan: accel.Database | None = None

    def __post_init__(self) -> None:
        auto = ahocorasick.Automaton()
        by_kw: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            if rule.id in self.disabled:
                continue
            for kw in rule.keywords:
                by_kw.setdefault(kw, []).append(i)
        group_of: dict[tuple[int, ...], int] = {}
        for kw, idxs in by_kw.items():
            key = tuple(idxs)
            if key not in group_of:
                group_of[key] = len(self._groups)
                self._groups.append(key)
            auto.add_word(kw, group_of[key])
        if by_kw:
            auto.make_automaton()
            self._automaton = auto
            self._hyperscan = _hyperscan_db(by_kw, group_of)

    def candidates(self, text: str) -> dict[int, list[int]]:
        """rule index → keyword end offsets in the text (rules of one group share one list).
        Keywords are found case-insensitively."""
        out: dict[int, list[int]] = {}
        if self._automaton is None:
            return out
        by_group: dict[int, list[int]] = {}
        hs = self._hyperscan
        data = None if hs is None else keyword_bytes(text)
        if hs is not None and data is not None:
            _hyperscan_scan(hs, data, by_group)  # caseless, on the text itself
        else:
            for end, g in self._automaton.iter(_lowered(text)):
                ends = by_group.get(g)
                if ends is None:
                    by_group[g] = [end]
                else:
                    ends.append(end)
        parts: dict[int, list[list[int]]] = {}
        for g, ends in by_group.items():
            for i in self._groups[g]:
                got = parts.get(i)
                if got is None:
                    parts[i] = [ends]
                else:
                    got.append(ends)
        # A rule hit through several groups gets their hits merged once; rules hit
        # through the same groups share the merged list (and so its windows).
        merged: dict[tuple[int, ...], list[int]] = {}
        for i, got in parts.items():
            if len(got) == 1:
                out[i] = got[0]
                continue
            key = tuple(id(x) for x in got)
            both = merged.get(key)
            if both is None:
                both = merged[key] = sorted(itertools.chain.from_iterable(got))
            out[i] = both
        return out

    def is_multiline(self, index: int) -> bool:
        known = self._multiline.get(index)
        if known is None:  # decided on first use: it compiles the pattern
            known = self._multiline[index] = spans_lines(self.rules[index].pattern)
        return known


def line_starts(text: str) -> list[int]:
    """Offset of each line's first character (C-level loops only: big files pass here)."""
    lines = text.split("\n")
    return [0, *map(operator.add, itertools.accumulate(map(len, lines[:-1])), itertools.count(1))]


class _Lines:
    """Offset → (line, column) for one text, built lazily."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = line_starts(self.text)
        return self._starts

    def pos(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def line_bounds(self, offset: int) -> tuple[int, int]:
        text = self.text
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        return start, len(text) if end == -1 else end


def _name_from(m: regex.Match[str]) -> str:
    try:
        name = m.group("name")
    except IndexError:
        return ""
    return name or ""


def _env_name(name: str) -> str:
    parts = [p for p in _NAME_SPLIT.split(name) if p]
    # camelCase → CAMEL_CASE
    out: list[str] = []
    for p in parts:
        out.extend(w for w in regex.split(r"(?<=[a-z0-9])(?=[A-Z])", p) if w)
    return "_".join(w.upper() for w in out)


def _lowered(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):
        # U+0130 (İ) is the only character whose lower case is two characters long;
        # keep offsets aligned with the text.
        lowered = text.replace("\u0130", "i").lower()
    return lowered


def _path_ok(rule: Rule, path: str) -> bool:
    if not rule.paths:
        return True
    globs = _globs(rule.paths)
    return globs.match(os.path.basename(path)) is not None or globs.match(path) is not None


@functools.lru_cache(maxsize=512)
def _globs(paths: tuple[str, ...]) -> re.Pattern[str]:
    """The rule's path globs as one regex (fnmatch's own translation, case as fnmatch on this OS)."""
    flags = 0 if os.path.normcase("A") == "A" else re.IGNORECASE
    return re.compile("|".join(f"(?:{fnmatch.translate(g)})" for g in paths), flags)


def check_value(rule: Rule, value: str, name: str, allow_values: Iterable[regex.Pattern[str]] = ()) -> str | None:
    """Why this candidate value is not a finding, or None when it is one."""
    if not value:
        return "empty"
    if value in rule.allow:
        return "allowed by rule"
    for pat in allow_values:
        if pat.search(value):
            return "allowlisted"
    if "placeholder" not in rule.skip_filters:
        reason = filters.placeholder_reason(value) or filters.public_value_reason(value)
        if reason:
            return reason
    if rule.generic:
        reason = filters.name_reason(name) or filters.generic_value_reason(value, rule.entropy or 3.0, name)
        if reason:
            return reason
    elif rule.entropy and filters.shannon_entropy(value) < rule.entropy:
        return "low entropy"
    return None


def scan_text(
    text: str, path: str, ruleset: Ruleset, first_line: int = 0, warnings: list[str] | None = None
) -> list[Finding]:
    """Every secret in `text`. Lines are reported 1-based, shifted by `first_line`.

    Each rule gets PATTERN_TIMEOUT_S for the whole text; a rule that runs out
    is stopped for this text and named in `warnings`, so no input can hang a
    scan and a partial scan is never silent.
    """
    if not text:
        return []
    hits = ruleset.candidates(text)
    if not hits:
        return []
    lines = _Lines(text)
    found: dict[tuple[int, int], Finding] = {}
    window_cache: dict[tuple[int, bool, int], list[tuple[int, int]]] = {}
    for idx, ends in hits.items():
        rule = ruleset.rules[idx]
        if not _path_ok(rule, path):
            continue
        shape = (id(ends), ruleset.is_multiline(idx), rule.max_lines)
        windows = window_cache.get(shape)
        if windows is None:
            windows = window_cache[shape] = _windows(lines, ends, whole=shape[1], max_lines=rule.max_lines)
        deadline = time.monotonic() + PATTERN_TIMEOUT_S
        prefilter, pattern, generic = rule.prefilter, rule.pattern, rule.generic
        for start, end in windows:
            if generic and end - start > MINIFIED_LINE:
                continue
            try:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                if prefilter is not None and prefilter.search(text, start, end, timeout=remaining) is None:
                    continue
                # most windows hold no match: a search is cheaper than collecting finditer's
                if pattern.search(text, start, end, timeout=remaining) is None:
                    continue
                matches = list(pattern.finditer(text, start, end, timeout=remaining))
            except TimeoutError:
                if warnings is not None:
                    warnings.append(f"rule '{rule.id}' ran out of time ({PATTERN_TIMEOUT_S:g} s); scanned in part")
                break
            for m in matches:
                finding = _finding(rule, m, text, path, lines, ruleset, first_line)
                if finding is None:
                    continue
                span = (finding.start_offset, finding.end_offset)
                prev = found.get(span)
                if prev is None or _rank(finding) > _rank(prev):
                    found[span] = finding
    kept = _drop_overlaps(sorted(found.values(), key=lambda f: (f.start_offset, f.end_offset)))
    # Inline ignores apply after overlaps are resolved, so ignoring the provider rule
    # that won a span does not let a generic rule report the same secret instead.
    return [f for f in kept if not inline_ignored(text[slice(*lines.line_bounds(f.start_offset))], f.rule_id)]


def _windows(lines: _Lines, ends: list[int], whole: bool, max_lines: int = 0) -> list[tuple[int, int]]:
    """Where a rule's pattern runs: the lines holding its keyword hits.

    Multi-line rules (PEM blocks, JSON key files) get a bounded span of lines
    around each hit instead of the whole text, so their cost follows the
    number of hits, not the size of the file.
    """
    text = lines.text
    out: list[tuple[int, int]] = []
    for e in ends:
        if whole and max_lines:
            start, end = lines.line_bounds(e)
            for _ in range(max_lines - 1):
                start = text.rfind("\n", 0, max(start - 1, 0)) + 1 if start else 0
                nxt = text.find("\n", end + 1)
                end = len(text) if nxt == -1 or end >= len(text) else nxt
        elif whole:
            start = lines.line_bounds(max(0, e - MULTILINE_BEFORE))[0]
            end = lines.line_bounds(min(len(text), e + MULTILINE_AFTER))[1]
        else:
            start, end = lines.line_bounds(e)
            if end - start > MAX_WINDOW:
                start, end = max(start, e - MAX_WINDOW // 2), min(end, e + MAX_WINDOW // 2)
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
    return out


def _rank(f: Finding) -> tuple[int, int, int]:
    generic = 1 if f.rule_id.startswith("generic") else 0
    return (int(f.validated), 1 - generic, -int(f.fixture))


def _drop_overlaps(findings: list[Finding]) -> list[Finding]:
    """Where a provider rule and a generic rule cover the same secret, keep the provider's."""
    out: list[Finding] = []
    for f in findings:
        if out and f.start_offset < out[-1].end_offset:
            if _rank(f) > _rank(out[-1]):
                out[-1] = f
            continue
        out.append(f)
    return out


def _finding(
    rule: Rule,
    m: regex.Match[str],
    text: str,
    path: str,
    lines: _Lines,
    ruleset: Ruleset,
    first_line: int,
) -> Finding | None:
    group = rule.group
    value = m.group(group)
    if not value:
        return None
    s, e = m.span(group)
    name = _name_from(m)
    if check_value(rule, value, name, ruleset.allow_values):
        return None
    line, col = lines.pos(s)
    end_line, end_col = lines.pos(e)
    validated = False
    fixture = False
    severity = ruleset.severity_overrides.get(rule.id, rule.severity)
    confidence = rule.confidence
    if rule.validator:
        if VALIDATORS[rule.validator](value):
            validated, confidence = True, "high"
        else:
            fixture, confidence, severity = True, "low", "low"
    extra: tuple[tuple[str, str], ...] = ()
    if rule.id.startswith("aws-access-key"):
        from .validators import aws_account_id

        account = aws_account_id(value)
        if account:
            extra = (("awsAccount", account[:4] + "…"),)
    return Finding(
        rule_id=rule.id,
        kind="secret",
        title=rule.title,
        path=path,
        start_line=first_line + line + 1,
        start_col=col + 1,
        end_line=first_line + end_line + 1,
        end_col=end_col + 1,
        preview=redact(value),
        fingerprint=fingerprint(value, ruleset.key),
        severity=severity,
        confidence=confidence,
        cwe=rule.cwe,
        owasp=rule.owasp,
        nist=rule.nist,
        remediation=rule.remediation,
        revoke_url=rule.revoke_url,
        help_url=rule.help_url,
        name=_env_name(name) if name else "",
        validated=validated,
        fixture=fixture,
        extra=extra,
        start_offset=s,
        end_offset=e,
    )
