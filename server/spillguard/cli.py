"""Command line: scan, rules, baseline, serve, install-hook, explain.

Exit codes: 0 nothing found, 1 findings (or a secret spread by a change),
2 usage/config/I/O error (one line on stderr).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .engine.config import ConfigError
from .engine.context import Context
from .engine.findings import Finding
from .engine.project import ScanResult, apply_baseline, scan_paths
from .engine.rules import RuleError
from .engine.suppress import BASELINE_NAME, BaselineError, write_baseline


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"spillguard: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="spillguard", description="Find secrets and insecure defaults.")
    p.add_argument("--version", action="version", version=f"spillguard {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    scan = sub.add_parser("scan", help="scan files or directories ('-' reads stdin)")
    scan.add_argument("paths", nargs="*", default=["."])
    scan.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    scan.add_argument("--output", "-o", help="write the report to FILE")
    scan.add_argument("--config", help="config file (default: .spillguard.toml or pyproject.toml at the root)")
    scan.add_argument("--root", help="scan root for config and relative paths (default: current directory)")
    scan.add_argument("--no-baseline", action="store_true", help="report baselined findings too")
    scan.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: all cores)")
    scan.add_argument("--stdin-name", default="stdin", help="path to report for '-' input")
    scan.add_argument("--max-file-size", type=int, help="skip files larger than this many bytes")
    scan.add_argument("--no-color", action="store_true", help="no colour (also: NO_COLOR in the environment)")
    mode = scan.add_mutually_exclusive_group()
    mode.add_argument("--staged", action="store_true", help="scan the lines the index adds (for pre-commit hooks)")
    mode.add_argument("--diff", metavar="BASE[..HEAD]", help="findings on added lines, and each secret's spread")
    mode.add_argument(
        "--history", nargs="?", const="", metavar="REV-RANGE", help="scan every commit reachable (default: all refs)"
    )
    scan.add_argument("--ai-only", action="store_true", help="only findings on AI-authored lines (Agent Trace, git-ai)")
    scan.add_argument(
        "--on-finding",
        metavar="CMD",
        help="run CMD once per finding with arguments: rule id, path, line, fingerprint (never the secret)",
    )

    rules = sub.add_parser("rules", help="list rules or check rule files' examples")
    rules.add_argument("--check", nargs="*", metavar="FILE", help="check examples of FILEs (default: built-in)")
    rules.add_argument("--list", action="store_true", help="list rule ids and titles")

    base = sub.add_parser("baseline", help="manage the baseline of reviewed findings")
    bsub = base.add_subparsers(dest="baseline_command", required=True)
    create = bsub.add_parser("create", help=f"write {BASELINE_NAME} from the current findings")
    create.add_argument("paths", nargs="*", default=["."])
    create.add_argument("--output", "-o", default=None)
    create.add_argument("--config")

    hook = sub.add_parser("install-hook", help="write a plain git pre-commit hook that runs 'scan --staged'")
    hook.add_argument("--force", action="store_true", help="replace a hook spillguard did not write (kept as a backup)")

    explain = sub.add_parser("explain", help="what leaked, where (redacted), and how to revoke and rotate it")
    explain.add_argument("query", metavar="RULE|FINGERPRINT")
    explain.add_argument("paths", nargs="*", default=["."], help="where to look for a fingerprint (default: .)")
    explain.add_argument("--config")

    serve = sub.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio (debugging)")
    serve.add_argument("--stdio", action="store_true", help="use stdio (default; accepted for LSP clients)")
    serve.add_argument("--log-level", default="info", choices=["error", "warning", "info", "debug"])
    return p


def _die(msg: str) -> int:
    sys.stderr.write(f"spillguard: error: {msg}\n")
    return 2


def _progress(stream: object) -> Callable[[int, int], None] | None:
    if not getattr(stream, "isatty", lambda: False)():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\rscanning [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\r" + " " * (width + 30) + "\r")
        sys.stderr.flush()

    return show


def _colour(args: argparse.Namespace) -> bool:
    return not args.no_color and not args.output and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _git_scan(args: argparse.Namespace) -> tuple[ScanResult, Context, list[Any] | None]:
    from .engine import gitscan
    from .engine.spread import compute_spread

    if args.paths not in ([], ["."]):
        raise UsageError("PATH arguments cannot be combined with --staged, --diff or --history")
    root = Path(args.root) if args.root else gitscan.repo_root(Path.cwd())
    ctx = _context(root, args)
    spreads: list[Any] | None = None
    if args.staged:
        scan: ScanResult = gitscan.scan_staged(root, ctx)
    elif args.diff is not None:
        diff = gitscan.scan_diff(root, ctx, args.diff, jobs=args.jobs or None)
        # Spread is computed before the baseline: copying a reviewed secret still widens it.
        spreads = compute_spread(diff.before, diff.after, diff.findings)
        scan = diff
    else:
        scan = gitscan.scan_history(root, ctx, args.history or None, jobs=args.jobs or None)
        if ctx.interop is not None:  # .gitleaks.toml allowlisted commits
            interop = ctx.interop
            scan.findings = [f for f in scan.findings if not interop.allowed_commit(dict(f.extra).get("commit", ""))]
    # A copy: `scan.findings` keeps what the baseline drops, for the spread below.
    result = replace(scan, findings=list(scan.findings))
    if not args.no_baseline:
        apply_baseline(result, ctx)
        # A baselined secret copied to new places is news: report those copies
        # (every format, SARIF included), marked with the spread.
        wider = {s.fingerprint: s for s in spreads or [] if s.widened}
        shown = {(f.fingerprint, f.path, f.start_line) for f in result.findings}
        for f in scan.findings:
            spread = wider.get(f.fingerprint)
            if spread and (f.fingerprint, f.path, f.start_line) not in shown:
                result.findings.append(f.with_(extra=f.extra + (("spread", f"{spread.before}->{spread.after}"),)))
                result.baselined -= 1
        result.findings.sort(key=lambda f: (f.path, f.start_line, f.start_col, f.rule_id))
    return result, ctx, spreads


def _context(root: Path, args: argparse.Namespace) -> Context:
    ctx = Context.build(root, Path(args.config) if args.config else None)
    if args.max_file_size:
        ctx.config = replace(ctx.config, max_file_size=args.max_file_size)
    return ctx


def _run_scan(args: argparse.Namespace) -> int:
    git_mode = args.staged or args.diff is not None or args.history is not None
    spreads: list[Any] | None = None  # only `--diff` reports spread
    if git_mode:
        result, ctx, spreads = _git_scan(args)
        source = "index" if args.staged else "diff" if args.diff is not None else "history"
    else:
        from .engine.walk import project_root

        scan_args = [Path(p) for p in args.paths if p != "-"]
        root = Path(args.root) if args.root else project_root(scan_args) if scan_args else Path.cwd()
        ctx = _context(root, args)
        source = "worktree"
        if args.paths == ["-"]:
            from .engine.walk import decode

            text = decode(sys.stdin.buffer.read())
            result = ScanResult(findings=ctx.analyze(text, args.stdin_name), files=1, bytes=len(text))
            source = "stdin"
        elif "-" in args.paths:
            raise UsageError("'-' (stdin) cannot be combined with other paths")
        else:
            result = scan_paths(
                [Path(p) for p in args.paths],
                ctx,
                config_path=Path(args.config) if args.config else None,
                jobs=args.jobs or None,
                use_baseline=not args.no_baseline,
                progress=_progress(sys.stderr),
            )
    result.findings = _provenance(result.findings, ctx.config.root, source, args)
    if args.ai_only:
        from .engine.provenance import is_ai_authored

        result.findings = [f for f in result.findings if is_ai_authored(f)]
        if spreads is not None:
            spreads = [s for s in spreads if s.fingerprint in {f.fingerprint for f in result.findings}]
    report = _render(args.format, result, colour=_colour(args), spreads=spreads)
    if args.output:
        try:
            Path(args.output).write_text(report, encoding="utf-8")
        except OSError as exc:
            return _die(f"cannot write {args.output}: {exc.strerror}")
    else:
        sys.stdout.write(report)
        sys.stdout.flush()
    for e in result.errors:
        sys.stderr.write(f"spillguard: warning: {e.path}: {e.reason}\n")
    if args.staged and result.findings:
        sys.stderr.write(
            f"spillguard: commit blocked: {len(result.findings)} finding(s) in the staged changes. Remove the secret "
            "and `git add` again; a reviewed exception: `spillguard:ignore[rule-id] reason` on the line or "
            "`spillguard baseline create`; bypass once: `git commit --no-verify`\n"
        )
    if args.on_finding and result.findings:
        _run_on_finding(args.on_finding, result.findings, ctx.config.root)
    if result.errors and not result.files and not result.findings:
        return 2
    if not git_mode and any(e.reason == "no such file or directory" for e in result.errors):
        return 2  # a path the user named does not exist: a usage error, even beside findings
    return 1 if result.findings or any(s.widened for s in spreads or []) else 0


def _provenance(findings: list[Finding], root: Path, source: str, args: argparse.Namespace) -> list[Finding]:
    if not findings or source == "stdin":
        return findings
    from .engine.provenance import Provenance

    return Provenance.load(root).mark(findings, source=source, diff=args.diff)


def _run_on_finding(command: str, findings: list[Finding], cwd: Path) -> None:
    from .engine.hooks import run_on_finding

    failed = [r for r in run_on_finding(command, findings, cwd) if r.returncode != 0]
    for r in failed:
        why = r.error or f"exit {r.returncode}"
        sys.stderr.write(
            f"spillguard: warning: --on-finding failed for {r.finding.rule_id} at "
            f"{r.finding.path}:{r.finding.start_line}: {why}\n"
        )


def _render(fmt: str, result: ScanResult, colour: bool, spreads: list[Any] | None = None) -> str:
    if fmt == "json":
        from .report import json_report

        return json_report.render(result, {"spread": [s.to_dict() for s in spreads]} if spreads is not None else None)
    if fmt == "sarif":
        from .report import sarif

        return sarif.render(result)
    from .engine.spread import render_text
    from .report import text

    return render_text(spreads or []) + text.render(result, colour=colour, show_spread=spreads is None)


def _is_insecure_rule_file(path: Path) -> bool:
    """Tree-sitter rule files hold one rule with a top-level `query`; secret rule files hold [[rule]] tables."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # the secret-rule parser reports the error, naming the file
    return "query" in data and "rule" not in data


def _run_rules(args: argparse.Namespace) -> int:
    from .engine.rulecheck import check_rules
    from .engine.rules import builtin_rules_dir, load_rules, parse_rule_file

    if args.check is not None:
        from .engine.rulecheck import check_insecure_rule_files

        files = [Path(f) for f in args.check]
        insecure_files = [f for f in files if _is_insecure_rule_file(f)]
        if args.check:
            rules = [r for f in files if f not in insecure_files for r in parse_rule_file(f)]
        else:
            rules = load_rules()
        failures = check_rules(rules)
        # tree-sitter rules: the built-in ones, or the files under an insecure/ directory
        count, more = check_insecure_rule_files(insecure_files if args.check else None)
        failures += more
        for fail in failures:
            sys.stdout.write(fail + "\n")
        sys.stdout.write(f"{len(rules) + count} rule(s) checked, {len(failures)} failing example(s)\n")
        return 1 if failures else 0
    rules = load_rules()
    for r in rules:
        sys.stdout.write(f"{r.id}\t{r.provider}\t{r.title}\n")
    sys.stdout.write(f"{len(rules)} secret rules from {builtin_rules_dir()}\n")
    return 0


def _run_baseline(args: argparse.Namespace) -> int:
    root = Path.cwd()
    ctx = Context.build(root, Path(args.config) if args.config else None)
    result = scan_paths([Path(p) for p in args.paths], ctx, use_baseline=False)
    out = Path(args.output) if args.output else (ctx.config.baseline or root / BASELINE_NAME)
    try:
        n = write_baseline(out, result.findings)
    except OSError as exc:
        return _die(f"cannot write {out}: {exc.strerror}")
    sys.stdout.write(f"wrote {n} fingerprint(s) to {out}\n")
    return 0


def _run_install_hook(args: argparse.Namespace) -> int:
    from .engine.gitscan import repo_root
    from .engine.hooks import install_hook

    installed = install_hook(repo_root(Path.cwd()), force=args.force)
    sys.stdout.write(f"installed {installed.path}\n")
    if installed.backup:
        sys.stdout.write(f"the previous hook is kept as {installed.backup}\n")
    return 0


def _run_explain(args: argparse.Namespace) -> int:
    from .engine.explain import explain

    root = Path.cwd()
    ctx = Context.build(root, Path(args.config) if args.config else None)
    text, _ = explain(args.query, ctx, [Path(p) for p in args.paths])
    sys.stdout.write(text)
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from .lsp.server import run

    return run(tcp=args.tcp, log_level=args.log_level)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed a usage line
        return 0 if exc.code == 0 else 2
    handlers = {
        "scan": _run_scan,
        "rules": _run_rules,
        "baseline": _run_baseline,
        "serve": _run_serve,
        "install-hook": _run_install_hook,
        "explain": _run_explain,
    }
    try:
        return handlers[args.command](args)
    except (ConfigError, RuleError, BaselineError, UsageError) as exc:
        return _die(str(exc).splitlines()[0])
    except KeyboardInterrupt:
        return _die("interrupted")
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if isinstance(exc, _command_errors()):
            return _die(str(exc).splitlines()[0])
        raise


def run() -> NoReturn:
    """The `spillguard` command: main(), then a quick exit once everything written is
    flushed. Finalizing the interpreter would free every rule, pattern and tree one by
    one, and wait for nothing: the scan's worker processes have already ended."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more to deliver
            pass
    logging.shutdown()
    os._exit(code)


def _command_errors() -> tuple[type[Exception], ...]:
    """The user-facing errors of the git, hook and explain commands (imported only when
    something failed: a plain scan does not load those modules)."""
    from .engine.explain import ExplainError
    from .engine.gitscan import GitError
    from .engine.hooks import HookError

    return GitError, HookError, ExplainError
