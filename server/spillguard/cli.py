"""Command line: scan, rules, baseline, serve.

Exit codes: 0 nothing found, 1 findings, 2 usage/config/I/O error (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .engine.config import ConfigError
from .engine.context import Context
from .engine.project import ScanResult, scan_paths
from .engine.rules import RuleError
from .engine.suppress import BASELINE_NAME, BaselineError, write_baseline


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spillguard", description="Find secrets and insecure defaults.")
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
    scan.add_argument("--no-color", action="store_true")

    rules = sub.add_parser("rules", help="list rules or check rule files' examples")
    rules.add_argument("--check", nargs="*", metavar="FILE", help="check examples of FILEs (default: built-in)")
    rules.add_argument("--list", action="store_true", help="list rule ids and titles")

    base = sub.add_parser("baseline", help="manage the baseline of reviewed findings")
    bsub = base.add_subparsers(dest="baseline_command", required=True)
    create = bsub.add_parser("create", help=f"write {BASELINE_NAME} from the current findings")
    create.add_argument("paths", nargs="*", default=["."])
    create.add_argument("--output", "-o", default=None)
    create.add_argument("--config")

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


def _run_scan(args: argparse.Namespace) -> int:
    root = Path(args.root) if args.root else Path.cwd()
    ctx = Context.build(root, Path(args.config) if args.config else None)
    if args.max_file_size:
        from dataclasses import replace

        ctx.config = replace(ctx.config, max_file_size=args.max_file_size)
    if args.paths == ["-"]:
        from .engine.walk import decode

        text = decode(sys.stdin.buffer.read())
        result = ScanResult(findings=ctx.analyze(text, args.stdin_name), files=1, bytes=len(text))
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
    report = _render(args.format, result, colour=not args.no_color and not args.output and sys.stdout.isatty())
    if args.output:
        try:
            Path(args.output).write_text(report, encoding="utf-8")
        except OSError as exc:
            return _die(f"cannot write {args.output}: {exc.strerror}")
    else:
        sys.stdout.write(report)
    for e in result.errors:
        sys.stderr.write(f"spillguard: warning: {e.path}: {e.reason}\n")
    if result.errors and not result.files and not result.findings:
        return 2
    return 1 if result.findings else 0


def _render(fmt: str, result: ScanResult, colour: bool) -> str:
    if fmt == "json":
        from .report import json_report

        return json_report.render(result)
    if fmt == "sarif":
        from .report import sarif

        return sarif.render(result)
    from .report import text

    return text.render(result, colour=colour)


def _run_rules(args: argparse.Namespace) -> int:
    from .engine.rules import builtin_rules_dir, load_rules, parse_rule_file
    from .engine.rulecheck import check_rules

    if args.check is not None:
        if args.check:
            rules = [r for f in args.check for r in parse_rule_file(Path(f))]
        else:
            rules = load_rules()
        failures = check_rules(rules)
        for fail in failures:
            sys.stdout.write(fail + "\n")
        sys.stdout.write(f"{len(rules)} rule(s) checked, {len(failures)} failing example(s)\n")
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


def _run_serve(args: argparse.Namespace) -> int:
    from .lsp.server import run

    return run(tcp=args.tcp, log_level=args.log_level)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed a usage line
        return 0 if exc.code == 0 else 2
    handlers = {"scan": _run_scan, "rules": _run_rules, "baseline": _run_baseline, "serve": _run_serve}
    try:
        return handlers[args.command](args)
    except (ConfigError, RuleError, BaselineError, UsageError) as exc:
        return _die(str(exc).splitlines()[0])
    except KeyboardInterrupt:
        return _die("interrupted")
    except BrokenPipeError:
        return 0
