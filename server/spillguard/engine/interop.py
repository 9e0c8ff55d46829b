"""Keep a team's exceptions when it switches scanners.

Read at the scan root, when present:

- `.gitleaks.toml` (gitleaks v8 format): custom `[[rules]]` (id, description,
  regex, secretGroup, entropy, keywords, path, per-rule `allowlist` /
  `[[rules.allowlists]]`) become extra detectors; the global `[allowlist]` and
  `[[allowlists]]` tables (paths, regexes with regexTarget secret|match|line,
  stopwords, commits, condition OR|AND, targetRules) drop findings of every
  rule, built-in ones included. Regexes are Go RE2 syntax, compiled with the
  `regex` package (inline flags scoped as in Go). Not read: `[extend]`,
  path-only rules (no regex).
- `.gitleaksignore`: gitleaks fingerprints (`[commit:]file:rule-id:line`); a
  finding at that file and line is dropped (rule ids differ between scanners).
- `.secrets.baseline` (detect-secrets): each entry's `hashed_secret` is the
  SHA-1 hex of a reviewed secret. A finding whose value hashes to one of them is
  known and dropped. The value is hashed at scan time and never stored.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .config import ConfigError
from .findings import Finding, fingerprint, redact
from .rules import Rule
from .scanner import PATTERN_TIMEOUT_S, check_value
from .suppress import inline_ignored

GITLEAKS_NAME = ".gitleaks.toml"
GITLEAKS_IGNORE_NAME = ".gitleaksignore"
DETECT_SECRETS_NAME = ".secrets.baseline"


def _compile(pattern: str, where: str) -> regex.Pattern[str]:
    # Go's RE2 scopes a mid-pattern (?i) to the rest of its group, as regex's V1 does.
    try:
        return regex.compile(pattern, regex.V1)
    except regex.error:
        try:
            return regex.compile(pattern, regex.V0)
        except regex.error as exc:
            raise ConfigError(f"{where}: invalid regex {pattern!r}: {exc}") from exc


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: '{key}' must be a list of strings")


@dataclass(frozen=True, slots=True)
class Allowlist:
    paths: tuple[regex.Pattern[str], ...] = ()
    regexes: tuple[regex.Pattern[str], ...] = ()
    stopwords: tuple[str, ...] = ()
    commits: frozenset[str] = frozenset()
    target: str = "secret"  # secret | match | line
    condition: str = "OR"
    rules: frozenset[str] = frozenset()  # targetRules: empty = every rule

    def allows(self, secret: str, match: str, line: str, path: str, commit: str = "") -> bool:
        checks: list[bool] = []
        if self.commits:
            checks.append(bool(commit) and any(commit.startswith(c) or c.startswith(commit) for c in self.commits))
        if self.paths:
            checks.append(any(p.search(path) for p in self.paths))
        if self.regexes:
            subject = {"match": match, "line": line}.get(self.target, secret)
            checks.append(any(r.search(subject) for r in self.regexes))
        if self.stopwords:
            low = secret.lower()
            checks.append(any(w.lower() in low for w in self.stopwords))
        if not checks:
            return False
        return all(checks) if self.condition == "AND" else any(checks)


def _allowlist(data: Any, where: str) -> Allowlist:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: an allowlist must be a table")
    target = str(data.get("regexTarget", "secret")).lower()
    if target not in ("secret", "match", "line"):
        raise ConfigError(f"{where}: regexTarget must be secret, match or line")
    condition = str(data.get("condition", "OR")).upper()
    if condition not in ("OR", "AND"):
        raise ConfigError(f"{where}: condition must be OR or AND")
    return Allowlist(
        paths=tuple(_compile(p, where) for p in _strings(data.get("paths"), where, "paths")),
        regexes=tuple(_compile(p, where) for p in _strings(data.get("regexes"), where, "regexes")),
        stopwords=_strings(data.get("stopwords"), where, "stopwords"),
        commits=frozenset(_strings(data.get("commits"), where, "commits")),
        target=target,
        condition=condition,
        rules=frozenset(_strings(data.get("targetRules"), where, "targetRules")),
    )


@dataclass(frozen=True, slots=True)
class GitleaksRule:
    rule: Rule
    path: regex.Pattern[str] | None
    allowlists: tuple[Allowlist, ...]


def _allowlists(entry: dict[str, Any], single: str, many: str, where: str) -> list[Allowlist]:
    out: list[Allowlist] = []
    if single in entry:
        out.append(_allowlist(entry[single], f"{where} [{single}]"))
    items = entry.get(many, [])
    if not isinstance(items, list):
        raise ConfigError(f"{where}: [[{many}]] must be an array of tables")
    out.extend(_allowlist(a, f"{where} [[{many}]]") for a in items)
    return out


def parse_gitleaks(path: Path) -> tuple[list[GitleaksRule], list[Allowlist]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    rules: list[GitleaksRule] = []
    entries = data.get("rules", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: [[rules]] must be an array of tables")
    for i, entry in enumerate(entries):
        where = f"{path} (rule #{i + 1})"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: a rule must be a table")
        rid = str(entry.get("id") or f"gitleaks-rule-{i + 1}")
        where = f"{path} (rule '{rid}')"
        pattern = entry.get("regex")
        if not pattern:
            continue  # path-only rules report files, not secrets: not supported
        compiled = _compile(str(pattern), where)
        group = entry.get("secretGroup", 0)
        if not isinstance(group, int) or group < 0 or group > compiled.groups:
            raise ConfigError(f"{where}: secretGroup {group!r} is not a group of the regex")
        try:
            entropy = float(entry.get("entropy", 0.0))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: entropy must be a number") from exc
        rule = Rule(
            id=rid,
            title=str(entry.get("description") or rid),
            description=str(entry.get("description", "")),
            provider="gitleaks config",
            pattern_text=compiled.pattern,
            keywords=tuple(k.lower() for k in _strings(entry.get("keywords"), where, "keywords")),
            secret_group=group,
            entropy=entropy,
            tags=_strings(entry.get("tags"), where, "tags"),
            source=str(path),
            _compiled=[compiled],
        )
        path_re = _compile(str(entry["path"]), where) if entry.get("path") else None
        rules.append(GitleaksRule(rule, path_re, tuple(_allowlists(entry, "allowlist", "allowlists", where))))
    global_lists = _allowlists(data, "allowlist", "allowlists", str(path))
    return rules, global_lists


def parse_gitleaksignore(path: Path) -> frozenset[tuple[str, int]]:
    """(path, line) of each gitleaks fingerprint: `[commit:]file:rule-id:line`, one per line.
    Scanners name rules differently, so the rule id (and commit) are not compared: the place is."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    places: set[tuple[str, int]] = set()
    for n, raw in enumerate(lines, 1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        head, _, line = entry.rpartition(":")
        file_part, _, _rule = head.rpartition(":")
        commit, sep, rest = file_part.partition(":")
        if sep and len(commit) >= 7 and all(c in "0123456789abcdef" for c in commit):
            file_part = rest
        if not file_part or not line.isdigit():
            raise ConfigError(f"{path}:{n}: not a gitleaks fingerprint ([commit:]file:rule-id:line)")
        places.add((file_part, int(line)))
    return frozenset(places)


def parse_detect_secrets_baseline(path: Path) -> frozenset[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read detect-secrets baseline: {exc}") from exc
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict):
        raise ConfigError(f"{path}: not a detect-secrets baseline (no 'results' table)")
    hashes: set[str] = set()
    for entries in results.values():
        for e in entries if isinstance(entries, list) else []:
            if isinstance(e, dict) and isinstance(e.get("hashed_secret"), str):
                hashes.add(e["hashed_secret"].lower())
    return frozenset(hashes)


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : len(text) if end == -1 else end]


@dataclass(slots=True)
class Interop:
    rules: list[GitleaksRule] = field(default_factory=list)
    allowlists: list[Allowlist] = field(default_factory=list)
    reviewed_sha1: frozenset[str] = frozenset()
    ignored_places: frozenset[tuple[str, int]] = frozenset()
    sources: tuple[str, ...] = ()
    key: bytes | None = None

    def scan(self, text: str, path: str, first_line: int, existing: list[Finding]) -> list[Finding]:
        """`existing` plus the custom gitleaks rules' findings. A team's own rule wins over a
        built-in generic (name-based) finding of the same secret; provider rules win over it."""
        if not self.rules or not text:
            return existing
        lowered = text.lower()
        kept = list(existing)
        for gr in self.rules:
            rule = gr.rule
            if gr.path is not None and not gr.path.search(path):
                continue
            if rule.keywords and not any(k in lowered for k in rule.keywords):
                continue
            try:
                matches = list(rule.pattern.finditer(text, timeout=PATTERN_TIMEOUT_S))
            except TimeoutError:
                continue
            for m in matches:
                f = self._finding(gr, m, text, path, first_line)
                if f is None:
                    continue
                clash = [k for k in kept if k.kind == "secret" and k.start_offset < f.end_offset
                         and f.start_offset < k.end_offset]
                if any(not k.rule_id.startswith("generic") for k in clash):
                    continue
                kept = [k for k in kept if k not in clash] + [f]
        return kept

    def _finding(self, gr: GitleaksRule, m: regex.Match[str], text: str, path: str, first_line: int) -> Finding | None:
        rule = gr.rule
        group = int(rule.group)
        if group == 0 and m.re.groups:
            # gitleaks: without secretGroup, the first non-empty capture group is the secret.
            group = next((g for g in range(1, m.re.groups + 1) if m.group(g)), 0)
        value = m.group(group)
        if not value:
            return None
        s, e = m.span(group)
        line = _line_at(text, s)
        if check_value(rule, value, "") or inline_ignored(line, rule.id) or "gitleaks:allow" in line:
            return None
        if any(a.allows(value, m.group(0), line, path) for a in gr.allowlists):
            return None
        start_line = text.count("\n", 0, s)
        start_col = s - (text.rfind("\n", 0, s) + 1)
        end_line = text.count("\n", 0, e)
        end_col = e - (text.rfind("\n", 0, e) + 1)
        return Finding(
            rule_id=rule.id,
            kind="secret",
            title=rule.title,
            path=path,
            start_line=first_line + start_line + 1,
            start_col=start_col + 1,
            end_line=first_line + end_line + 1,
            end_col=end_col + 1,
            preview=redact(value),
            fingerprint=fingerprint(value, self.key),
            severity=rule.severity,
            confidence="medium",
            remediation="Custom rule from .gitleaks.toml: move the secret out of the code, then revoke and rotate it.",
            extra=(("source", GITLEAKS_NAME),),
            start_offset=s,
            end_offset=e,
        )

    def keep(self, f: Finding, text: str, commit: str = "") -> bool:
        """False when a gitleaks allowlist or a detect-secrets baseline entry covers the finding."""
        if f.kind != "secret" or not (self.allowlists or self.reviewed_sha1 or self.ignored_places):
            return True
        if (f.path, f.start_line) in self.ignored_places:
            return False
        value = text[f.start_offset : f.end_offset]
        if self.reviewed_sha1 and hashlib.sha1(value.encode("utf-8")).hexdigest() in self.reviewed_sha1:
            return False
        line = _line_at(text, f.start_offset)
        for a in self.allowlists:
            if a.rules and f.rule_id not in a.rules:
                continue
            if a.allows(value, value, line, f.path, commit):
                return False
        return True

    def allowed_commit(self, commit: str) -> bool:
        """A global allowlist that lists only commits covers every finding of those commits."""
        for a in self.allowlists:
            if a.commits and not (a.paths or a.regexes or a.stopwords) and a.allows("", "", "", "", commit):
                return True
        return False


def load_interop(root: Path, key: bytes | None = None) -> Interop | None:
    """The other scanners' files at `root`, or None when there are none."""
    gl, gi, ds = root / GITLEAKS_NAME, root / GITLEAKS_IGNORE_NAME, root / DETECT_SECRETS_NAME
    if not gl.is_file() and not gi.is_file() and not ds.is_file():
        return None
    interop = Interop(key=key)
    sources: list[str] = []
    if gl.is_file():
        interop.rules, interop.allowlists = parse_gitleaks(gl)
        sources.append(str(gl))
    if gi.is_file():
        interop.ignored_places = parse_gitleaksignore(gi)
        sources.append(str(gi))
    if ds.is_file():
        interop.reviewed_sha1 = parse_detect_secrets_baseline(ds)
        sources.append(str(ds))
    interop.sources = tuple(sources)
    return interop
