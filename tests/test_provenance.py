"""AI provenance from our own Agent Trace (v0.1.0) and git-ai (authorship/3.0.0) fixtures."""

from __future__ import annotations

import json

import pytest
from git_helpers import TOKEN_A, TOKEN_B, TOKEN_C, Repo, cli, isolate_git

from spillguard.engine.provenance import parse_authorship_log, parse_ranges


def trace_record(path: str, start: int, end: int, revision: str | None = None, kind: str = "ai") -> dict:
    rec: dict = {
        "version": "0.1.0",
        "id": "550e8400-e29b-41d4-a716-446655440000",
        "timestamp": "2026-01-25T10:00:00Z",
        "tool": {"name": "test-agent", "version": "1.0"},
        "files": [
            {
                "path": path,
                "conversations": [
                    {
                        "url": "https://agent.example.com/conversations/1",
                        "contributor": {"type": kind, "model_id": "example/model-1"},
                        "ranges": [{"start_line": start, "end_line": end}],
                    }
                ],
            }
        ],
    }
    if revision:
        rec["vcs"] = {"type": "git", "revision": revision}
    return rec


def authorship_log(path: str, ranges: str, base: str) -> str:
    meta = {
        "schema_version": "authorship/3.0.0",
        "git_ai_version": "1.0.0",
        "base_commit_sha": base,
        "prompts": {
            "d9978a8723e02b52": {
                "agent_id": {"tool": "example-agent", "id": "6ef2299e-a67f-432b-aa80-3d2fb4d28999", "model": "m"},
                "human_author": "Test User <test@example.com>",
                "messages": [],
                "total_additions": 3,
                "total_deletions": 0,
                "accepted_lines": 3,
                "overriden_lines": 0,
            }
        },
    }
    return f"{path}\n  d9978a8723e02b52 {ranges}\n---\n{json.dumps(meta, indent=2)}\n"


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Repo:
    isolate_git(monkeypatch, tmp_path)
    r = Repo(tmp_path / "repo")
    r.write("README.md", "# x\n")
    r.commit("init")
    return r


def _findings(run) -> dict[str, dict]:
    assert run.code in (0, 1), run.err
    return {f"{f['path']}:{f['start']['line']}": f for f in json.loads(run.out)["findings"]}


def test_agent_trace_jsonl_without_vcs_marks_current_lines(repo, monkeypatch):
    repo.write("app.py", f"A = '{TOKEN_A}'\nB = '{TOKEN_B}'\n")
    repo.write(".agent-trace/traces.jsonl", json.dumps(trace_record("app.py", 2, 2)) + "\n{torn line\n")
    found = _findings(cli(["scan", "app.py", "--format", "json"], repo.path, monkeypatch))
    assert found["app.py:2"]["aiAuthored"] is True
    assert "aiAuthored" not in found["app.py:1"]
    sarif = json.loads(cli(["scan", "app.py", "--format", "sarif"], repo.path, monkeypatch).out)
    props = {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r["properties"]
             for r in sarif["runs"][0]["results"]}
    assert props[2]["aiAuthored"] is True and "aiAuthored" not in props[1]
    run = cli(["scan", "app.py", "--format", "json", "--ai-only"], repo.path, monkeypatch)
    assert list(_findings(run)) == ["app.py:2"]


def test_human_contributor_is_not_ai(repo, monkeypatch):
    repo.write("app.py", f"A = '{TOKEN_A}'\n")
    repo.write(".agent-trace/rec.json", json.dumps(trace_record("app.py", 1, 1, kind="human")))
    run = cli(["scan", "app.py", "--ai-only"], repo.path, monkeypatch)
    assert run.code == 0


def test_agent_trace_with_revision_follows_lines_through_blame(repo, monkeypatch):
    before = repo.git("rev-parse", "HEAD").strip()
    # The agent wrote lines 2-3 while HEAD was `before` (recorded before the commit)...
    repo.write("svc/client.py", f"import os\nTOKEN = '{TOKEN_A}'\nURL = 'https://api.example.com'\n")
    repo.write(".agent-trace/traces.jsonl", json.dumps(trace_record("svc/client.py", 2, 3, revision=before)) + "\n")
    repo.commit("agent change")
    # ...then a human adds lines above and a secret of their own.
    repo.write("svc/client.py", f"# header\n# more\nimport os\nTOKEN = '{TOKEN_A}'\nURL = 'https://api.example.com'\n"
                                f"OTHER = '{TOKEN_B}'\n")
    repo.commit("human edit")
    found = _findings(cli(["scan", ".", "--format", "json"], repo.path, monkeypatch))
    assert found["svc/client.py:4"].get("aiAuthored") is True  # was line 2 when the agent wrote it
    assert "aiAuthored" not in found["svc/client.py:6"]


def test_git_ai_notes_mark_committed_lines_and_history(repo, monkeypatch):
    base = repo.git("rev-parse", "HEAD").strip()
    repo.write("deploy.sh", f"#!/bin/sh\nexport NPM_TOKEN={TOKEN_C}\nexport GH={TOKEN_A}\n")
    commit = repo.commit("agent wrote the deploy script")
    repo.git("notes", "--ref=ai", "add", "-F", "-", commit, stdin=authorship_log("deploy.sh", "1-2", base))
    found = _findings(cli(["scan", ".", "--format", "json"], repo.path, monkeypatch))
    assert found["deploy.sh:2"]["aiAuthored"] is True
    assert "aiAuthored" not in found["deploy.sh:3"]
    # History: the same note applies at the commit that introduced the secret.
    (repo.path / "deploy.sh").unlink()
    repo.commit("remove")
    hist = _findings(cli(["scan", "--history", "--format", "json", "--ai-only"], repo.path, monkeypatch))
    assert list(hist) == ["deploy.sh:2"] and hist["deploy.sh:2"]["commit"] == commit


def test_staged_ai_edit_recorded_at_head(repo, monkeypatch):
    head = repo.git("rev-parse", "HEAD").strip()
    repo.write("cfg.py", f"X = 1\nK = '{TOKEN_B}'\n")
    repo.write(".agent-trace/t.jsonl", json.dumps(trace_record("cfg.py", 2, 2, revision=head)) + "\n")
    repo.git("add", "cfg.py")
    found = _findings(cli(["scan", "--staged", "--format", "json"], repo.path, monkeypatch))
    assert found["cfg.py:2"]["aiAuthored"] is True


def test_format_parsers():
    assert parse_ranges("1-4,9,12-13,x,5-3") == [(1, 4), (9, 9), (12, 13)]
    log = parse_authorship_log(
        'src/a.rs\n  abcd1234abcd1234 1-10,15\n"src/my file.rs"\n  efgh5678efgh5678 3\n---\n'
        '{"schema_version": "authorship/3.0.0", "base_commit_sha": "x", "prompts": {}}'
    )
    assert log == {"src/a.rs": [(1, 10), (15, 15)], "src/my file.rs": [(3, 3)]}
    assert parse_authorship_log("src/a.rs\n  abcd 1\n---\n{\"schema_version\": \"authorship/2.0.0\"}") is None
    assert parse_authorship_log("no divider") is None
