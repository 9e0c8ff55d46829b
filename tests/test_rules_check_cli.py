"""`spillguard rules --check FILE`: users' own rule files, secret and tree-sitter kinds alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spillguard.cli import main

ROOT = Path(__file__).resolve().parents[1]

GOOD = """provider = "Team"
[[rule]]
id = "team-token"
pattern = '''\\b(?P<secret>tm_[a-z0-9]{20})\\b'''
keywords = ["tm_"]
examples.match = ["key = tm_a1b2c3d4e5f6g7h8i9j0"]
examples.no_match = ["key = tm_<your-token>"]
"""


def test_check_passes_and_counts(tmp_path, capsys):
    f = tmp_path / "team.toml"
    f.write_text(GOOD)
    assert main(["rules", "--check", str(f)]) == 0
    assert capsys.readouterr().out.strip().endswith("1 rule(s) checked, 0 failing example(s)")


def test_check_names_the_failing_example(tmp_path, capsys):
    f = tmp_path / "team.toml"
    f.write_text(GOOD.replace('examples.no_match = ["key = tm_<your-token>"]',
                              'examples.no_match = ["key = tm_zzzzzzzzzzzzzzzzzzz9"]'))
    assert main(["rules", "--check", str(f)]) == 1
    out = capsys.readouterr().out
    assert "rule 'team-token': examples.no_match[0] matched" in out and str(f) in out


def test_check_routes_by_content_not_directory_name(tmp_path, capsys):
    (tmp_path / "insecure").mkdir()
    f = tmp_path / "insecure" / "team.toml"
    f.write_text(GOOD)
    assert main(["rules", "--check", str(f)]) == 0
    tree_rule = tmp_path / "flask.toml"
    shutil.copy(ROOT / "rules" / "insecure" / "python" / "flask-debug.toml", tree_rule)
    assert main(["rules", "--check", str(tree_rule)]) == 0


def test_broken_rule_file_exits_2_with_one_line(tmp_path, capsys):
    f = tmp_path / "team.toml"
    f.write_text("[[rule]\n")
    assert main(["rules", "--check", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(f) in err


def test_bundled_secret_rules_compile_lazily_and_every_one_compiles(tmp_path):
    """Loading the bundled rules compiles nothing (a scan compiles the rules whose keywords
    occur); each of them still compiles, and its secret group exists."""
    from spillguard.engine.rules import load_rules

    rules = load_rules()
    assert rules and not any(r._compiled for r in rules)
    for rule in rules:
        rule.check(rule.source)
        assert rule._compiled


def test_a_broken_pattern_in_an_extra_rule_file_is_reported_at_load(tmp_path):
    from spillguard.engine.rules import RuleError, load_rules

    bad = tmp_path / "mine.toml"
    bad.write_text('[[rule]]\nid = "mine"\npattern = \'\'\'(unclosed\'\'\'\nkeywords = ["x"]\n')
    with pytest.raises(RuleError, match=r"mine\.toml.*invalid pattern"):
        load_rules([bad])
    bad.write_text('[[rule]]\nid = "mine"\npattern = \'\'\'x(y)\'\'\'\nsecret_group = 3\nkeywords = ["x"]\n')
    with pytest.raises(RuleError, match=r"mine\.toml.*no group 3"):
        load_rules([bad])


def test_rules_check_names_a_bundled_rule_that_does_not_compile(monkeypatch):
    from spillguard.engine import rulecheck
    from spillguard.engine.rules import load_rules

    rule = next(r for r in load_rules() if r.id == "github-pat")
    broken = type(rule)(**{**{f: getattr(rule, f) for f in rule.__dataclass_fields__ if f != "_compiled"},
                           "pattern_text": "(ghp_"})
    (failure,) = rulecheck.check_rule(broken)
    assert "github-pat" in failure and "invalid pattern" in failure


class TestParsedRuleCache:
    """Parsed rule files are cached by the SHA-256 of their text (tomllib is slow)."""

    @pytest.fixture(autouse=True)
    def _fresh(self, tmp_path, monkeypatch):
        from spillguard.engine import rules

        monkeypatch.setenv("SPILLGUARD_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setattr(rules, "_PARSED", None)
        monkeypatch.setattr(rules, "_PARSED_DIRTY", False)

    def _reset(self, monkeypatch):
        from spillguard.engine import rules

        monkeypatch.setattr(rules, "_PARSED", None)

    def test_a_second_process_reads_the_cache_instead_of_parsing(self, tmp_path, monkeypatch):
        import tomllib

        from spillguard.engine.rules import load_rules

        first = load_rules()
        assert (tmp_path / "cache" / "rules-v1.json").is_file()
        self._reset(monkeypatch)

        def refuse(_text):
            raise AssertionError("parsed again")

        monkeypatch.setattr(tomllib, "loads", refuse)
        again = load_rules()
        assert [(r.id, r.pattern_text, r.keywords) for r in again] == [(r.id, r.pattern_text, r.keywords) for r in first]

    def test_an_edited_file_is_parsed_again(self, tmp_path, monkeypatch):
        from spillguard.engine.rules import load_rules

        mine = tmp_path / "mine.toml"
        mine.write_text('[[rule]]\nid = "mine"\npattern = \'\'\'x(y+)\'\'\'\nkeywords = ["x"]\n')
        assert [r.id for r in load_rules([mine], include_builtin=False)] == ["mine"]
        self._reset(monkeypatch)
        mine.write_text('[[rule]]\nid = "mine2"\npattern = \'\'\'x(y+)\'\'\'\nkeywords = ["x"]\n')
        assert [r.id for r in load_rules([mine], include_builtin=False)] == ["mine2"]

    def test_a_damaged_cache_is_ignored_and_errors_still_name_the_file(self, tmp_path, monkeypatch):
        from spillguard.engine.rules import RuleError, load_rules

        (tmp_path / "cache").mkdir()
        (tmp_path / "cache" / "rules-v1.json").write_text("{not json")
        assert load_rules()
        self._reset(monkeypatch)
        bad = tmp_path / "bad.toml"
        bad.write_text("[[rule]\n")
        with pytest.raises(RuleError, match=r"bad\.toml: invalid TOML"):
            load_rules([bad], include_builtin=False)

    def test_an_unwritable_cache_is_ignored(self, tmp_path, monkeypatch):
        from spillguard.engine.rules import load_rules

        blocker = tmp_path / "file"
        blocker.write_text("not a directory")
        monkeypatch.setenv("SPILLGUARD_CACHE_DIR", str(blocker / "cache"))
        assert load_rules()
