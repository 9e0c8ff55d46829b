"""Every built-in rule's embedded examples: matches must match, traps must not."""

import pytest

from spillguard.engine.rulecheck import check_rule
from spillguard.engine.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    assert check_rule(rule) == []


def test_rule_ids_are_unique_and_many_providers():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


# Insecure-default (tree-sitter) rules: examples per grammar, and fixes that parse.
from spillguard.engine.insecure_rules import load_insecure_rules  # noqa: E402
from spillguard.engine.rulecheck import check_insecure_rule  # noqa: E402

INSECURE_RULES = load_insecure_rules()


@pytest.mark.parametrize("rule", INSECURE_RULES, ids=[r.id for r in INSECURE_RULES])
def test_insecure_rule_examples(rule):
    assert check_insecure_rule(rule) == []


def test_insecure_rule_ids_are_unique_and_distinct_from_secret_rules():
    ids = [r.id for r in INSECURE_RULES]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {r.id for r in RULES}
