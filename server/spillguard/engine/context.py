"""Everything a scan needs, built once per process: config, compiled rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config
from .findings import Finding
from .rules import Rule, load_rules
from .scanner import Ruleset, scan_text


@dataclass(slots=True)
class Context:
    config: Config
    secrets: Ruleset

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
        return cls(config=cfg, secrets=ruleset)

    def analyze(self, text: str, path: str, first_line: int = 0) -> list[Finding]:
        """All findings for one text: secrets, then insecure defaults."""
        findings = scan_text(text, path, self.secrets, first_line)
        if self.config.insecure_defaults and first_line == 0:
            from .insecure import scan_insecure

            findings.extend(f for f in scan_insecure(text, path) if f.rule_id not in self.config.disable)
        return findings
