"""Project configuration: `.spillguard.toml`, or `[tool.spillguard]` in pyproject.toml.

    disable = ["generic-password"]          # rule ids turned off
    severity = { "jwt" = "low" }            # severity overrides
    exclude = ["tests/fixtures/**"]         # gitignore-style path patterns
    allow-values = ["^sk_test_"]            # regexes: matching values are not findings
    extra-rules = ["ci/rules.toml"]         # more rule files (relative to the root)
    max-file-size = 5000000                 # bytes; larger files are skipped
    baseline = ".spillguard-baseline.json"
    insecure-defaults = true                # tree-sitter rules on/off
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .findings import SEVERITIES

CONFIG_NAME = ".spillguard.toml"
DEFAULT_MAX_FILE_SIZE = 5_000_000


class ConfigError(Exception):
    """Broken configuration; the message names the file (and line where known)."""


@dataclass(frozen=True, slots=True)
class Config:
    root: Path = Path(".")
    disable: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    allow_values: tuple[regex.Pattern[str], ...] = ()
    extra_rules: tuple[Path, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    baseline: Path | None = None
    insecure_defaults: bool = True
    source: str = ""


_KEYS = {"disable", "severity", "exclude", "allow-values", "extra-rules", "max-file-size", "baseline",
         "insecure-defaults"}


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: '{key}' must be a list of strings")


def config_from_dict(data: dict[str, Any], root: Path, where: str) -> Config:
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{where}: 'severity' must be a table of rule id = severity")
    for rid, sev in severity.items():
        if sev not in SEVERITIES:
            raise ConfigError(f"{where}: severity of '{rid}' must be one of {', '.join(SEVERITIES)}")
    allow: list[regex.Pattern[str]] = []
    for pat in _strings(data.get("allow-values", []), "allow-values", where):
        try:
            allow.append(regex.compile(pat))
        except regex.error as exc:
            raise ConfigError(f"{where}: bad regex in allow-values {pat!r}: {exc}") from exc
    size = data.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(size, int) or size <= 0:
        raise ConfigError(f"{where}: 'max-file-size' must be a positive integer")
    baseline = data.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise ConfigError(f"{where}: 'baseline' must be a path")
    insecure = data.get("insecure-defaults", True)
    if not isinstance(insecure, bool):
        raise ConfigError(f"{where}: 'insecure-defaults' must be true or false")
    return Config(
        root=root,
        disable=frozenset(_strings(data.get("disable", []), "disable", where)),
        severity={str(k): str(v) for k, v in severity.items()},
        exclude=_strings(data.get("exclude", []), "exclude", where),
        allow_values=tuple(allow),
        extra_rules=tuple(root / p for p in _strings(data.get("extra-rules", []), "extra-rules", where)),
        max_file_size=size,
        baseline=root / baseline if baseline else None,
        insecure_defaults=insecure,
        source=where,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """`explicit` (from --config) wins; else .spillguard.toml; else pyproject's [tool.spillguard]."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return config_from_dict(_read_toml(explicit), root, str(explicit))
    own = root / CONFIG_NAME
    if own.is_file():
        return config_from_dict(_read_toml(own), root, str(own))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject)
        section = data.get("tool", {}).get("spillguard")
        if isinstance(section, dict):
            return config_from_dict(section, root, f"{pyproject} [tool.spillguard]")
    return Config(root=root)
