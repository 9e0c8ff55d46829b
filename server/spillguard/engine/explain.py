"""`spillguard explain RULE|FINGERPRINT`: what leaked, where, and how to revoke
and rotate it. A fingerprint is looked up by scanning the given paths (the
current tree); the secret is never shown beyond its redacted preview."""

from __future__ import annotations

from pathlib import Path

from .context import Context
from .findings import Finding
from .insecure_rules import InsecureRule
from .project import scan_paths
from .rules import Rule

ROTATE_STEPS = (
    "Revoke (or disable) the credential at the provider first: rotating without revoking leaves the leaked copy valid.",
    "Check the provider's audit or access logs for use of the leaked credential since it was committed.",
    "Issue a replacement with the least scope and shortest lifetime that works.",
    "Store the replacement in the environment or a secret manager and read it at runtime; never commit it.",
    "Update every deployment, CI variable and teammate that used the old value.",
    "Remove the value from the code; if it was pushed, it stays in history: rewriting history does not un-leak it.",
)


class ExplainError(Exception):
    """Nothing to explain: one line."""


def _rule_block(rule: Rule | None, f: Finding | None) -> list[str]:
    title = rule.title if rule else f.title if f else ""
    rid = rule.id if rule else f.rule_id if f else ""
    lines = [f"{rid}: {title}"]
    if rule and rule.description:
        lines.append(f"  {rule.description}")
    if rule:
        lines.append(f"  provider: {rule.provider}; severity: {rule.severity}")
        refs = ", ".join((*rule.cwe, *(f"OWASP {o}" for o in rule.owasp)))
        if refs:
            lines.append(f"  references: {refs}")
    revoke = (rule.revoke_url if rule else "") or (f.revoke_url if f else "")
    remediation = (rule.remediation if rule else "") or (f.remediation if f else "")
    lines.append("")
    lines.append("revoke and rotate:")
    step = 1
    if revoke:
        lines.append(f"  {step}. Revoke it here: {revoke}")
        step += 1
    if remediation:
        lines.append(f"  {step}. {remediation}")
        step += 1
    for text in ROTATE_STEPS:
        lines.append(f"  {step}. {text}")
        step += 1
    return lines


def _insecure_block(rule: InsecureRule) -> str:
    lines = [f"{rule.id}: {rule.title}"]
    if rule.description:
        lines.append(f"  {rule.description}")
    lines.append(f"  languages: {', '.join(rule.languages)}; severity: {rule.severity}")
    refs = ", ".join((*rule.cwe, *rule.owasp, *(f"NIST CSF {n}" for n in rule.nist)))
    if refs:
        lines.append(f"  references: {refs}")
    if rule.remediation:
        lines += ["", "what to do instead:", f"  {rule.remediation}"]
    return "\n".join(lines) + "\n"


def explain(query: str, ctx: Context, paths: list[Path]) -> tuple[str, bool]:
    """(text to print, whether the rule or fingerprint was found)."""
    rules = {r.id: r for r in ctx.secrets.rules}
    if query in rules:
        return "\n".join(_rule_block(rules[query], None)) + "\n", True
    if ctx.config.insecure_defaults:
        insecure = {r.id: r for r in ctx.insecure_rules().rules}
        if query in insecure:
            return _insecure_block(insecure[query]), True
    if not query.startswith("sg1:"):
        raise ExplainError(f"{query!r} is neither a rule id (see 'spillguard rules --list') nor a fingerprint (sg1:...)")
    result = scan_paths(paths, ctx, use_baseline=False)
    hits = [f for f in result.findings if f.fingerprint == query]
    if not hits:
        raise ExplainError(f"fingerprint {query} is not in the current tree ({result.files} file(s) scanned)")
    first = hits[0]
    lines = [f"what leaked: {first.title} ({first.preview})", f"fingerprint: {query}", "where:"]
    for f in hits:
        lines.append(f"  {f.path}:{f.start_line}:{f.start_col}")
    lines.append("")
    lines.extend(_rule_block(rules.get(first.rule_id), first))
    return "\n".join(lines) + "\n", True
