"""`spillguard explain RULE|FINGERPRINT`: what leaked, where (redacted), how to revoke and rotate."""

from __future__ import annotations

import json

from git_helpers import TOKEN_A, cli


def test_explain_rule_prints_revoke_and_rotate_steps(tmp_path, monkeypatch):
    run = cli(["explain", "github-pat"], tmp_path, monkeypatch)
    assert run.code == 0
    assert run.out.startswith("github-pat: GitHub personal access token")
    assert "Revoke it here: https://github.com/settings/tokens" in run.out
    assert "revoke and rotate:" in run.out and "audit" in run.out


def test_explain_fingerprint_finds_places_in_the_current_tree(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text(f"T = '{TOKEN_A}'\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.env").write_text(f"X=1\nGITHUB_TOKEN={TOKEN_A}\n")
    scan = json.loads(cli(["scan", ".", "--format", "json"], tmp_path, monkeypatch).out)
    fp = scan["findings"][0]["fingerprint"]
    run = cli(["explain", fp], tmp_path, monkeypatch)
    assert run.code == 0
    assert "what leaked: GitHub personal access token (classic) (ghp_…[40 chars])" in run.out
    assert "  a.py:1:6\n" in run.out and "  sub/b.env:2:14\n" in run.out
    assert "Revoke it here: https://github.com/settings/tokens" in run.out
    leaked = TOKEN_A in run.out
    assert not leaked


def test_explain_unknown_is_a_one_line_error(tmp_path, monkeypatch):
    for query in ("no-such-rule", "sg1:00000000000000000000000000000000"):
        run = cli(["explain", query], tmp_path, monkeypatch)
        assert run.code == 2 and run.err.startswith("spillguard: error:") and run.err.count("\n") == 1


def test_explain_an_insecure_default_rule(tmp_path, monkeypatch, capsys):
    from spillguard.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["explain", "python-tls-verify-false"]) == 0
    out = capsys.readouterr().out
    assert "CWE-295" in out and "what to do instead" in out
