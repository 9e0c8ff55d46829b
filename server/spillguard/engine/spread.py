"""Spread: how many places hold the same secret before and after a change.

A change that looks like a refactor can copy a secret (even a reviewed,
baselined one) into new files: a config split, a test fixture, a Dockerfile.
Each copy is one more place to rotate and one more chance to ship it. Spread
compares the places (path, line) holding each secret fingerprint on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .findings import Finding


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int
    new: bool  # the path held no copy of this secret before the change

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "new": self.new}


@dataclass(frozen=True, slots=True)
class Spread:
    fingerprint: str
    rule: str
    before: int
    after: int
    locations: tuple[Location, ...]

    @property
    def widened(self) -> bool:
        return self.after > self.before

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "rule": self.rule,
            "before": self.before,
            "after": self.after,
            "locations": [loc.to_dict() for loc in self.locations],
        }


def _places(findings: Iterable[Finding]) -> dict[str, set[tuple[str, int]]]:
    out: dict[str, set[tuple[str, int]]] = {}
    for f in findings:
        if f.kind == "secret":
            out.setdefault(f.fingerprint, set()).add((f.path, f.start_line))
    return out


def compute_spread(before: Iterable[Finding], after: Iterable[Finding], changed: Iterable[Finding]) -> list[Spread]:
    """One entry per secret that the change touches (`changed`: findings on added lines,
    before any baseline) or that sits in more places afterwards."""
    after_list = list(after)
    rule_of = {f.fingerprint: f.rule_id for f in after_list if f.kind == "secret"}
    old = _places(before)
    new = _places(after_list)
    touched = {f.fingerprint for f in changed if f.kind == "secret"}
    touched |= {fp for fp, places in new.items() if len(places) > len(old.get(fp, ()))}
    out: list[Spread] = []
    for fp in sorted(touched, key=lambda k: (rule_of.get(k, ""), k)):
        places = new.get(fp, set())
        old_paths = {p for p, _ in old.get(fp, ())}
        locations = tuple(Location(p, n, p not in old_paths) for p, n in sorted(places))
        out.append(Spread(fp, rule_of.get(fp, ""), len(old.get(fp, ())), len(places), locations))
    return out


def render_text(spreads: list[Spread]) -> str:
    """A short section for the text report (paths and lines only, never the secret)."""
    if not spreads:
        return ""
    lines = ["spread of secrets touched by this change (places before → after):"]
    for s in spreads:
        mark = "WIDER" if s.widened else "same" if s.after == s.before else "narrower"
        lines.append(f"  {s.rule} {s.fingerprint}: {s.before} → {s.after} ({mark})")
        for loc in s.locations:
            lines.append(f"    {loc.path}:{loc.line}{'  (new file for this secret)' if loc.new else ''}")
    return "\n".join(lines) + "\n"
