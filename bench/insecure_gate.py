"""How much the insecure-default gate lets through: files parsed for nothing, by rule.

    .venv/bin/python bench/insecure_gate.py [DIR] [--language python] [--why RULE] [--limit N]

A file is parsed by tree-sitter only when a rule of its language passes the
gate (keyword hit, context keywords, prefilter near a hit; see
server/spillguard/engine/insecure.py). This tool runs the engine's own
`scan_insecure` on every file of DIR (default: the stdlib copy of
bench/stdlib_scan.py) and counts the parses it really does, by wrapping the
parser the engine asks for, so it measures the engine as it is, not a copy of
its gate. Files that pass but end with no insecure finding were parsed for
nothing ("wasted"). Each rule's share is measured the same way with a ruleset
of that rule alone: a wasted file counts under every rule that lets it through,
and as "solo" under a rule when no other rule does.

--why RULE prints, for each wasted file that RULE lets through, the text that
got it through: the prefilter matches (or the keyword lines when the rule has no
prefilter), shortened and with long tokens redacted. A measurement, not a test.

--verify also scans every file with the gate off (each rule without its prefilter
and context keywords; keywords stay) and lists the findings the gate loses: a
prefilter or context keyword that is not a necessary condition of a finding.
Exit status 1 when any is lost.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from spillguard.engine import insecure  # noqa: E402
from spillguard.engine.findings import redact  # noqa: E402
from spillguard.engine.insecure import InsecureRuleset, default_ruleset, scan_insecure_as  # noqa: E402
from spillguard.engine.insecure_rules import InsecureRule  # noqa: E402
from spillguard.engine.parsing import language_for_path  # noqa: E402
from stdlib_scan import dataset  # noqa: E402

SNIPPET = 110
# a long run of token characters with a digit in it: shown redacted, never in full
_TOKENISH = regex.compile(r"[A-Za-z0-9+/_\-]{24,}")


@dataclass(slots=True)
class _Counter:
    parses: int = 0


class _CountingParser:
    """Wraps a tree-sitter parser and counts `parse` calls."""

    def __init__(self, inner: Any, counter: _Counter) -> None:
        self._inner = inner
        self._counter = counter

    def parse(self, *args: Any, **kwargs: Any) -> Any:
        self._counter.parses += 1
        return self._inner.parse(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextmanager
def counting_parses() -> Iterator[_Counter]:
    counter = _Counter()
    original: Callable[[str], Any] = insecure.get_parser

    def wrapped(name: str) -> Any:
        return _CountingParser(original(name), counter)

    insecure.get_parser = wrapped  # type: ignore[assignment]
    try:
        yield counter
    finally:
        insecure.get_parser = original  # type: ignore[assignment]


@dataclass(slots=True)
class FileResult:
    path: Path
    rel: str
    text: str
    size: int
    language: str
    findings: dict[str, int] = field(default_factory=dict)  # rule id -> count
    passed_by: list[str] = field(default_factory=list)  # rules that let it through alone


def parsed(text: str, rel: str, language: str, ruleset: InsecureRuleset) -> tuple[bool, list[str]]:
    """Does the engine parse this text with this ruleset? And the rule ids of its findings."""
    with counting_parses() as counter:
        found = scan_insecure_as(text, rel, language, ruleset)
    return counter.parses > 0, [f.rule_id for f in found]


def ungated(ruleset: InsecureRuleset) -> InsecureRuleset:
    """The same rules without prefilters and context keywords."""
    rules = [dataclasses.replace(r, prefilter=None, context_keywords=()) for r in ruleset.rules]
    return InsecureRuleset(rules, disabled=ruleset.disabled)


def lost_findings(root: Path, language: str, full: InsecureRuleset) -> list[str]:
    """Findings of the ungated rules that the gated rules do not report, as path:line rule."""
    loose = ungated(full)
    out: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        lang = language_for_path(rel)
        if lang is None or (language != "all" and lang != language):
            continue
        text = read(path)
        if text is None:
            continue
        gated = {(f.rule_id, f.start_line, f.start_col) for f in scan_insecure_as(text, rel, lang, full)}
        for f in scan_insecure_as(text, rel, lang, loose):
            if (f.rule_id, f.start_line, f.start_col) not in gated:
                out.append(f"{rel}:{f.start_line}:{f.start_col} {f.rule_id}")
    return out


def read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def shorten(s: str) -> str:
    s = " ".join(s.split())
    s = _TOKENISH.sub(lambda m: redact(m.group(0)) if regex.search(r"\d", m.group(0)) else m.group(0), s)
    return s if len(s) <= SNIPPET else s[: SNIPPET - 1] + "…"


def why(rule: InsecureRule, text: str) -> list[str]:
    """The prefilter matches that contain a keyword (or the keyword lines without a prefilter)."""
    out: list[str] = []
    lowered = text.lower()
    if rule.prefilter is not None:
        for m in rule.prefilter.finditer(text, timeout=5.0):
            if any(kw in lowered[m.start():m.end()] for kw in rule.keywords):
                lineno = text.count("\n", 0, m.start()) + 1
                out.append(f"{lineno}: {shorten(m.group(0))}")
    else:
        for i, line in enumerate(text.splitlines(), 1):
            if any(kw in line.lower() for kw in rule.keywords):
                out.append(f"{i}: {shorten(line)}")
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", type=Path, help="directory to measure (default: the stdlib copy)")
    ap.add_argument("--language", default="python", help="grammar to measure, or 'all' (default: python)")
    ap.add_argument("--why", metavar="RULE", action="append", default=[],
                    help="print what lets each wasted file through RULE (repeatable)")
    ap.add_argument("--limit", type=int, default=8, help="matches shown per file with --why")
    ap.add_argument("--verify", action="store_true",
                    help="also scan with the gate off and list the findings the gate loses (slow)")
    args = ap.parse_args(argv)

    root: Path = args.dir or dataset()
    if not root.is_dir():
        print(f"insecure_gate: not a directory: {root}", file=sys.stderr)
        return 2
    full = default_ruleset()
    rules = {r.id: r for rs in full.by_language.values() for r in rs}
    for rid in args.why:
        if rid not in rules:
            print(f"insecure_gate: unknown rule {rid!r}", file=sys.stderr)
            return 2

    total_files = total_bytes = 0
    gated: list[FileResult] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        language = language_for_path(rel)
        if language is None or (args.language != "all" and language != args.language):
            continue
        text = read(path)
        if text is None:
            continue
        total_files += 1
        total_bytes += len(text.encode("utf-8", "surrogatepass"))
        was_parsed, found = parsed(text, rel, language, full)
        if not was_parsed:
            continue
        res = FileResult(path, rel, text, len(text.encode("utf-8", "surrogatepass")), language)
        for rid in found:
            res.findings[rid] = res.findings.get(rid, 0) + 1
        gated.append(res)
    if not gated and total_files:
        # either nothing passes, or the engine no longer parses through insecure.get_parser
        print("insecure_gate: no file was parsed; if that is unexpected, the engine's parser hook moved",
              file=sys.stderr)

    # each rule alone, on the files the whole ruleset parses (a rule alone passes only a subset)
    single: dict[str, InsecureRuleset] = {}
    for res in gated:
        for rule in full.by_language.get(res.language, []):
            rs = single.get(rule.id)
            if rs is None:
                rs = single[rule.id] = InsecureRuleset([rule])
            if parsed(res.text, res.rel, res.language, rs)[0]:
                res.passed_by.append(rule.id)

    hit = [r for r in gated if r.findings]
    wasted = [r for r in gated if not r.findings]
    scope = "all languages" if args.language == "all" else args.language
    print(f"input: {root} ({scope}: {total_files} files, {mb(total_bytes)})")
    print(f"parsed (pass the gate): {len(gated)} files, {mb(sum(r.size for r in gated))}")
    print(f"  with findings:        {len(hit)} files, {mb(sum(r.size for r in hit))}")
    print(f"  without (wasted):     {len(wasted)} files, {mb(sum(r.size for r in wasted))}")

    let_through: dict[str, int] = defaultdict(int)
    solo: dict[str, int] = defaultdict(int)
    files_through: dict[str, int] = defaultdict(int)
    own_waste: dict[str, int] = defaultdict(int)  # passes, but this rule finds nothing in the file
    for res in gated:
        for rid in res.passed_by:
            if rid not in res.findings:
                own_waste[rid] += res.size
    for res in wasted:
        for rid in res.passed_by:
            let_through[rid] += res.size
            files_through[rid] += 1
        if len(res.passed_by) == 1:
            solo[res.passed_by[0]] += res.size
    print()
    print("wasted bytes by rule (a wasted file counts under every rule that lets it through; "
          "solo: that rule alone does;")
    print("own: bytes of every parsed file the rule lets through without a finding of its own)")
    print(f"{'rule':<40} {'files':>5} {'wasted':>10} {'solo':>10} {'own':>10}")
    for rid in sorted(set(let_through) | set(own_waste), key=lambda r: (-let_through[r], -own_waste[r], r)):
        print(f"{rid:<40} {files_through[rid]:>5} {let_through[rid]:>10} {solo[rid]:>10} {own_waste[rid]:>10}")
    unexplained = [r for r in gated if not r.passed_by]
    if unexplained:
        print(f"\n{len(unexplained)} parsed file(s) pass no single rule's gate (a gate that depends on "
              "the whole ruleset?): " + ", ".join(r.rel for r in unexplained[:5]))

    findings: dict[str, int] = defaultdict(int)
    for res in gated:
        for rid, n in res.findings.items():
            findings[rid] += n
    print("\nfindings by rule: " + (", ".join(f"{rid} {n}" for rid, n in sorted(findings.items())) or "none"))

    for rid in args.why:
        rule = rules[rid]
        print(f"\n== why {rid} lets wasted files through")
        for res in wasted:
            if rid not in res.passed_by:
                continue
            lines = why(rule, res.text)
            print(f"{res.rel} ({res.size} bytes, {len(lines)} match(es))")
            for line in lines[: args.limit]:
                print(f"    {line}")
    if args.verify:
        lost = lost_findings(root, args.language, full)
        print(f"\nverify: {len(lost)} finding(s) of the rules without their gate are lost by the gate")
        for line in lost:
            print(f"    {line}")
        return 1 if lost else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
