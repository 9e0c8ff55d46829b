"""Real git repositories in temp directories, and an in-process CLI runner.

Tokens are built at run time (valid checksums, random-looking bodies). Tests
check for leaks with a plain boolean so a failing assertion never prints a
full token.
"""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from spillguard.engine.validators import make_crc62_token

TOKEN_A = make_crc62_token("ghp_", "Qm7Rz2Kp9Lw4Tx8Vb3Nc6Hd1Jf5Gs0")
TOKEN_B = make_crc62_token("ghp_", "Zy4Xw8Vu2Ts6Rq0Po3Nm7Lk1Ji5Hg9")
TOKEN_C = make_crc62_token("npm_", "Ab3Cd7Ef1Gh5Ij9Kl2Mn6Op0Qr4St8")


def isolate_git(monkeypatch, tmp_path: Path) -> None:
    """No user or system git config leaks into a test (hooksPath, signing, templates)."""
    cfg = tmp_path / "gitconfig-global"
    cfg.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test User")
        self.git("config", "user.email", "test@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, stdin: str | None = None) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=self.path, input=stdin, capture_output=True, text=True, check=True
        )
        return proc.stdout

    def write(self, rel: str, text: str) -> Path:
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        return p

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@dataclass
class Run:
    code: int
    out: str
    err: str


def cli(args: list[str], cwd: Path, monkeypatch, stdin: str = "") -> Run:
    """Run `spillguard ARGS` in-process with cwd, stdin, stdout and stderr swapped."""
    from spillguard.cli import main

    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(args)
    return Run(code, out.getvalue(), err.getvalue())


def spillguard_cmd() -> list[str]:
    """The console entry as a subprocess (same interpreter as the tests)."""
    return [sys.executable, "-m", "spillguard"]


