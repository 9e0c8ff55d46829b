"""`scan --diff` (added lines + spread) and `scan --history` on real repositories."""

from __future__ import annotations

import json

import pytest
from git_helpers import TOKEN_A, TOKEN_B, TOKEN_C, Repo, cli, isolate_git

from spillguard.engine.gitscan import added_lines, unquote


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Repo:
    isolate_git(monkeypatch, tmp_path)
    r = Repo(tmp_path / "repo")
    r.write("app/config.py", f"import os\nDB = os.environ['DB']\nGH = '{TOKEN_A}'\n")
    r.write("README.md", "# app\n")
    r.commit("init")
    return r


def _json(run):
    assert run.code in (0, 1), run.err
    return json.loads(run.out)


def test_diff_reports_added_lines_only(repo, monkeypatch):
    base = repo.git("rev-parse", "HEAD").strip()
    repo.write("app/config.py", f"import os\nDB = os.environ['DB']\nGH = '{TOKEN_A}'\nNPM = '{TOKEN_C}'\n")
    head = repo.commit("add npm token")
    doc = _json(cli(["scan", "--diff", f"{base}..{head}", "--format", "json"], repo.path, monkeypatch))
    assert [(f["rule"], f["path"], f["start"]["line"]) for f in doc["findings"]] == [("npm-access-token", "app/config.py", 4)]


def test_copy_of_a_baselined_secret_is_reported_as_spread(repo, monkeypatch):
    # The existing secret is reviewed (baselined)...
    assert cli(["baseline", "create", "."], repo.path, monkeypatch).code == 0
    repo.commit("baseline")
    # ...then a "refactor" copies it into two new files.
    repo.write("app/settings/prod.py", f"TOKEN = '{TOKEN_A}'\n")
    repo.write("tests/fixtures.py", f"token = \"{TOKEN_A}\"\n")
    repo.commit("split settings")
    run = cli(["scan", "--diff", "HEAD~1..HEAD", "--format", "json"], repo.path, monkeypatch)
    assert run.code == 1
    doc = json.loads(run.out)
    # The value is baselined, but its copies are news: reported, marked with the spread...
    assert [(f["path"], f["spread"]) for f in doc["findings"]] == [
        ("app/settings/prod.py", "1->3"),
        ("tests/fixtures.py", "1->3"),
    ]
    assert doc["summary"]["baselined"] == 0
    sarif = json.loads(cli(["scan", "--diff", "HEAD~1..HEAD", "--format", "sarif"], repo.path, monkeypatch).out)
    assert [r["properties"]["spread"] for r in sarif["runs"][0]["results"]] == ["1->3", "1->3"]
    [spread] = doc["spread"]  # ...and it now lives in three places
    assert spread["rule"] == "github-pat" and spread["fingerprint"].startswith("sg1:")
    assert (spread["before"], spread["after"]) == (1, 3)
    assert spread["locations"] == [
        {"path": "app/config.py", "line": 3, "new": False},
        {"path": "app/settings/prod.py", "line": 1, "new": True},
        {"path": "tests/fixtures.py", "line": 1, "new": True},
    ]
    leaked = TOKEN_A in run.out
    assert not leaked


def test_moving_a_secret_is_not_wider(repo, monkeypatch):
    repo.git("mv", "app/config.py", "app/conf.py")
    repo.commit("rename")
    run = cli(["scan", "--diff", "HEAD~1..HEAD", "--format", "json"], repo.path, monkeypatch)
    assert run.code == 0  # a pure rename adds no line
    assert _json(run)["spread"] == []


def test_diff_against_working_tree_includes_untracked_files(repo, monkeypatch):
    repo.write("deploy/.env", f"NPM_TOKEN={TOKEN_C}\nGH={TOKEN_A}\n")
    run = cli(["scan", "--diff", "HEAD", "--format", "json"], repo.path, monkeypatch)
    doc = _json(run)
    assert run.code == 1
    assert {(f["path"], f["start"]["line"]) for f in doc["findings"]} == {("deploy/.env", 1), ("deploy/.env", 2)}
    by_rule = {s["rule"]: (s["before"], s["after"]) for s in doc["spread"]}
    assert by_rule == {"github-pat": (1, 2), "npm-access-token": (0, 1)}


def test_diff_text_report_shows_spread(repo, monkeypatch):
    repo.write("copy.py", f"T = '{TOKEN_A}'\n")
    run = cli(["scan", "--diff", "HEAD", "--no-color"], repo.path, monkeypatch)
    assert run.code == 1
    assert "1 → 2 (WIDER)" in run.out and "copy.py:1  (new file for this secret)" in run.out


def test_three_dot_diff_starts_at_the_merge_base(repo, monkeypatch):
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("feature.py", f"T = '{TOKEN_B}'\n")
    repo.commit("feature leak")
    repo.git("checkout", "-q", "main")
    repo.write("app/config.py", "import os\nDB = os.environ['DB']\n")  # main removes its old secret
    repo.commit("main moves on")
    run = cli(["scan", "--diff", "main...feature", "--format", "json"], repo.path, monkeypatch)
    assert [f["path"] for f in _json(run)["findings"]] == ["feature.py"]  # only what the branch adds
    run = cli(["scan", "--diff", "main..feature", "--format", "json"], repo.path, monkeypatch)
    assert [f["path"] for f in _json(run)["findings"]] == ["app/config.py", "feature.py"]  # tree against tree


def test_diff_bad_revision_is_a_one_line_error(repo, monkeypatch):
    for spec in ("no-such-branch", "HEAD..nope", "--output=x", ".."):
        run = cli(["scan", "--diff", spec], repo.path, monkeypatch)
        assert run.code == 2, spec
        assert run.err.startswith("spillguard: error:") and run.err.count("\n") == 1


def test_history_finds_removed_secrets_with_their_first_commit(repo, monkeypatch):
    first = repo.git("rev-parse", "HEAD").strip()
    repo.write("app/config.py", "import os\nDB = os.environ['DB']\nGH = os.environ['GH']\n")
    repo.commit("remove token")
    repo.write("scripts/deploy.sh", f"export NPM_TOKEN={TOKEN_C}\n")
    introduced = repo.commit("add deploy script")
    repo.write("scripts/deploy.sh", f"# deploy\nexport NPM_TOKEN={TOKEN_C}\n")  # same secret, line moves
    repo.commit("comment")
    (repo.path / "scripts/deploy.sh").unlink()
    repo.commit("remove script")
    # A side branch holds another secret, never merged.
    repo.git("checkout", "-q", "-b", "side", first)
    repo.write("side.py", f"T = '{TOKEN_B}'\n")
    side = repo.commit("side")
    repo.git("checkout", "-q", "main")
    assert not (repo.path / "scripts" / "deploy.sh").exists()

    run = cli(["scan", "--history", "--format", "json"], repo.path, monkeypatch)
    assert run.code == 1
    got = sorted((f["path"], f["rule"], f["commit"]) for f in _json(run)["findings"])
    assert got == sorted([
        ("app/config.py", "github-pat", first),
        ("scripts/deploy.sh", "npm-access-token", introduced),
        ("side.py", "github-pat", side),
    ])
    # A range limits the walk: only main's last three commits.
    run = cli(["scan", "--history", "HEAD~3..HEAD", "--format", "json"], repo.path, monkeypatch)
    assert [(f["path"], f["commit"]) for f in _json(run)["findings"]] == [("scripts/deploy.sh", introduced)]


def test_history_text_and_sarif_carry_the_commit(repo, monkeypatch):
    sha = repo.git("rev-parse", "HEAD").strip()
    run = cli(["scan", "--history", "--no-color"], repo.path, monkeypatch)
    assert f"commit: {sha}" in run.out
    sarif = json.loads(cli(["scan", "--history", "--format", "sarif"], repo.path, monkeypatch).out)
    [result] = sarif["runs"][0]["results"]
    assert result["properties"]["commit"] == sha
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/config.py"


def test_history_scans_each_blob_once(repo, monkeypatch):
    from spillguard.engine import gitscan
    from spillguard.engine.context import Context

    for i in range(3):  # the same two files, unchanged, across more commits
        repo.write(f"other{i}.txt", f"{i}\n")
        repo.commit(f"c{i}")
    calls: list[str] = []
    real_one, real_many = gitscan.BlobReader.read, gitscan.BlobReader.read_many

    def one(self, sha):
        calls.append(sha)
        return real_one(self, sha)

    def many(self, shas):
        calls.extend(shas)
        return real_many(self, shas)

    monkeypatch.setattr(gitscan.BlobReader, "read", one)
    monkeypatch.setattr(gitscan.BlobReader, "read_many", many)
    scan = gitscan.scan_history(repo.path, Context.build(repo.path))
    assert len(calls) == len(set(calls)) == 5  # config.py, README.md, other0-2
    assert len(scan.findings) == 1


def test_added_lines_parser_and_unquote():
    patch = (
        b'diff --git "a/x\\ty" "b/x\\ty"\n+++ "b/x\\ty"\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n'
        b"+++ b/plain name.txt\t\n@@ -4 +5 @@\n-x\n+y\n@@ -9,2 +11,0 @@\n"
        b"+++ /dev/null\n@@ -1 +0,0 @@\n"
    )
    assert added_lines(patch) == {"x\ty": {1, 2, 3}, "plain name.txt": {5}}
    assert unquote('"caf\\303\\251 \\"q\\""') == 'café "q"'


def test_parallel_history_and_diff_equal_serial(repo, monkeypatch):
    from spillguard.engine import gitscan
    from spillguard.engine.context import Context

    for i in range(6):
        repo.write(f"pkg/mod{i}.py", f"import os\nX{i} = {i}\n" + (f"K = '{TOKEN_B}'\n" if i % 2 else ""))
        repo.commit(f"mod {i}")
    ctx = Context.build(repo.path)
    monkeypatch.setattr(gitscan, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(gitscan, "CHUNK_BYTES", 10)
    monkeypatch.setattr(gitscan, "WINDOW_BLOBS", 3)

    def key(scan):
        return [(f.path, f.start_line, f.rule_id, f.fingerprint, f.extra) for f in scan.findings]

    serial, parallel = gitscan.scan_history(repo.path, ctx, jobs=1), gitscan.scan_history(repo.path, ctx, jobs=2)
    assert key(serial) == key(parallel) and len(serial.findings) == 4
    assert (serial.files, serial.bytes) == (parallel.files, parallel.bytes)
    d1, d2 = gitscan.scan_diff(repo.path, ctx, "HEAD~4..HEAD", jobs=1), gitscan.scan_diff(repo.path, ctx, "HEAD~4..HEAD", jobs=2)
    assert key(d1) == key(d2) and len(d1.findings) == 2


def test_history_names_the_introducing_commit_despite_clock_skew(tmp_path, monkeypatch):
    """A child commit dated before its parent: the walk must still go parents first (topological order)."""
    isolate_git(monkeypatch, tmp_path)

    def at(day: str) -> None:
        for var in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            monkeypatch.setenv(var, f"2026-01-{day}T00:00:00+00:00")

    r = Repo(tmp_path / "skew")
    at("05")
    r.write("a.py", f"T = '{TOKEN_A}'\n")
    introduced = r.commit("add a.py")
    r.git("checkout", "-q", "-b", "feature")
    at("01")
    r.write("a.py", f"# edited\nT = '{TOKEN_A}'\n")
    r.commit("edit a.py")
    r.git("checkout", "-q", "main")
    at("09")
    r.write("b.txt", "later\n")
    r.commit("later")
    run = cli(["scan", "--history", "--format", "json"], r.path, monkeypatch)
    assert [(f["path"], f["commit"]) for f in _json(run)["findings"]] == [("a.py", introduced)]
