"""Hover over a finding: what it is, why it matters, how to fix it, how to
revoke and rotate it, and its CWE / OWASP NHI / NIST CSF 2.0 references.
Shows the redacted preview only, never the value."""

from __future__ import annotations

from collections.abc import Iterable

from ..engine.findings import Finding

# OWASP Top 10 for Non-Human Identities (2025).
OWASP_NHI = {
    "NHI1": "Improper Offboarding",
    "NHI2": "Secret Leakage",
    "NHI3": "Vulnerable Third-Party NHI",
    "NHI4": "Insecure Authentication",
    "NHI5": "Overprivileged NHI",
    "NHI6": "Insecure Cloud Deployment Configurations",
    "NHI7": "Long-Lived Secrets",
    "NHI8": "Environment Isolation",
    "NHI9": "NHI Reuse",
    "NHI10": "Human Use of NHI",
}
# NIST Cybersecurity Framework 2.0 subcategories the rules cite.
NIST_CSF = {
    "PR.AA-01": "identities and credentials are managed",
    "PR.AA-05": "access permissions follow least privilege",
    "PR.DS-01": "data at rest is protected",
    "PR.DS-02": "data in transit is protected",
    "PR.PS-01": "configuration management practices are applied",
    "PR.PS-06": "secure software development practices are used",
    "DE.CM-09": "computing environments are monitored for adverse events",
}
_WHY = {
    "secret": (
        "Anyone who can read this file — the repository and its forks, CI logs, a package, an AI assistant's "
        "context — can use this credential as you. Deleting the line does not help once it is committed: "
        "git history keeps it."
    ),
    "insecure": "Code copied from examples often turns off a protection; in production it opens a door for attackers.",
}
_FIX = {
    "secret": "Move the value out of the code: read it from the environment or a secret manager "
    "(quick fix: *Move the secret to the environment*).",
    "insecure": "Use the safe default shown in the quick fix.",
}


def at_position(findings: Iterable[Finding], line: int, col: int) -> list[Finding]:
    """Findings whose span holds the 0-based code-point position (end inclusive, for the cursor after a token)."""
    pos = (line + 1, col + 1)
    return [f for f in findings if (f.start_line, f.start_col) <= pos <= (f.end_line, f.end_col)]


def _cwe(ref: str) -> str:
    num = ref.upper().removeprefix("CWE-")
    return f"[{ref}](https://cwe.mitre.org/data/definitions/{num}.html)" if num.isdigit() else ref


def render(f: Finding) -> str:
    kind = "Secret" if f.kind == "secret" else "Insecure default"
    facts = [f"`{f.rule_id}`", f"severity {f.severity}", f"confidence {f.confidence}"]
    if f.validated:
        facts.append("checksum valid: a real token format")
    if f.fixture:
        facts.append("checksum wrong: looks like a test fixture")
    lines = [f"### {kind}: {f.title}", " · ".join(facts), ""]
    if f.kind == "secret":
        lines.append(f"**What:** {f.title}, value `{f.preview}`" + (f" held in `{f.name}`" if f.name else "") + ".")
    else:
        lines.append(f"**What:** {f.title}.")
    for key, value in f.extra:
        if key == "awsAccount":
            lines.append(f"**AWS account:** `{value}` (decoded from the key id)")
    lines += ["", f"**Why it matters:** {_WHY.get(f.kind, _WHY['insecure'])}", ""]
    lines.append(f"**How to fix:** {f.remediation or _FIX.get(f.kind, _FIX['insecure'])}")
    if f.kind == "secret":
        revoke = f"[the provider's page]({f.revoke_url})" if f.revoke_url else "the provider's console"
        lines += ["", f"**Revoke and rotate:** treat it as leaked — revoke it at {revoke}, issue a new one, "
                  "and store the new one outside the code."]
    refs: list[str] = []
    if f.cwe:
        refs.append("CWE: " + ", ".join(_cwe(c) for c in f.cwe))
    if f.owasp:
        refs.append("OWASP Non-Human Identities Top 10: " + ", ".join(
            f"{o} {OWASP_NHI[o]}" if o in OWASP_NHI else o for o in f.owasp))
    if f.nist:
        refs.append("NIST CSF 2.0: " + ", ".join(f"{n} ({NIST_CSF[n]})" if n in NIST_CSF else n for n in f.nist))
    if refs:
        lines += ["", "**References:** " + "; ".join(refs)]
    if f.help_url:
        lines += ["", f"[Rule documentation]({f.help_url})"]
    return "\n".join(lines)


def hover_markdown(findings: Iterable[Finding], line: int, col: int) -> str | None:
    hits = at_position(findings, line, col)
    if not hits:
        return None
    return "\n\n---\n\n".join(render(f) for f in hits)
