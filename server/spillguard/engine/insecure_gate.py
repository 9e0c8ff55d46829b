"""Which insecure-default rules could match a text, decided before anything is parsed.

Parsing is the expensive step of insecure-default detection, so a file is
parsed only when some rule of its language is a candidate: one of the rule's
keywords occurs in the text (case-insensitively), one of its context keywords
too (if it has any), its path globs fit, and its prefilter regex (if any)
matches. Candidates are a necessary condition, not a verdict: a match still
needs a keyword and the prefilter inside the text its captures span.

Two ways to the same answer:

- Hyperscan (the optional accelerator, ASCII text): every keyword list,
  context list and prefilter of a language in one database, one pass, first
  match per pattern. Built on first use per language (see accel.py's cache).
- Otherwise Aho-Corasick over the lowercased text, then each prefilter is
  searched with `regex` in windows around its rule's keyword hits (a
  prefilter match contains a keyword and is at most PREFILTER_REACH long).
"""

from __future__ import annotations

import bisect
import fnmatch
import os
import threading

import ahocorasick
import regex

from . import accel, regex_cache
from .insecure_rules import REGEX_TIMEOUT_S, InsecureRule, Regex
from .parsing import RowRange, merge_rows

# A prefilter match must contain a keyword and be at most this long (code points).
PREFILTER_REACH = 1000
# Keyword hits recorded per rule for windowed prefilter searches; more: search the whole text.
MAX_WINDOWS = 256
# A rule whose keywords occur on more rows than this is queried over the whole tree.
MAX_KEYWORD_ROWS = 64
# Non-ASCII characters that lowercase or case-fold to ASCII letters (LATIN CAPITAL I
# WITH DOT, LONG S, KELVIN SIGN): Hyperscan's ASCII case folding does not see them.
_FOLDS_TO_ASCII = ("\u0130", "\u017f", "\u212a")
# Stand-ins for non-ASCII characters, one per class the patterns can tell apart.
_STAND_INS = {"digit": "0", "word": "a", "space": " ", "other": "\x01"}
_NON_ASCII = regex_cache.compile(r"[^\x00-\x7f]+")
_CLASS_OF = (("digit", regex_cache.compile(r"\d")), ("word", regex_cache.compile(r"\w")), ("space", regex_cache.compile(r"\s")))
_NEGATED_CLASS = regex_cache.compile(r"\[\^(?:\\.|[^\]\\])*\]")
# escapes that name characters beyond ASCII, or Unicode properties
_WIDE_ESCAPE = regex_cache.compile(r"\\(?:[xX][89a-fA-F][0-9a-fA-F]|[xX]\{|[uUNpPX]|[0-3]?[2-7][0-7]{2})")


def keyword_rows(rule: InsecureRule, lowered: str, line_starts: list[int]) -> list[RowRange] | None:
    """0-based rows holding one of the rule's keywords, merged; None when there are more
    than MAX_KEYWORD_ROWS (then the whole tree is queried). A match must hold a keyword in
    the text its captures span, so a query limited to these rows finds all of it."""
    rows = _rows(rule, lowered, line_starts, MAX_KEYWORD_ROWS)
    return None if rows is None else merge_rows((r, r) for r in rows)


def keyword_rows_all(rule: InsecureRule, lowered: str, line_starts: list[int]) -> list[int]:
    """Every 0-based row holding one of the rule's keywords, sorted."""
    rows = _rows(rule, lowered, line_starts, None)
    assert rows is not None
    return sorted(rows)


def _rows(rule: InsecureRule, lowered: str, line_starts: list[int], limit: int | None) -> set[int] | None:
    rows: set[int] = set()
    for kw in rule.keywords:
        i = lowered.find(kw)
        while i != -1:
            rows.add(bisect.bisect_right(line_starts, i) - 1)
            if limit is not None and len(rows) > limit:
                return None
            i = lowered.find(kw, i + 1)
    return rows


def path_applies(rule: InsecureRule, path: str) -> bool:
    if not rule.paths:
        return True
    norm = path.replace("\\", "/")
    base = os.path.basename(norm)
    return any(fnmatch.fnmatch(base, g) or fnmatch.fnmatch(norm, g) for g in rule.paths)


def lower(text: str) -> str:
    """Lowercase with offsets kept: U+0130 (İ), the only character whose lowercase is
    longer than itself, stays as it is."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "\u0130".join(part.lower() for part in text.split("\u0130"))
    return lowered


class Gate:
    """The candidate test for the rules of one language."""

    def __init__(self, rules: list[InsecureRule]) -> None:
        self.rules = rules
        # slot i: a keyword of rule i; slot -(i + 1): one of its context keywords
        auto = ahocorasick.Automaton()
        words: dict[str, set[int]] = {}
        for i, rule in enumerate(rules):
            for kw in rule.keywords:
                words.setdefault(kw, set()).add(i)
            for kw in rule.context_keywords:
                words.setdefault(kw, set()).add(-(i + 1))
        for kw, slots in words.items():
            auto.add_word(kw, tuple(sorted(slots)))
        auto.make_automaton()
        self._automaton = auto
        self._slots = len({s for slots in words.values() for s in slots})
        self._prefiltered = any(r.prefilter is not None for r in rules)
        self._hs: _HsGate | None = None
        self._hs_built = False
        self._lock = threading.Lock()

    def candidates(self, text: str, path: str) -> list[InsecureRule]:
        """Rules that could match `text` (at `path`), in rule order."""
        ascii_text = text.isascii()
        if ascii_text or not any(c in text for c in _FOLDS_TO_ASCII):
            hs = self._hyperscan()
            if hs is not None:
                return hs.candidates(text, ascii_text, path)
        return self.automaton_candidates(text, path)

    def automaton_candidates(self, text: str, path: str) -> list[InsecureRule]:
        """The same answer without Hyperscan."""
        return [
            rule for rule, ends in self.hits(lower(text), path)
            if rule.prefilter is None or prefilter_near(rule.prefilter, text, ends)
        ]

    def hits(self, lowered: str, path: str) -> list[tuple[InsecureRule, list[int] | None]]:
        """Rules whose keywords (and context keywords) occur in the lowercased text and whose
        paths fit, with the end offsets of their keyword hits (None: not recorded)."""
        rules = self.rules
        hit: set[int] = set()
        where: dict[int, list[int]] = {}
        complete = True
        for end, slots in self._automaton.iter(lowered):
            for slot in slots:
                if slot >= 0:
                    ends = where.get(slot)
                    if ends is None:
                        where[slot] = [end]
                    elif len(ends) < MAX_WINDOWS:
                        ends.append(end)
            hit.update(slots)
            if len(hit) == self._slots and not self._prefiltered:
                complete = False
                break
        return [
            (rules[i], where.get(i) if complete and len(where.get(i, ())) < MAX_WINDOWS else None)
            for i in sorted(s for s in hit if s >= 0)
            if (not rules[i].context_keywords or -(i + 1) in hit) and path_applies(rules[i], path)
        ]

    def _hyperscan(self) -> _HsGate | None:
        if not self._hs_built:
            with self._lock:
                if not self._hs_built:
                    self._hs = _HsGate.build(self.rules)
                    self._hs_built = True
        return self._hs


class _HsGate:
    """One Hyperscan pass answers the keyword, context and prefilter questions.

    On ASCII text Hyperscan means what `regex` means (same \\w, \\d, \\s and
    case folding). Other text is scanned as its ASCII twin: each non-ASCII
    character replaced by a stand-in of the same class (digit, word, space,
    other), so offsets, `.` and \\b behave as in the original, and a prefilter
    that matches the original also matches the twin, as long as none of its
    negated classes excludes a stand-in (`twin_safe`). Prefilters that are not
    twin-safe are searched with `regex` in non-ASCII text; prefilters Hyperscan
    rejects, always."""

    def __init__(
        self, rules: list[InsecureRule], db: accel.Database, rejected: frozenset[int]
    ) -> None:
        self.rules = rules
        self.db = db
        self.rejected = rejected
        self.not_twin_safe = frozenset(
            i for i, r in enumerate(rules) if r.prefilter is not None and not twin_safe(r.prefilter)
        )

    @classmethod
    def build(cls, rules: list[InsecureRule]) -> _HsGate | None:
        if not accel.available() or not all(k.isascii() for r in rules for k in r.keywords + r.context_keywords):
            return None
        db = accel.compile_database(*_patterns(rules, frozenset()))
        if db is not None:
            return cls(rules, db, frozenset())
        # Hyperscan rejected something: find the prefilters it cannot take, leave them to `regex`
        rejected = frozenset(
            i for i, r in enumerate(rules)
            if r.prefilter is not None and not accel.accepts(r.prefilter.pattern.encode("utf-8"), accel.SINGLEMATCH)
        )
        db = accel.compile_database(*_patterns(rules, rejected)) if rejected else None
        return None if db is None else cls(rules, db, rejected)

    def candidates(self, text: str, ascii_text: bool, path: str) -> list[InsecureRule]:
        found: set[int] = set()

        def on_match(pid: int, _start: int, _end: int, _flags: int, _ctx: object) -> None:
            found.add(pid)

        self.db.scan((text if ascii_text else ascii_twin(text)).encode("ascii"), on_match)
        in_python = self.rejected if ascii_text else self.rejected | self.not_twin_safe
        out = []
        for i, rule in enumerate(self.rules):
            if 3 * i not in found or (rule.context_keywords and 3 * i + 2 not in found):
                continue
            if rule.prefilter is not None:
                if i in in_python:
                    if not search(rule.prefilter, text, 0, len(text)):
                        continue
                elif 3 * i + 1 not in found:
                    continue
            if path_applies(rule, path):
                out.append(rule)
        return out


_stand_in_of: dict[str, str] = {}


def _stand_in(ch: str) -> str:
    out = _stand_in_of.get(ch)
    if out is None:
        kind = next((name for name, pat in _CLASS_OF if pat.match(ch)), "other")
        out = _stand_in_of[ch] = _STAND_INS[kind]
    return out


def ascii_twin(text: str) -> str:
    """`text` with each non-ASCII character replaced by an ASCII stand-in of its class."""
    return _NON_ASCII.sub(lambda m: "".join(_stand_in(c) for c in m.group(0)), text)


def twin_safe(pattern: Regex | regex.Pattern[str]) -> bool:
    """Does a match in the original text imply a match in its ASCII twin? True when the
    pattern is ASCII, names no wider characters, and no negated class excludes a stand-in
    (checked case-insensitively, which only excludes more)."""
    text = pattern.pattern
    if not text.isascii() or _WIDE_ESCAPE.search(text):
        return False
    classes = _NEGATED_CLASS.findall(text)
    if len(classes) != text.count("[^"):
        return False  # a class this check cannot read
    for cls in classes:
        try:
            compiled = regex_cache.compile(cls, regex.IGNORECASE)
        except regex.error:
            return False
        if not all(compiled.fullmatch(c) for c in _STAND_INS.values()):
            return False
    return True


def _literals(words: tuple[str, ...]) -> bytes:
    return "|".join(regex.escape(w) for w in words).encode("utf-8")


def _patterns(rules: list[InsecureRule], without: frozenset[int]) -> tuple[list[bytes], list[int], list[int]]:
    """Expressions, ids and flags: rule i's keywords as 3i, its prefilter as 3i+1 (unless
    in `without`), its context keywords as 3i+2. Prefilters carry their flags inline."""
    exprs: list[bytes] = []
    ids: list[int] = []
    flags: list[int] = []
    for i, rule in enumerate(rules):
        exprs.append(_literals(rule.keywords))
        ids.append(3 * i)
        flags.append(accel.CASELESS | accel.SINGLEMATCH)
        if rule.prefilter is not None and i not in without:
            exprs.append(rule.prefilter.pattern.encode("utf-8"))
            ids.append(3 * i + 1)
            flags.append(accel.SINGLEMATCH)
        if rule.context_keywords:
            exprs.append(_literals(rule.context_keywords))
            ids.append(3 * i + 2)
            flags.append(accel.CASELESS | accel.SINGLEMATCH)
    return exprs, ids, flags


def prefilter_near(pat: Regex, text: str, ends: list[int] | None) -> bool:
    """Does the prefilter match near one of the rule's keyword hits? With no hit list,
    search the whole text."""
    if ends is None:
        return search(pat, text, 0, len(text))
    start = stop = -1
    for e in ends:
        lo, hi = max(0, e - PREFILTER_REACH), e + PREFILTER_REACH
        if lo <= stop:
            stop = hi
            continue
        if stop >= 0 and search(pat, text, start, stop):
            return True
        start, stop = lo, hi
    return stop >= 0 and search(pat, text, start, stop)


def search(pat: Regex, text: str, start: int, stop: int) -> bool:
    try:
        return pat.search(text, start, stop, timeout=REGEX_TIMEOUT_S) is not None
    except TimeoutError:
        return True  # undecided: let the per-match check decide
