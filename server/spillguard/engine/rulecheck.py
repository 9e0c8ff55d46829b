"""Run every rule's embedded examples: `match` strings must produce a finding
of that rule, `no_match` strings must not. Used by tests and `rules --check`."""

from __future__ import annotations

from pathlib import Path

from .findings import Finding, TextEdit
from .insecure_rules import InsecureRule
from .rules import Rule, RuleError
from .scanner import Ruleset, scan_text


def example_path(rule: Rule) -> str:
    """A file name the rule applies to (rules limited to some paths need one)."""
    if not rule.paths:
        return "example.txt"
    glob = rule.paths[0]
    return glob.replace("**/", "").replace("*", "example")


def check_rule(rule: Rule) -> list[str]:
    try:
        rule.check(rule.source)  # bundled rules compile on first use: compile and check here
    except RuleError as exc:
        return [str(exc)]
    failures: list[str] = []
    ruleset = Ruleset(rules=[rule])
    path = example_path(rule)
    if not rule.examples_match:
        failures.append(f"{rule.source}: rule '{rule.id}' has no examples.match")
    if not rule.examples_no_match:
        failures.append(f"{rule.source}: rule '{rule.id}' has no examples.no_match")
    for i, ex in enumerate(rule.examples_match):
        if not any(f.rule_id == rule.id for f in scan_text(ex, path, ruleset)):
            failures.append(f"{rule.source}: rule '{rule.id}': examples.match[{i}] did not match: {_show(ex)}")
    for i, ex in enumerate(rule.examples_no_match):
        if any(f.rule_id == rule.id for f in scan_text(ex, path, ruleset)):
            failures.append(f"{rule.source}: rule '{rule.id}': examples.no_match[{i}] matched: {_show(ex)}")
    return failures


def _show(example: str) -> str:
    # A user's examples may hold a real-looking token: the index names the example,
    # this preview only helps to spot it.
    from .findings import redact

    first = example.strip().splitlines()[0] if example.strip() else ""
    return redact(first)


def check_rules(rules: list[Rule]) -> list[str]:
    return [f for r in rules for f in check_rule(r)]


# Insecure-default rules (tree-sitter): the same contract, once per grammar the
# rule lists. A fix must also leave code that parses and no longer matches.

_EXAMPLE_NAMES = {
    "python": "example.py", "javascript": "example.js", "typescript": "example.ts", "tsx": "example.tsx",
    "go": "example.go", "java": "Example.java", "ruby": "example.rb", "bash": "example.sh",
    "yaml": "example.yml", "hcl": "example.tf", "dockerfile": "Dockerfile",
}


def insecure_example_path(rule: InsecureRule, language: str) -> str:
    if not rule.paths:
        return _EXAMPLE_NAMES.get(language, "example.txt")
    return rule.paths[0].replace("**/", "").replace("*", "example")


def apply_edits(text: str, edits: tuple[TextEdit, ...]) -> str:
    """Apply non-overlapping 0-based line/code-point edits to a text."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans = sorted(((starts[e.start_line] + e.start_col, starts[e.end_line] + e.end_col, e.new_text) for e in edits),
                   reverse=True)
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


def check_insecure_rule(rule: InsecureRule) -> list[str]:
    from .insecure import InsecureRuleset, scan_insecure_as
    from .parsing import parse_bytes

    failures: list[str] = []
    ruleset = InsecureRuleset([rule])
    if not rule.examples_match:
        failures.append(f"{rule.source}: rule '{rule.id}' has no examples.match")
    if not rule.examples_no_match:
        failures.append(f"{rule.source}: rule '{rule.id}' has no examples.no_match")
    for lang in rule.languages:
        path = insecure_example_path(rule, lang)
        for i, ex in enumerate(rule.examples_match):
            hits = [f for f in scan_insecure_as(ex, path, lang, ruleset) if f.rule_id == rule.id]
            if not hits:
                failures.append(f"{rule.source} [{lang}]: examples.match[{i}] did not match: {_show(ex)}")
                continue
            for f in hits:
                for fx in f.fixes:
                    fixed = apply_edits(ex, fx.edits)
                    before = parse_bytes(lang, ex.encode()).root_node.has_error
                    if not before and parse_bytes(lang, fixed.encode()).root_node.has_error:
                        failures.append(f"{rule.source} [{lang}]: fix of examples.match[{i}] does not parse")
                    again = [g for g in scan_insecure_as(fixed, path, lang, ruleset)
                             if g.rule_id == rule.id and g.start_line == f.start_line + _added_lines(fx.edits, f)]
                    if fx.safe and again:
                        failures.append(f"{rule.source} [{lang}]: fix of examples.match[{i}] still matches")
        for i, ex in enumerate(rule.examples_match):
            if rule.prefilter is not None:
                for m in rule.prefilter.finditer(ex):
                    if len(m.group(0)) > 1000 or not any(k in m.group(0).lower() for k in rule.keywords):
                        failures.append(f"{rule.source}: prefilter match in examples.match[{i}] holds no keyword "
                                        "or is longer than 1,000 characters")
        for i, ex in enumerate(rule.examples_no_match):
            if any(f.rule_id == rule.id for f in scan_insecure_as(ex, path, lang, ruleset)):
                failures.append(f"{rule.source} [{lang}]: examples.no_match[{i}] matched: {_show(ex)}")
    return failures


def _added_lines(edits: tuple[TextEdit, ...], f: Finding) -> int:
    """Lines inserted above the finding by a fix (an added import)."""
    return sum(e.new_text.count("\n") for e in edits if e.start_line < f.start_line - 1)


def check_insecure_rules(rules: list[InsecureRule]) -> list[str]:
    return [f for r in rules for f in check_insecure_rule(r)]


def check_insecure_rule_files(paths: list[Path] | None) -> tuple[int, list[str]]:
    """(rules checked, failures) for insecure-default rule files; None: the built-in ones."""
    from .insecure_rules import load_insecure_rules

    rules = load_insecure_rules(paths or [], include_builtin=paths is None)
    return len(rules), check_insecure_rules(rules)
