"""Client settings: initializationOptions and the workspace/configuration
section `spillguard`, merged with the project's `.spillguard.toml`.

    {
      "rules": {"generic-password": false, "jwt": true},   // on/off per rule id
      "severity": {"jwt": "warning"},      // error|warning|information|hint (or critical..low)
      "debounce": 150,                     // ms between the last keystroke and a publish
      "insecureDelay": 300,                // ms of pause before insecure defaults are re-parsed
      "insertedBlockThreshold": 2,         // non-blank lines that make a change an inserted block
      "workspaceScan": true,               // scan the workspace folders at start
      "exclude": ["generated/**"],         // more gitignore-style excludes
      "insecureDefaults": true,            // tree-sitter rules on/off
      "logLevel": "info",                  // error|warning|info|debug → window/logMessage
      "diagnosticMode": "auto"             // auto|push|pull|both
    }

initializationOptions may hold these keys directly or under "spillguard".
Bad values are reported (the list of problems) and replaced by the previous
value, never fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..engine.config import Config

LOG_LEVELS = ("error", "warning", "info", "debug")
DIAGNOSTIC_MODES = ("auto", "push", "pull", "both")
SEVERITY_NAMES = ("error", "warning", "information", "info", "hint", "critical", "high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Settings:
    rules: dict[str, bool] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    debounce_ms: int = 150
    insecure_delay_ms: int = 300
    inserted_block_threshold: int = 2
    workspace_scan: bool = True
    exclude: tuple[str, ...] = ()
    insecure_defaults: bool | None = None  # None: as the project config says
    log_level: str = "info"
    diagnostic_mode: str = "auto"

    def engine_key(self) -> tuple[Any, ...]:
        """What the engine's Context depends on (a change means rebuilding it)."""
        return (tuple(sorted(self.rules.items())), self.exclude, self.insecure_defaults)


def section(raw: Any) -> dict[str, Any]:
    """The spillguard section of initializationOptions / didChangeConfiguration settings."""
    if isinstance(raw, dict):
        inner = raw.get("spillguard")
        if isinstance(inner, dict):
            return inner
        return raw
    return {}


def parse_settings(raw: Any, base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Settings from a client's JSON object, on top of `base`; plus a list of problems."""
    out = base or Settings()
    problems: list[str] = []
    data = section(raw)
    changes: dict[str, Any] = {}

    def bad(key: str, want: str) -> None:
        problems.append(f"setting '{key}' ignored: expected {want}")

    if "rules" in data:
        rules = data["rules"]
        if isinstance(rules, dict) and all(isinstance(v, bool) for v in rules.values()):
            changes["rules"] = {str(k): v for k, v in rules.items()}
        else:
            bad("rules", "an object of rule id → true/false")
    if "severity" in data:
        sev = data["severity"]
        if isinstance(sev, dict) and all(isinstance(v, str) and v.lower() in SEVERITY_NAMES for v in sev.values()):
            changes["severity"] = {str(k): str(v).lower() for k, v in sev.items()}
        else:
            bad("severity", f"an object of rule id → one of {', '.join(SEVERITY_NAMES)}")
    for key, attr, lo, hi in (("debounce", "debounce_ms", 0, 10_000), ("insecureDelay", "insecure_delay_ms", 0, 60_000),
                              ("insertedBlockThreshold", "inserted_block_threshold", 1, 10_000)):
        if key in data:
            v = data[key]
            if isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi:
                changes[attr] = v
            else:
                bad(key, f"an integer from {lo} to {hi}")
    for key, attr in (("workspaceScan", "workspace_scan"), ("insecureDefaults", "insecure_defaults")):
        if key in data:
            if isinstance(data[key], bool):
                changes[attr] = data[key]
            else:
                bad(key, "true or false")
    if "exclude" in data:
        ex = data["exclude"]
        if isinstance(ex, list) and all(isinstance(v, str) for v in ex):
            changes["exclude"] = tuple(ex)
        else:
            bad("exclude", "a list of path patterns")
    for key, attr, allowed in (("logLevel", "log_level", LOG_LEVELS), ("diagnosticMode", "diagnostic_mode",
                                                                     DIAGNOSTIC_MODES)):
        if key in data:
            if isinstance(data[key], str) and data[key].lower() in allowed:
                changes[attr] = data[key].lower()
            else:
                bad(key, f"one of {', '.join(allowed)}")
    return (replace(out, **changes) if changes else out), problems


def merge(config: Config, settings: Settings) -> Config:
    """The project's config with the client's settings on top."""
    on = {r for r, enabled in settings.rules.items() if enabled}
    off = {r for r, enabled in settings.rules.items() if not enabled}
    return replace(
        config,
        disable=frozenset((config.disable | off) - on),
        exclude=config.exclude + tuple(p for p in settings.exclude if p not in config.exclude),
        insecure_defaults=config.insecure_defaults if settings.insecure_defaults is None else settings.insecure_defaults,
    )
