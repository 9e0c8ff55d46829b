"""Everything a scan needs, built once per process: config, compiled rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config, load_config
from .findings import Finding
from .rules import Rule, load_rules
from .scanner import Ruleset, scan_text

if TYPE_CHECKING:
    from .insecure import InsecureRuleset
    from .interop import Interop


def looks_minified(text: str) -> bool:
    """Long enough to matter and an average line over a thousand characters."""
    return len(text) > 100_000 and text.count("\n") * 1000 < len(text)


@dataclass(slots=True)
class Context:
    config: Config
    secrets: Ruleset
    _insecure: InsecureRuleset | None = None
    # Other scanners' files at the root (.gitleaks.toml, .secrets.baseline): extra rules and filters.
    interop: Interop | None = None

    @classmethod
    def build(cls, root: Path, config_path: Path | None = None, config: Config | None = None) -> Context:
        cfg = config or load_config(root, config_path)
        rules: list[Rule] = load_rules(list(cfg.extra_rules))
        ruleset = Ruleset(
            rules=rules,
            disabled=cfg.disable,
            severity_overrides=dict(cfg.severity),
            allow_values=cfg.allow_values,
        )
        from .interop import load_interop

        return cls(config=cfg, secrets=ruleset, interop=load_interop(cfg.root))

    def analyze(
        self, text: str, path: str, first_line: int = 0, warnings: list[str] | None = None
    ) -> list[Finding]:
        """All findings for one text: secrets, then insecure defaults.

        Minified text (lines of thousands of characters) gets the secret rules
        only: insecure defaults are about code people write, and parsing a
        multi-megabyte line costs seconds and hundreds of megabytes.
        """
        findings = scan_text(text, path, self.secrets, first_line, warnings)
        if self.interop is not None:
            findings = self.interop.scan(text, path, first_line, findings)
            findings = [f for f in findings if self.interop.keep(f, text)]
        if self.config.insecure_defaults and first_line == 0 and not looks_minified(text):
            from .insecure import scan_insecure

            findings.extend(scan_insecure(text, path, self.insecure_rules()))
        return findings

    def insecure_rules(self) -> InsecureRuleset:
        """Tree-sitter rules with the project's disabled rules and severities, built on first use."""
        if self._insecure is None:
            from .insecure import InsecureRuleset
            from .insecure_rules import load_insecure_rules

            self._insecure = InsecureRuleset(
                load_insecure_rules(compile_queries=False),
                disabled=self.config.disable,
                severity_overrides=dict(self.config.severity),
            )
        return self._insecure
