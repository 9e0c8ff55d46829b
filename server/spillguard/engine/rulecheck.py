"""Run every rule's embedded examples: `match` strings must produce a finding
of that rule, `no_match` strings must not. Used by tests and `rules --check`."""

from __future__ import annotations

from .rules import Rule
from .scanner import Ruleset, scan_text


def example_path(rule: Rule) -> str:
    """A file name the rule applies to (rules limited to some paths need one)."""
    if not rule.paths:
        return "example.txt"
    glob = rule.paths[0]
    return glob.replace("**/", "").replace("*", "example")


def check_rule(rule: Rule) -> list[str]:
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
    # Examples are test data, but keep reports short and never print long tokens whole.
    first = example.strip().splitlines()[0] if example.strip() else ""
    return (first[:24] + "…") if len(first) > 24 else first


def check_rules(rules: list[Rule]) -> list[str]:
    return [f for r in rules for f in check_rule(r)]
