"""Text report for people: path:line:col, rule, redacted preview, fix hint."""

from __future__ import annotations

from ..engine.findings import Finding
from ..engine.project import ScanResult

_COLOURS = {"critical": "\x1b[1;31m", "high": "\x1b[31m", "medium": "\x1b[33m", "low": "\x1b[36m",
            "info": "\x1b[37m"}
_RESET = "\x1b[0m"


def _line(f: Finding, colour: bool) -> str:
    sev = f.severity.upper()
    if colour:
        sev = f"{_COLOURS.get(f.severity, '')}{sev}{_RESET}"
    head = f"{f.path}:{f.start_line}:{f.start_col}: {sev} [{f.rule_id}] {f.message}"
    if ("aiAuthored", "true") in f.extra:
        head += " (AI-authored line)"
    hint = f.remediation.strip().splitlines()[0] if f.remediation.strip() else ""
    if f.kind == "secret" and not hint:
        hint = "Move it to the environment or a secret manager; revoke and rotate it if it was ever shared."
    lines = [head]
    if hint:
        lines.append(f"    fix: {hint}")
    if f.revoke_url and f.kind == "secret" and not f.fixture:
        lines.append(f"    revoke: {f.revoke_url}")
    for k, v in f.extra:
        if k in ("commit", "spreadAfter"):
            lines.append(f"    {k}: {v}")
    return "\n".join(lines)


def spread_lines(findings: list[Finding]) -> list[str]:
    """One line per secret found in more than one place: where it has spread."""
    places: dict[str, list[Finding]] = {}
    for f in findings:
        if f.kind == "secret":
            places.setdefault(f.fingerprint, []).append(f)
    out = []
    for group in places.values():
        if len(group) > 1:
            where = ", ".join(f"{f.path}:{f.start_line}" for f in group)
            out.append(f"spread: {group[0].title} ({group[0].preview}) is in {len(group)} places: {where}")
    return out


def render(result: ScanResult, colour: bool = False, show_spread: bool = True) -> str:
    out = [_line(f, colour) for f in result.findings]
    if show_spread:
        out.extend(spread_lines(result.findings))
    for e in result.errors:
        out.append(f"{e.path}: error: {e.reason}")
    secrets = sum(1 for f in result.findings if f.kind == "secret")
    insecure = len(result.findings) - secrets
    summary = f"{len(result.findings)} finding(s) ({secrets} secret(s), {insecure} insecure default(s)) in {result.files} file(s)"
    if result.baselined:
        summary += f"; {result.baselined} known in the baseline"
    if result.skipped:
        summary += f"; {len(result.skipped)} file(s) skipped"
    out.append(summary)
    return "\n".join(out) + "\n"
