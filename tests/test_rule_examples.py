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
