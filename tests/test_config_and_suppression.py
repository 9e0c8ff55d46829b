"""Configuration (and its errors), inline suppression, baselines, allowlists."""

from __future__ import annotations

import json

import pytest

from spillguard.engine.config import ConfigError, load_config
from spillguard.engine.context import Context
from spillguard.engine.project import scan_paths
from spillguard.engine.rules import RuleError, parse_rule_file
from spillguard.engine.suppress import inline_ignored, write_baseline


def _scan(root):
    return scan_paths([root], Context.build(root), jobs=1)


def test_broken_toml_names_file_and_line(tmp_path):
    cfg = tmp_path / ".spillguard.toml"
    cfg.write_text('disable = ["a"]\nseverity = {\n')
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    msg = str(err.value)
    assert str(cfg) in msg and "line 2" in msg


@pytest.mark.parametrize(
    "body, words",
    [
        ("unknown-key = 1\n", "unknown key"),
        ('severity = { "github-pat" = "urgent" }\n', "severity of 'github-pat'"),
        ('allow-values = ["(unclosed"]\n', "bad regex"),
        ("max-file-size = -3\n", "max-file-size"),
        ('disable = "github-pat"\n', "'disable' must be a list"),
    ],
)
def test_config_errors_are_clear(tmp_path, body, words):
    (tmp_path / ".spillguard.toml").write_text(body)
    with pytest.raises(ConfigError, match="spillguard.toml") as err:
        load_config(tmp_path)
    assert words in str(err.value)


def test_pyproject_tool_section(tmp_path, github_token):
    (tmp_path / "pyproject.toml").write_text('[tool.spillguard]\ndisable = ["github-pat"]\n')
    (tmp_path / "a.py").write_text(f'T = "{github_token}"\n')
    assert load_config(tmp_path).disable == frozenset({"github-pat"})
    assert [f.rule_id for f in _scan(tmp_path).findings if f.rule_id == "github-pat"] == []


def test_severity_override_and_allow_values(tmp_path, github_token):
    (tmp_path / "a.py").write_text(f'T = "{github_token}"\n')
    (tmp_path / ".spillguard.toml").write_text('severity = { "github-pat" = "low" }\n')
    assert [f.severity for f in _scan(tmp_path).findings] == ["low"]
    (tmp_path / ".spillguard.toml").write_text(f'allow-values = ["^{github_token[:10]}"]\n')
    assert _scan(tmp_path).findings == []


def test_broken_rule_file_names_file_and_rule(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('[[rule]]\nid = "mine"\npattern = "([a-z"\nkeywords = ["a"]\n')
    with pytest.raises(RuleError) as err:
        parse_rule_file(bad)
    assert str(bad) in str(err.value) and "mine" in str(err.value) and "invalid pattern" in str(err.value)
    bad.write_text('[[rule]]\nid = "mine"\npattern = "x"\n')
    with pytest.raises(RuleError, match="keyword"):
        parse_rule_file(bad)


def test_extra_rules_from_config(tmp_path):
    (tmp_path / "team.toml").write_text(
        'provider = "Team"\n[[rule]]\nid = "team-token"\npattern = \'\'\'\\b(tm_[a-z0-9]{20})\\b\'\'\'\n'
        'keywords = ["tm_"]\nexamples.match = ["tm_a1b2c3d4e5f6g7h8i9j0"]\nexamples.no_match = ["tm_short"]\n'
    )
    (tmp_path / ".spillguard.toml").write_text('extra-rules = ["team.toml"]\n')
    (tmp_path / "a.env").write_text("TEAM=tm_a1b2c3d4e5f6g7h8i9j0\n")
    result = scan_paths([tmp_path / "a.env"], Context.build(tmp_path), jobs=1)
    assert [(f.rule_id, f.path) for f in result.findings] == [("team-token", "a.env")]


def test_inline_ignore_forms():
    assert inline_ignored('x = "..."  # spillguard:ignore', "github-pat")
    assert inline_ignored("x  // spillguard:ignore[github-pat] rotated fixture", "github-pat")
    assert inline_ignored("x  # spillguard:ignore[jwt, github-pat]", "github-pat")
    assert not inline_ignored("x  # spillguard:ignore[jwt] not this one", "github-pat")
    assert not inline_ignored("x = 1", "github-pat")


def test_inline_ignore_in_scan(tmp_path, github_token):
    (tmp_path / "a.py").write_text(
        f'A = "{github_token}"  # spillguard:ignore[github-pat] revoked, kept as fixture\n'
        f'B = "{github_token}"  # spillguard:ignore[other-rule]\n'
    )
    assert [f.start_line for f in _scan(tmp_path).findings if f.rule_id == "github-pat"] == [2]


def test_baseline_reports_only_new(tmp_path, github_token):
    (tmp_path / "a.py").write_text(f'A = "{github_token}"\n')
    first = _scan(tmp_path)
    write_baseline(tmp_path / ".spillguard-baseline.json", first.findings)
    doc = json.loads((tmp_path / ".spillguard-baseline.json").read_text())
    assert github_token not in json.dumps(doc)
    assert doc["findings"][0]["rule"] == "github-pat"
    again = _scan(tmp_path)
    assert again.findings == [] and again.baselined == 1
    from spillguard.engine.validators import make_crc62_token

    new = make_crc62_token("ghp_", "Zq8jzPde0IgxLd6GncfBAepfJBd0K1")
    (tmp_path / "b.py").write_text(f'B = "{new}"\n')
    assert [f.path for f in _scan(tmp_path).findings] == ["b.py"]


def test_broken_baseline_is_a_clear_error(tmp_path):
    from spillguard.engine.suppress import BaselineError, load_baseline

    p = tmp_path / ".spillguard-baseline.json"
    p.write_text("{not json")
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load_baseline(p)
