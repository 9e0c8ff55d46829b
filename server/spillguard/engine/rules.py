"""Load and validate secret rule files (TOML, one per provider).

A rule file looks like:

    provider = "GitHub"
    revoke_url = "https://github.com/settings/tokens"

    [[rule]]
    id = "github-pat"
    title = "GitHub personal access token"
    description = "..."
    pattern = '''\\b(ghp_[A-Za-z0-9]{36})\\b'''
    keywords = ["ghp_"]
    prefilter = '''...'''     # optional cheap regex every match contains (see below)
    secret_group = 1          # or a named group (?P<secret>...)
    entropy = 3.0             # optional minimum Shannon entropy (bits/char)
    validator = "github-crc32"  # optional offline check
    severity = "high"
    cwe = ["CWE-798"]
    owasp = ["NHI2", "NHI7"]
    examples.match = ["..."]
    examples.no_match = ["..."]

Patterns may use a named group `name` for the variable or key name.

`prefilter`: a cheap regex that every match of `pattern` contains. A line (or
window) around a keyword hit is searched with `pattern` only when the
prefilter matches in it. Generic rules whose patterns start with a name of
unknown length use it to skip the many lines that mention "token" or
"password" but assign no quoted value.

Bundled rules are compiled on first use: a scan needs the few whose keywords
occur, and compiling all of them costs more than scanning a small commit. The
test suite compiles and checks every bundled rule; rule files given by a
user (extra-rules, `spillguard rules --check FILE`) are compiled and checked
when they are loaded, so their errors name the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from . import regex_cache
from .findings import CONFIDENCES, SEVERITIES

# Packaged wheels carry rules inside the package; a source checkout keeps them
# at the repository root.
_PKG_RULES = Path(__file__).resolve().parent.parent / "rules"
_SRC_RULES = Path(__file__).resolve().parents[3] / "rules"


def builtin_rules_dir() -> Path:
    return _PKG_RULES if _PKG_RULES.is_dir() else _SRC_RULES


class RuleError(Exception):
    """A rule file is broken. The message names the file (and line where known)."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    description: str
    provider: str
    pattern_text: str
    keywords: tuple[str, ...]
    # None: the named group "secret" if the pattern has one, else group 1 (0 without groups)
    secret_group: int | str | None = None
    entropy: float = 0.0
    validator: str = ""
    severity: str = "high"
    confidence: str = "high"
    cwe: tuple[str, ...] = ("CWE-798",)
    owasp: tuple[str, ...] = ("NHI2",)
    nist: tuple[str, ...] = ("PR.AA-01", "DE.CM-09")
    revoke_url: str = ""
    remediation: str = ""
    # Placeholder/precision filters this rule opts out of (e.g. "words").
    skip_filters: tuple[str, ...] = ()
    # Generic rules need their value to look random (entropy + char classes).
    generic: bool = False
    # Names of allowlisted values specific to the rule (documented examples).
    allow: tuple[str, ...] = ()
    # Only scan files whose name matches one of these globs (empty = all).
    paths: tuple[str, ...] = ()
    # For rules whose match crosses lines: how many lines a match may span
    # (0 = a bounded span of text around the keyword).
    max_lines: int = 0
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    source: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    prefilter_text: str = ""
    _compiled: list[regex.Pattern[str]] = field(default_factory=list, compare=False, repr=False)
    _compiled_prefilter: list[regex.Pattern[str]] = field(default_factory=list, compare=False, repr=False)

    @property
    def help_url(self) -> str:
        from .findings import weakness_url

        return weakness_url(self.cwe)

    @property
    def pattern(self) -> regex.Pattern[str]:
        """The compiled pattern (compiled on first use)."""
        if not self._compiled:
            self._compiled.append(regex_cache.compile(self.pattern_text, regex.V0))
        return self._compiled[0]

    @property
    def prefilter(self) -> regex.Pattern[str] | None:
        """The compiled prefilter, or None (compiled on first use)."""
        if not self.prefilter_text:
            return None
        if not self._compiled_prefilter:
            self._compiled_prefilter.append(regex_cache.compile(self.prefilter_text, regex.V0))
        return self._compiled_prefilter[0]

    @property
    def group(self) -> int | str:
        """The group holding the secret."""
        if self.secret_group is not None:
            return self.secret_group
        pat = self.pattern
        return "secret" if "secret" in pat.groupindex else min(pat.groups, 1)

    def check(self, where: str) -> None:
        """Compile now and check the secret group; RuleError naming `where` if broken."""
        try:
            pat = self.pattern
        except regex.error as exc:
            raise RuleError(f"{where}: rule '{self.id}' has an invalid pattern: {exc}") from exc
        try:
            self.prefilter  # noqa: B018 - compiles it
        except regex.error as exc:
            raise RuleError(f"{where}: rule '{self.id}' has an invalid prefilter: {exc}") from exc
        group = self.group
        if isinstance(group, str) and group not in pat.groupindex:
            raise RuleError(f"{where}: rule '{self.id}': group '{group}' is not in the pattern")
        if isinstance(group, int) and group > pat.groups:
            raise RuleError(f"{where}: rule '{self.id}': pattern has no group {group}")


_ALLOWED_KEYS = {
    "id", "title", "description", "pattern", "keywords", "secret_group", "entropy",
    "validator", "severity", "confidence", "cwe", "owasp", "nist", "revoke_url",
    "remediation", "skip_filters", "generic", "allow", "paths", "examples", "tags", "max_lines", "prefilter",
}


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    return None


def string_list(value: Any, where: str, key: str) -> tuple[str, ...]:
    """A rule field that takes a string or a list of strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise RuleError(f"{where}: '{key}' must be a string or a list of strings")


def read_rule_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """(text, parsed TOML) of a rule file; a RuleError naming the file when it can't be read.

    tomllib is pure Python: parsing the ~180 bundled files took half of start-up. Parsed
    files are kept in a cache keyed by the SHA-256 of their text (an edited file simply
    misses), saved by save_parsed_rules() once the rules are loaded. The returned data may
    be shared with other callers: read it, do not change it."""
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from exc
    cache = _parsed_rules()
    key = hashlib.sha256(raw_text.encode("utf-8", "surrogatepass")).hexdigest()
    data = cache.get(key)
    if isinstance(data, dict):
        return raw_text, data
    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: invalid TOML: {exc}") from exc
    if _plain(data):
        global _PARSED_DIRTY
        cache[key] = data
        _PARSED_DIRTY = True
    return raw_text, data


# sha256 of a rule file's text -> its parsed TOML; loaded once per process
_PARSED: dict[str, Any] | None = None
_PARSED_DIRTY = False
# entries kept on disk (edited rule files leave old ones behind)
PARSED_KEEP = 1000


def _parsed_cache_path() -> Path:
    from .accel import cache_root

    return cache_root() / "rules-v1.json"


def _parsed_rules() -> dict[str, Any]:
    global _PARSED
    if _PARSED is None:
        _PARSED = {}
        try:
            loaded = json.loads(_parsed_cache_path().read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                _PARSED = loaded
        except (OSError, ValueError):
            pass  # no cache, or a damaged one: parse again
    return _PARSED


def _plain(value: Any) -> bool:
    """Does JSON hold this value exactly (TOML dates and times do not round-trip)?"""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, (str, int, float, bool))


def save_parsed_rules() -> None:
    """Write the parsed-rule cache if this process added to it; errors are ignored."""
    global _PARSED_DIRTY
    if not _PARSED_DIRTY or _PARSED is None:
        return
    _PARSED_DIRTY = False
    entries = list(_PARSED.items())[-PARSED_KEEP:]
    target = _parsed_cache_path()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp.write_text(json.dumps(dict(entries)), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def parse_rule_file(path: Path, compile_now: bool = True) -> list[Rule]:
    """The rules of one file; `compile_now=False` leaves patterns to be compiled on first use."""
    from .validators import VALIDATORS

    raw_text, data = read_rule_toml(path)
    provider = str(data.get("provider", path.stem))
    default_revoke = str(data.get("revoke_url", ""))
    entries = data.get("rule", [])
    if not isinstance(entries, list) or not entries:
        raise RuleError(f"{path}: no [[rule]] tables found")
    rules: list[Rule] = []
    for idx, entry in enumerate(entries):
        rid = entry.get("id") if isinstance(entry, dict) else None
        line = _line_of(raw_text, f'"{rid}"') if rid else None
        where = f"{path}:{line}" if line else f"{path} (rule #{idx + 1})"
        if not isinstance(entry, dict) or not isinstance(rid, str) or not rid:
            raise RuleError(f"{where}: every rule needs a string 'id'")
        unknown = set(entry) - _ALLOWED_KEYS
        if unknown:
            raise RuleError(f"{where}: rule '{rid}' has unknown keys: {', '.join(sorted(unknown))}")
        pat = entry.get("pattern")
        if not isinstance(pat, str) or not pat:
            raise RuleError(f"{where}: rule '{rid}' needs a 'pattern'")
        prefilter = entry.get("prefilter", "")
        if not isinstance(prefilter, str):
            raise RuleError(f"{where}: rule '{rid}': 'prefilter' must be a regex string")
        group = entry.get("secret_group")
        if group is not None and (not isinstance(group, (int, str)) or isinstance(group, bool)):
            raise RuleError(f"{where}: rule '{rid}': 'secret_group' must be a group number or name")
        severity = str(entry.get("severity", "high"))
        if severity not in SEVERITIES:
            raise RuleError(f"{where}: rule '{rid}': severity must be one of {', '.join(SEVERITIES)}")
        confidence = str(entry.get("confidence", "high"))
        if confidence not in CONFIDENCES:
            raise RuleError(f"{where}: rule '{rid}': confidence must be one of {', '.join(CONFIDENCES)}")
        validator = str(entry.get("validator", ""))
        if validator and validator not in VALIDATORS:
            raise RuleError(f"{where}: rule '{rid}': unknown validator '{validator}'")
        keywords = tuple(k.lower() for k in string_list(entry.get("keywords"), where, "keywords"))
        if not keywords:
            raise RuleError(f"{where}: rule '{rid}' needs at least one keyword for the prefilter")
        examples = entry.get("examples", {})
        if not isinstance(examples, dict):
            raise RuleError(f"{where}: rule '{rid}': 'examples' must be a table")
        try:
            entropy = float(entry.get("entropy", 0.0))
        except (TypeError, ValueError) as exc:
            raise RuleError(f"{where}: rule '{rid}': 'entropy' must be a number") from exc
        max_lines = entry.get("max_lines", 0)
        if not isinstance(max_lines, int) or max_lines < 0:
            raise RuleError(f"{where}: rule '{rid}': 'max_lines' must be a whole number >= 0")
        rule = Rule(
                id=rid,
                title=str(entry.get("title", rid)),
                description=str(entry.get("description", "")),
                provider=provider,
                pattern_text=pat,
                keywords=keywords,
                secret_group=group,
                entropy=entropy,
                validator=validator,
                severity=severity,
                confidence=confidence,
                cwe=string_list(entry.get("cwe", ["CWE-798"]), where, "cwe"),
                owasp=string_list(entry.get("owasp", ["NHI2"]), where, "owasp"),
                nist=string_list(entry.get("nist", ["PR.AA-01", "DE.CM-09"]), where, "nist"),
                revoke_url=str(entry.get("revoke_url", default_revoke)),
                remediation=str(entry.get("remediation", "")),
                skip_filters=string_list(entry.get("skip_filters"), where, "skip_filters"),
                generic=bool(entry.get("generic", False)),
                allow=string_list(entry.get("allow"), where, "allow"),
                paths=string_list(entry.get("paths"), where, "paths"),
                max_lines=max_lines,
                examples_match=string_list(examples.get("match"), where, "examples.match"),
                examples_no_match=string_list(examples.get("no_match"), where, "examples.no_match"),
                source=str(path),
                tags=string_list(entry.get("tags"), where, "tags"),
                prefilter_text=prefilter,
        )
        if compile_now:
            rule.check(where)
        rules.append(rule)
    return rules


def load_rules(paths: list[Path] | None = None, include_builtin: bool = True) -> list[Rule]:
    """Built-in secret rules plus extra rule files; ids must be unique."""
    files: list[tuple[Path, bool]] = []
    if include_builtin:
        files.extend((f, False) for f in sorted((builtin_rules_dir() / "secrets").glob("*.toml")))
    for p in paths or []:
        files.extend((f, True) for f in (sorted(p.glob("*.toml")) if p.is_dir() else [p]))
    seen: dict[str, str] = {}
    out: list[Rule] = []
    for f, compile_now in files:
        for rule in parse_rule_file(f, compile_now):
            if rule.id in seen:
                raise RuleError(f"{f}: duplicate rule id '{rule.id}' (also in {seen[rule.id]})")
            seen[rule.id] = str(f)
            out.append(rule)
    save_parsed_rules()
    return out
