"""A team switching from gitleaks or detect-secrets keeps its custom rules and exceptions."""

from __future__ import annotations

import hashlib
import json

import pytest
from git_helpers import TOKEN_A, TOKEN_B, Repo, cli, isolate_git

from spillguard.engine.config import ConfigError
from spillguard.engine.context import Context

GITLEAKS = r"""
title = "team config"

[[rules]]
id = "acme-internal-token"
description = "ACME internal service token"
regex = '''(?i)acme[_-]?token\s*[:=]\s*["']?(acme_[a-z0-9]{24})["']?'''
secretGroup = 1
keywords = ["acme_"]
entropy = 3.0

[[rules]]
id = "acme-no-group"
description = "ACME deploy key (first non-empty group is the secret)"
regex = '''deploykey:(?:(x)|(dk[0-9A-Z]{20}))'''

[[rules]]
id = "acme-scoped"
description = "only in ops/"
regex = '''opskey_[0-9a-f]{16}'''
path = '''^ops/'''
  [[rules.allowlists]]
  regexes = ['''opskey_0{16}''']

[allowlist]
description = "global"
paths = ['''(^|/)fixtures/''']
stopwords = ["sandbox"]

[[allowlists]]
regexTarget = "line"
regexes = ['''#\s*notsecret''']

[[allowlists]]
targetRules = ["github-pat"]
condition = "AND"
paths = ['''^docs/''']
regexes = ['''^ghp_''']
"""


@pytest.fixture
def root(tmp_path):
    (tmp_path / ".gitleaks.toml").write_text(GITLEAKS)
    return tmp_path


def _ids(ctx: Context, text: str, path: str = "app.py") -> list[tuple[str, int]]:
    return [(f.rule_id, f.start_line) for f in ctx.analyze(text, path)]


def test_gitleaks_custom_rules_find_secrets(root):
    ctx = Context.build(root)
    text = 'x = 1\nACME_TOKEN = "acme_q8w7e6r5t4y3u2i1o9p8a7s6"\n'
    [f] = ctx.analyze(text, "svc.py")
    assert (f.rule_id, f.start_line, f.start_col) == ("acme-internal-token", 2, 15)
    assert f.preview.startswith("acme") and "q8w7e6" not in f.preview
    assert f.fingerprint.startswith("sg1:")
    # Keywords prefilter, entropy, placeholders still apply.
    assert _ids(ctx, 'ACME_TOKEN = "acme_aaaaaaaaaaaaaaaaaaaaaaaa"\n') == []
    assert _ids(ctx, "deploykey:dkA1B2C3D4E5F6G7H8J9K0\n") == [("acme-no-group", 1)]


def test_gitleaks_rule_path_and_rule_allowlist(root):
    ctx = Context.build(root)
    assert _ids(ctx, "k = opskey_3fa9c2d18b7e6a54\n", "app.py") == []
    assert _ids(ctx, "k = opskey_3fa9c2d18b7e6a54\n", "ops/run.sh") == [("acme-scoped", 1)]
    assert _ids(ctx, "k = opskey_0000000000000000\n", "ops/run.sh") == []


def test_gitleaks_global_allowlists_cover_builtin_rules(root):
    ctx = Context.build(root)
    line = f"TOKEN = '{TOKEN_A}'\n"
    assert _ids(ctx, line, "src/app.py") == [("github-pat", 1)]
    assert _ids(ctx, line, "tests/fixtures/data.py") == []  # paths
    assert _ids(ctx, f"TOKEN = '{TOKEN_A}'  # notsecret\n", "src/app.py") == []  # regexTarget = line
    # AND + targetRules: both the docs/ path and the ghp_ prefix must hold, only for github-pat.
    assert _ids(ctx, line, "docs/guide.py") == []
    assert _ids(ctx, "ACME_TOKEN = 'acme_q8w7e6r5t4y3u2i1o9p8a7s6'\n", "docs/guide.py") == [("acme-internal-token", 1)]


def test_gitleaks_stopwords(root):
    ctx = Context.build(root)
    assert _ids(ctx, "ACME_TOKEN = 'acme_sandboxq8w7e6r5t4y3u2i1o'\n") == []


def test_detect_secrets_baseline_keeps_reviewed_secrets(tmp_path):
    baseline = {
        "version": "1.5.0",
        "plugins_used": [{"name": "GitHubTokenDetector"}],
        "filters_used": [],
        "results": {
            "src/app.py": [
                {
                    "type": "GitHub Token",
                    "filename": "src/app.py",
                    "hashed_secret": hashlib.sha1(TOKEN_A.encode()).hexdigest(),
                    "is_verified": False,
                    "line_number": 1,
                }
            ]
        },
        "generated_at": "2026-01-01T00:00:00Z",
    }
    (tmp_path / ".secrets.baseline").write_text(json.dumps(baseline))
    ctx = Context.build(tmp_path)
    text = f"A = '{TOKEN_A}'\nB = '{TOKEN_B}'\n"
    assert _ids(ctx, text, "src/app.py") == [("github-pat", 2)]
    # Nothing of the value is kept: the interop layer holds only the baseline's hashes.
    assert ctx.interop is not None and ctx.interop.reviewed_sha1 == {baseline["results"]["src/app.py"][0]["hashed_secret"]}


def test_history_respects_gitleaks_commit_allowlist(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path)
    repo = Repo(tmp_path / "r")
    repo.write("a.py", f"T = '{TOKEN_A}'\n")
    allowed = repo.commit("old leak, rotated long ago")
    repo.write("b.py", f"T = '{TOKEN_B}'\n")
    repo.commit("new leak")
    repo.write(".gitleaks.toml", f"[allowlist]\ncommits = [\"{allowed}\"]\n")
    repo.commit("gitleaks config")
    run = cli(["scan", "--history", "--format", "json"], repo.path, monkeypatch)
    assert [f["path"] for f in json.loads(run.out)["findings"]] == ["b.py"]


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        (".gitleaks.toml", "[[rules]]\nid = 'x'\nregex = '''(unclosed'''\n", "invalid regex"),
        (".gitleaks.toml", "[[rules]\n", "invalid TOML"),
        (".gitleaks.toml", "[[rules]]\nid = 'x'\nregex = 'a(b)'\nsecretGroup = 3\n", "secretGroup"),
        (".secrets.baseline", "{not json", "detect-secrets baseline"),
        (".secrets.baseline", "[]", "not a detect-secrets baseline"),
    ],
)
def test_broken_interop_files_are_clear_errors(tmp_path, monkeypatch, name, content, needle):
    (tmp_path / name).write_text(content)
    with pytest.raises(ConfigError, match=needle):
        Context.build(tmp_path)
    (tmp_path / "x.py").write_text("x = 1\n")
    run = cli(["scan", "x.py"], tmp_path, monkeypatch)
    assert run.code == 2 and name in run.err and run.err.count("\n") == 1


def test_gitleaksignore_fingerprints_keep_their_places(tmp_path, monkeypatch):
    (tmp_path / ".gitleaksignore").write_text(
        "# reviewed\n"
        "0123456789abcdef0123456789abcdef01234567:src/old.py:github-pat:2\n"
        "conf/dev.env:generic-api-key:1\n"
    )
    ctx = Context.build(tmp_path)
    text = f"x = 1\nT = '{TOKEN_A}'\n"
    assert _ids(ctx, text, "src/old.py") == []
    assert _ids(ctx, text, "src/new.py") == [("github-pat", 2)]
    assert _ids(ctx, f"GITHUB_TOKEN={TOKEN_B}\n", "conf/dev.env") == []
    (tmp_path / ".gitleaksignore").write_text("garbage\n")
    with pytest.raises(ConfigError, match=r"\.gitleaksignore:1: not a gitleaks fingerprint"):
        Context.build(tmp_path)
