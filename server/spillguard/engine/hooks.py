"""Commit-time and per-finding hooks.

`install_hook` writes a plain git pre-commit hook (for teams without the
pre-commit framework). `run_on_finding` runs a team's own command once per
finding with the rule id, path, line and fingerprint as separate arguments:
no shell ever sees finding data, and the secret itself is never passed.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .gitscan import GitError, git

HOOK_MARKER = "# spillguard pre-commit hook"


class HookError(Exception):
    """The hook cannot be installed; one line."""


def hooks_dir(repo: Path) -> Path:
    """Where git runs hooks from: core.hooksPath when set, else .git/hooks."""
    out = git(["rev-parse", "--git-path", "hooks"], repo).decode().strip()
    path = Path(out)
    return path if path.is_absolute() else (repo / path)


def hook_script(python: str | None = None) -> str:
    exe = python or sys.executable
    return (
        "#!/bin/sh\n"
        f"{HOOK_MARKER} (written by `spillguard install-hook`; safe to delete)\n"
        "# Blocks the commit when the staged content holds a secret. Bypass once: git commit --no-verify\n"
        f"if [ -x {shlex.quote(exe)} ]; then\n"
        f"  exec {shlex.quote(exe)} -m spillguard scan --staged\n"
        "fi\n"
        "exec spillguard scan --staged\n"
    )


@dataclass(frozen=True, slots=True)
class Installed:
    path: Path
    backup: Path | None


def install_hook(repo: Path, force: bool = False) -> Installed:
    try:
        directory = hooks_dir(repo)
    except GitError as exc:
        raise HookError(f"{repo}: not inside a git repository") from exc
    target = directory / "pre-commit"
    backup: Path | None = None
    if target.exists() or target.is_symlink():
        try:
            current = target.read_text(encoding="utf-8", errors="replace")
        except OSError:
            current = ""
        if HOOK_MARKER not in current:
            if not force:
                raise HookError(f"{target} exists and was not written by spillguard (use --force to replace it)")
            backup = target.with_name("pre-commit.spillguard-backup")
            target.replace(backup)  # keep the team's hook: nothing lost
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(hook_script(), encoding="utf-8")
        mode = target.stat().st_mode
        target.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    except OSError as exc:
        raise HookError(f"cannot write {target}: {exc.strerror}") from exc
    return Installed(target, backup)


@dataclass(frozen=True, slots=True)
class HookRun:
    finding: Finding
    returncode: int
    error: str = ""


def on_finding_argv(command: str, f: Finding) -> list[str]:
    """The team's command (split like a shell would, but never run by one) + finding arguments."""
    return [*shlex.split(command), f.rule_id, f.path, str(f.start_line), f.fingerprint]


def run_on_finding(command: str, findings: Iterable[Finding], cwd: Path, timeout: float = 300.0) -> list[HookRun]:
    try:
        shlex.split(command)
    except ValueError as exc:
        raise HookError(f"--on-finding: cannot parse command: {exc}") from exc
    if not command.strip():
        raise HookError("--on-finding: empty command")
    env = dict(os.environ)
    runs: list[HookRun] = []
    for f in findings:
        argv = on_finding_argv(command, f)
        try:
            proc = subprocess.run(
                argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
            )
            # The report may be on stdout (json, sarif): the command's own output goes to stderr.
            for stream in (proc.stdout, proc.stderr):
                if stream:
                    sys.stderr.write(stream.decode("utf-8", "replace"))
            runs.append(HookRun(f, proc.returncode))
        except FileNotFoundError:
            runs.append(HookRun(f, 127, f"command not found: {argv[0]}"))
        except PermissionError:
            runs.append(HookRun(f, 126, f"not executable: {argv[0]}"))
        except subprocess.TimeoutExpired:
            runs.append(HookRun(f, 124, f"timed out after {timeout:.0f}s"))
    return runs
