"""`scan --staged` reads the index, not the working tree; install-hook; the pre-commit framework."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from git_helpers import TOKEN_A, TOKEN_B, Repo, cli, isolate_git, spillguard_cmd

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Repo:
    isolate_git(monkeypatch, tmp_path)
    r = Repo(tmp_path / "repo")
    r.write("app.py", "import os\nTOKEN = os.environ['TOKEN']\n")
    r.commit("init")
    return r


def test_staged_secret_blocks_with_redacted_report(repo, monkeypatch):
    repo.write("app.py", f"import os\nTOKEN = '{TOKEN_A}'\n")
    repo.git("add", "app.py")
    run = cli(["scan", "--staged"], repo.path, monkeypatch)
    assert run.code == 1
    assert "app.py:2:10" in run.out and "github-pat" in run.out
    leaked = TOKEN_A in run.out or TOKEN_A in run.err
    assert not leaked, "the full token was printed"
    assert TOKEN_A[:4] + "…" in run.out
    assert run.err.startswith("spillguard: commit blocked: 1 finding(s) in the staged changes")


def test_staged_reads_index_not_working_tree(repo, monkeypatch):
    # Staged: clean. Working tree: a secret (not staged) → the commit is clean.
    repo.write("notes.txt", "nothing here\n")
    repo.git("add", "notes.txt")
    repo.write("notes.txt", f"key {TOKEN_A}\n")
    assert cli(["scan", "--staged"], repo.path, monkeypatch).code == 0
    # Staged: a secret; working tree: fixed afterwards → still blocked (the index is what gets committed).
    repo.write("cfg.py", f"T = '{TOKEN_B}'\n")
    repo.git("add", "cfg.py")
    repo.write("cfg.py", "import os\nT = os.environ['T']\n")
    run = cli(["scan", "--staged", "--format", "json"], repo.path, monkeypatch)
    assert run.code == 1
    doc = json.loads(run.out)
    assert [(f["path"], f["start"]["line"]) for f in doc["findings"]] == [("cfg.py", 1)]


def test_staged_reports_added_lines_only(repo, monkeypatch):
    repo.write("old.py", f"T = '{TOKEN_A}'\n")
    repo.commit("an old secret, already committed")
    repo.write("old.py", f"T = '{TOKEN_A}'\nX = 1\n")
    repo.git("add", "old.py")
    assert cli(["scan", "--staged"], repo.path, monkeypatch).code == 0


def test_staged_first_commit_and_unusual_paths(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path)
    r = Repo(tmp_path / "fresh")
    r.write('dir with space/tab\tand"quote.env', f"GITHUB_TOKEN={TOKEN_A}\n")
    r.git("add", "-A")
    run = cli(["scan", "--staged", "--format", "json"], r.path, monkeypatch)
    assert run.code == 1
    assert json.loads(run.out)["findings"][0]["path"] == 'dir with space/tab\tand"quote.env'


def test_staged_respects_baseline(repo, monkeypatch):
    repo.write("cfg.py", f"T = '{TOKEN_A}'\n")
    repo.git("add", "cfg.py")
    assert cli(["baseline", "create", "cfg.py"], repo.path, monkeypatch).code == 0
    repo.git("add", ".spillguard-baseline.json")
    assert cli(["scan", "--staged"], repo.path, monkeypatch).code == 0
    assert cli(["scan", "--staged", "--no-baseline"], repo.path, monkeypatch).code == 1


def test_staged_outside_git_is_a_one_line_error(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path)
    (tmp_path / "plain").mkdir()
    run = cli(["scan", "--staged"], tmp_path / "plain", monkeypatch)
    assert run.code == 2
    assert run.err.count("\n") == 1 and "not inside a git repository" in run.err


def test_staged_with_paths_is_a_usage_error(repo, monkeypatch):
    run = cli(["scan", "--staged", "app.py"], repo.path, monkeypatch)
    assert run.code == 2 and run.err.startswith("spillguard: error:")


# -- install-hook: a plain git hook, run by a real `git commit` ------------------------------------

def _commit(repo: Repo) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # The hook runs `python -m spillguard` with the interpreter running these tests.
    return subprocess.run(["git", "commit", "-q", "-m", "try"], cwd=repo.path, capture_output=True, text=True,
                          env=env, check=False)


def test_install_hook_blocks_a_real_commit(repo, monkeypatch):
    run = cli(["install-hook"], repo.path, monkeypatch)
    assert run.code == 0
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    assert hook.is_file() and os.access(hook, os.X_OK)
    repo.write("leak.py", f"T = '{TOKEN_A}'\n")
    repo.git("add", "leak.py")
    proc = _commit(repo)
    assert proc.returncode != 0
    assert "leak.py:1" in proc.stdout + proc.stderr
    leaked = TOKEN_A in proc.stdout + proc.stderr
    assert not leaked
    assert repo.git("rev-list", "--count", "HEAD").strip() == "1"  # nothing committed
    repo.write("leak.py", "import os\nT = os.environ['T']\n")
    repo.git("add", "leak.py")
    assert _commit(repo).returncode == 0


def test_install_hook_refuses_foreign_hook_without_force(repo, monkeypatch):
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho team hook\n")
    run = cli(["install-hook"], repo.path, monkeypatch)
    assert run.code == 2 and "--force" in run.err and run.err.count("\n") == 1
    assert hook.read_text() == "#!/bin/sh\necho team hook\n"
    run = cli(["install-hook", "--force"], repo.path, monkeypatch)
    assert run.code == 0 and "spillguard" in hook.read_text()
    backup = hook.with_name("pre-commit.spillguard-backup")
    assert backup.read_text() == "#!/bin/sh\necho team hook\n"
    # Re-installing over our own hook needs no --force.
    assert cli(["install-hook"], repo.path, monkeypatch).code == 0


def test_install_hook_respects_core_hooks_path(repo, monkeypatch):
    repo.git("config", "core.hooksPath", ".githooks")
    assert cli(["install-hook"], repo.path, monkeypatch).code == 0
    assert (repo.path / ".githooks" / "pre-commit").is_file()
    assert not (repo.path / ".git" / "hooks" / "pre-commit").exists()


# -- the pre-commit framework -----------------------------------------------------------------

def test_manifest_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(ROOT / ".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "spillguard")
    assert hook["entry"] == "spillguard scan --staged"
    assert hook["language"] == "python" and hook["pass_filenames"] is False


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "pre_commit"]


def test_pre_commit_framework_runs_the_hook_offline(repo, tmp_path, monkeypatch):
    """The manifest's hook, as a `repo: local` hook (no network: no environment to build)."""
    import yaml  # pre-commit depends on PyYAML

    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = dict(next(h for h in manifest if h["id"] == "spillguard"))
    # Same entry and arguments, run with this interpreter instead of a fresh virtualenv.
    hook["language"] = "system"
    hook["entry"] = hook["entry"].replace("spillguard", f"{sys.executable} -m spillguard", 1)
    repo.write(".pre-commit-config.yaml", yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}))
    repo.commit("pre-commit config")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"))
    repo.write("svc/settings.py", f"API = '{TOKEN_B}'\n")
    repo.git("add", "svc/settings.py")
    proc = subprocess.run([*_pre_commit(), "run"], cwd=repo.path, capture_output=True, text=True, env=env,
                          check=False)
    assert proc.returncode == 1
    assert "svc/settings.py:1" in proc.stdout
    leaked = TOKEN_B in proc.stdout + proc.stderr
    assert not leaked
    repo.write("svc/settings.py", "import os\nAPI = os.environ['API']\n")
    repo.git("add", "svc/settings.py")
    proc = subprocess.run([*_pre_commit(), "run"], cwd=repo.path, capture_output=True, text=True, env=env,
                          check=False)
    assert proc.returncode == 0, proc.stdout[-400:]


def test_all_files_hook_finds_committed_secrets(repo, tmp_path):
    """`pre-commit run --all-files` with the `spillguard-all` hook scans whole files, not staged lines."""
    import yaml

    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = dict(next(h for h in manifest if h["id"] == "spillguard-all"))
    hook["language"] = "system"
    hook["entry"] = hook["entry"].replace("spillguard", f"{sys.executable} -m spillguard", 1)
    hook["stages"] = ["pre-commit"]
    repo.write(".pre-commit-config.yaml", yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}))
    repo.write("old/leak.py", f"T = '{TOKEN_B}'\n")
    repo.commit("committed long ago")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"))
    proc = subprocess.run([*_pre_commit(), "run", "--all-files"], cwd=repo.path, capture_output=True, text=True,
                          env=env, check=False)
    assert proc.returncode == 1
    assert "old/leak.py:1" in proc.stdout
    leaked = TOKEN_B in proc.stdout + proc.stderr
    assert not leaked


def test_module_entry_point_runs(repo):
    proc = subprocess.run([*spillguard_cmd(), "scan", "--staged"], cwd=repo.path, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0


@pytest.mark.skipif(not os.environ.get("SPILLGUARD_NETWORK_TESTS"), reason="pre-commit try-repo installs the hook's "
                    "dependencies from the package index (set SPILLGUARD_NETWORK_TESTS=1)")
def test_pre_commit_try_repo(repo, tmp_path):
    """The way a team adopts the hook: pre-commit builds a virtualenv from this repository's HEAD."""
    repo.write("leak.py", f"T = '{TOKEN_A}'\n")
    repo.git("add", "leak.py")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"))
    proc = subprocess.run([*_pre_commit(), "try-repo", str(ROOT), "spillguard", "--all-files"], cwd=repo.path,
                          capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 1 and "leak.py:1" in proc.stdout
