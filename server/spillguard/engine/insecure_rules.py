r"""Load and validate insecure-default rules: tree-sitter queries as data.

One rule per file: `rules/insecure/<language>/<rule-id>.toml`. Top-level keys
first, then the optional tables (TOML requires it):

    id = "python-requests-verify-false"        # unique; the file name should match
    language = "python"                        # grammar, or a list: ["javascript", "typescript", "tsx"]
    paths = ["settings.py", "*/settings/*.py"] # optional globs on the base name or the path
    title = "TLS certificate verification turned off"
    description = "Why it matters, in a sentence or two."
    severity = "medium"                        # info|low|medium|high|critical
    confidence = "high"                        # low|medium|high
    cwe = ["CWE-295"]
    owasp = ["A02:2021", "A07:2021"]           # OWASP Top 10 2021 and/or NHI Top 10 ids ("NHI2")
    nist = ["PR.DS-02"]                        # NIST CSF 2.0
    remediation = "What to do instead."
    keywords = ["verify"]                      # lowercase literals; see below
    prefilter = '''verify\s*=\s*False'''        # optional regex; see below
    context_keywords = ["token", "passw"]      # optional lowercase literals; see below
    query = '''
    (call
      arguments: (argument_list
        (keyword_argument name: (identifier) @k value: (false) @finding)))
    (#eq? @k "verify")
    '''
    redact = ["secret"]                        # optional: captures holding a literal secret
    name = "key"                               # optional: capture naming the secret (Finding.name)
    locate = '''(?m)^ *echo (?P<finding>.+)$'''  # optional: one finding per match inside
                                               # @finding (a line of a YAML block); no [fix]

    [[predicate]]                              # optional, any number; all must hold
    capture = "name"                           # capture name (without @); a match without
                                               # this capture (an alternative) is not tested
    match = '''(?i)token|passw'''              # regex (search) the text must match
    not_match = '''(?i)_len$'''                # regex the text must not match
    # With `inside`, the regexes test ancestors of the capture instead of the
    # capture itself: the nearest ancestors of these node types, through the
    # named field ("" = the whole node). `match` holds when any tested text
    # matches; `not_match` fails when any does.
    inside = { assignment = "left", function_definition = "name" }
    group = "why"                              # optional: of predicates sharing a group, one
                                               # must hold (the others are ANDed as usual)
    # before = 3                               # optional, instead of inside: test the texts of up
                                               # to 3 statements before the statement holding the
                                               # capture (and before each statement around it,
                                               # `depth` node levels up at most)
    # match = '''^{{var}}\s*='''              # {{name}} puts capture @name's text in (escaped)

    [fix]                                      # optional: a safe mechanical fix
    title = "Verify certificates"
    capture = "finding"                        # the node to replace (default "finding")
    replace = "True"                           # new text; {{other}} inserts capture @other's text
    import = "import secrets"                  # optional line added at the top when missing (Python)
    unless = { args = "Loader" }               # optional: no fix when a capture's text matches
    safe = true                                # may fixAll apply it without review
    # or, instead of replace/import, a fix built by code (several edits):
    # kind = "secret-mount"                    # FIX_KINDS; title may use {name} and {id}

    [examples]
    match = ["requests.get(url, verify=False)"]       # each must produce this rule's finding
    no_match = ["requests.get(url, verify=True)"]     # the safe twins: must not

Rules for the query:
- `@finding` is required and marks the reported range (and is what the fix
  replaces by default). Tree-sitter's own `#eq?`, `#not-eq?`, `#match?`,
  `#any-of?` predicates may be used inside the query.
- When the pattern's outermost node is larger than the other captures, capture
  it too (conventionally `@match`): the language server re-checks a finding
  when anything inside the captured nodes changes.
- A match counts only when one of `keywords` occurs (case-insensitively) in
  the text spanned by its captures, and, when the rule has a `prefilter`
  regex, that regex matches (search) inside that text too. Files without any
  keyword of a language's rules, or where no candidate rule's prefilter
  matches, are not parsed at all, which keeps whole-repository scans fast.
  Because both conditions hold inside every match, an editor document that
  re-queries only the statements around an edit finds the same as a full scan.
  A prefilter match must contain one of the keywords and be at most 1,000
  characters long: a scan searches it only around keyword hits.
- `context_keywords`: one of them must also occur somewhere in the file (not
  necessarily in the match). Use them only for words every finding implies but
  that may lie outside the match, e.g. the credential-like name of the
  function around a `random.choice` call, which an `inside` predicate tests.
  Editor documents do not check them, so a finding without one would be
  reported by the editor but not by a scan.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
from tree_sitter import Query, QueryError

from . import regex_cache
from .findings import CONFIDENCES, SEVERITIES
from .insecure_locate import parse_locate
from .parsing import GRAMMARS, get_language
from .rules import RuleError, builtin_rules_dir, read_rule_toml, save_parsed_rules, string_list

REGEX_TIMEOUT_S = 1.0

_KEYS = {
    "id", "language", "paths", "title", "description", "severity", "confidence", "cwe", "owasp", "nist",
    "remediation", "keywords", "context_keywords", "prefilter", "query", "redact", "name", "predicate", "fix", "examples", "tags", "locate",
}
_PREDICATE_KEYS = {"capture", "match", "not_match", "inside", "depth", "group", "before"}
_FIX_KEYS = {"title", "capture", "replace", "import", "unless", "safe", "kind"}
# [fix] kinds computed by code instead of `replace` (several edits): kind -> what it needs
FIX_KINDS = {"secret-mount": "a Dockerfile ARG finding (engine/fix_docker.py)"}
# {{name}}: capture @name's text, in fix replacements and predicate regexes
TEMPLATE = regex_cache.compile(r"\{\{(\w+)\}\}")
_CAPTURE = regex_cache.compile(r"@([A-Za-z_][\w.-]*)")


@functools.lru_cache(maxsize=1024)
def _compiled_template(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


class Regex:
    """A rule's regex, compiled on first use: the bundled rules hold ~150 of them and a
    scan uses the few of the languages it meets. Loading with `compile_now` (user rule
    files, `rules --check`) compiles at once, so errors name the file."""

    __slots__ = ("pattern", "_compiled")

    def __init__(self, pattern: str, compiled: regex.Pattern[str] | None = None) -> None:
        self.pattern = pattern
        self._compiled = compiled

    @property
    def compiled(self) -> regex.Pattern[str]:
        if self._compiled is None:
            self._compiled = regex_cache.compile(self.pattern)
        return self._compiled

    def search(
        self, text: str, pos: int | None = None, endpos: int | None = None, *, timeout: float | None = None
    ) -> regex.Match[str] | None:
        return self.compiled.search(text, pos, endpos, timeout=timeout)

    def finditer(self, text: str, *, timeout: float | None = None) -> Iterator[regex.Match[str]]:
        return self.compiled.finditer(text, timeout=timeout)

    @property
    def templates(self) -> tuple[str, ...]:
        """Captures named as {{name}} in the pattern: their text (escaped) is put in per match."""
        return tuple(TEMPLATE.findall(self.pattern))

    def fill(self, values: dict[str, str]) -> regex.Pattern[str]:
        """The pattern with each {{name}} replaced by `values[name]`, escaped, compiled (cached)."""
        return _compiled_template(TEMPLATE.sub(lambda m: regex.escape(values.get(m.group(1), "")), self.pattern))

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Regex) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)


@dataclass(frozen=True, slots=True)
class Predicate:
    capture: str
    match: Regex | None = None
    not_match: Regex | None = None
    # node type -> field whose text is tested ("" = whole node)
    inside: tuple[tuple[str, str], ...] = ()
    depth: int = 0  # 0 = any depth
    group: str = ""  # predicates sharing a group: at least one must hold
    # test the texts of up to this many statements before the statement holding the capture
    # (and before each enclosing statement, up to `depth` levels up) instead of the capture
    before: int = 0


@dataclass(frozen=True, slots=True)
class FixSpec:
    title: str
    replace: str
    capture: str = "finding"
    add_import: str = ""
    unless: tuple[tuple[str, Regex], ...] = ()
    safe: bool = True
    kind: str = ""  # "" = replace the capture; else a FIX_KINDS fixer builds the edits


# a pattern whose parent is the root node or any node, with child patterns
_CROSSES_STATEMENTS = regex_cache.compile(r"\(\s*(?:module\b|program\b|source_file\b|_\s+[^)\s])")


@dataclass(frozen=True, slots=True)
class InsecureRule:
    id: str
    languages: tuple[str, ...]
    title: str
    description: str
    query_text: str
    keywords: tuple[str, ...]
    prefilter: Regex | None = None
    context_keywords: tuple[str, ...] = ()
    severity: str = "medium"
    confidence: str = "high"
    cwe: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    nist: tuple[str, ...] = ()
    remediation: str = ""
    paths: tuple[str, ...] = ()
    redact: tuple[str, ...] = ()
    name_capture: str = ""
    predicates: tuple[Predicate, ...] = ()
    fix: FixSpec | None = None
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    source: str = ""
    tags: tuple[str, ...] = ()
    # one finding per match inside @finding (see insecure_locate.py)
    locate: regex.Pattern[str] | None = None
    # grammar -> compiled query
    queries: dict[str, Query] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def help_url(self) -> str:
        from .findings import weakness_url

        return weakness_url(self.cwe)

    @property
    def reads_before(self) -> bool:
        """Do predicates read statements before the match (see Predicate.before)?"""
        return any(p.before for p in self.predicates)

    @property
    def crosses_statements(self) -> bool:
        """Can one match span several top-level statements (a `module` or wildcard parent
        with children)? Such rules need the whole file parsed."""
        return _CROSSES_STATEMENTS.search(self.query_text) is not None

    def query(self, language: str) -> Query | None:
        """The compiled query for a grammar (compiled now if loading deferred it)."""
        q = self.queries.get(language)
        if q is None and language in self.languages:
            q = self.queries[language] = compile_query(language, self.query_text, f"{self.source} ({self.id})")
        return q


def _regex(value: Any, where: str, key: str, compile_now: bool = True) -> Regex | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise RuleError(f"{where}: '{key}' must be a non-empty regex string")
    if not compile_now:
        return Regex(value)
    try:
        return Regex(value, regex.compile(value))
    except regex.error as exc:
        raise RuleError(f"{where}: '{key}' is not a valid regex: {exc}") from exc


def _predicate(raw: Any, where: str, captures: set[str], compile_now: bool) -> Predicate:
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: each [[predicate]] must be a table")
    unknown = set(raw) - _PREDICATE_KEYS
    if unknown:
        raise RuleError(f"{where}: predicate has unknown keys: {', '.join(sorted(unknown))}")
    cap = raw.get("capture")
    if not isinstance(cap, str) or cap not in captures:
        raise RuleError(f"{where}: predicate 'capture' must name a capture of the query (got {cap!r})")
    match = _regex(raw.get("match"), where, "predicate.match", compile_now)
    not_match = _regex(raw.get("not_match"), where, "predicate.not_match", compile_now)
    if match is None and not_match is None:
        raise RuleError(f"{where}: predicate on @{cap} needs 'match' or 'not_match'")
    inside = raw.get("inside", {})
    if not isinstance(inside, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in inside.items()):
        raise RuleError(f"{where}: predicate 'inside' must be a table of node type = field name")
    depth = raw.get("depth", 0)
    if not isinstance(depth, int) or depth < 0:
        raise RuleError(f"{where}: predicate 'depth' must be a non-negative integer")
    group = raw.get("group", "")
    if not isinstance(group, str):
        raise RuleError(f"{where}: predicate 'group' must be a string")
    before = raw.get("before", 0)
    if not isinstance(before, int) or isinstance(before, bool) or not 0 <= before <= 10:
        raise RuleError(f"{where}: predicate 'before' must be a number of statements from 0 to 10")
    if before and inside:
        raise RuleError(f"{where}: predicate on @{cap}: 'before' and 'inside' cannot be combined")
    for pat in (match, not_match):
        for name in pat.templates if pat is not None else ():
            if name not in captures:
                raise RuleError(f"{where}: predicate on @{cap}: {{{{{name}}}}} is not a capture of the query")
        if pat is not None and pat.templates and compile_now:
            try:
                pat.fill({})
            except regex.error as exc:
                raise RuleError(f"{where}: predicate on @{cap} is not a valid regex: {exc}") from exc
    return Predicate(cap, match, not_match, tuple(inside.items()), depth, group, before)


def _fix(raw: Any, where: str, captures: set[str], compile_now: bool) -> FixSpec:
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: [fix] must be a table")
    unknown = set(raw) - _FIX_KEYS
    if unknown:
        raise RuleError(f"{where}: [fix] has unknown keys: {', '.join(sorted(unknown))}")
    title, replace, kind = raw.get("title"), raw.get("replace"), raw.get("kind", "")
    if kind and kind not in FIX_KINDS:
        raise RuleError(f"{where}: [fix] kind must be one of {', '.join(FIX_KINDS)} (got {kind!r})")
    if kind and (replace is not None or "import" in raw):
        raise RuleError(f"{where}: [fix] with a 'kind' takes no 'replace' or 'import': the fixer builds the edits")
    if kind:
        replace = ""
        try:
            str(title).format(name="NAME", id="name")
        except (KeyError, IndexError, ValueError) as exc:
            raise RuleError(f"{where}: [fix] title may use only {{name}} and {{id}}: {exc}") from exc
    if not isinstance(title, str) or not title or not isinstance(replace, str):
        raise RuleError(f"{where}: [fix] needs 'title' and 'replace' strings")
    cap = raw.get("capture", "finding")
    if cap not in captures:
        raise RuleError(f"{where}: [fix] capture @{cap} is not in the query")
    for ref in TEMPLATE.findall(replace):
        if ref not in captures:
            raise RuleError(f"{where}: [fix] replace refers to @{ref}, which is not in the query")
    unless_raw = raw.get("unless", {})
    if not isinstance(unless_raw, dict):
        raise RuleError(f"{where}: [fix] 'unless' must be a table of capture = regex")
    unless: list[tuple[str, regex.Pattern[str]]] = []
    for k, v in unless_raw.items():
        if k not in captures:
            raise RuleError(f"{where}: [fix] unless refers to @{k}, which is not in the query")
        pat = _regex(v, where, f"fix.unless.{k}", compile_now)
        assert pat is not None
        unless.append((k, pat))
    add_import = raw.get("import", "")
    if not isinstance(add_import, str):
        raise RuleError(f"{where}: [fix] 'import' must be a string")
    safe = raw.get("safe", True)
    if not isinstance(safe, bool):
        raise RuleError(f"{where}: [fix] 'safe' must be true or false")
    return FixSpec(title, replace, cap, add_import, tuple(unless), safe, str(kind))


def compile_query(language: str, text: str, where: str) -> Query:
    try:
        return Query(get_language(language), text)
    except (QueryError, ValueError, NameError, SyntaxError) as exc:
        raise RuleError(f"{where}: query does not compile for {language}: {exc}") from exc


def parse_insecure_rule(path: Path, compile_queries: bool = True) -> InsecureRule:
    """One rule file. With `compile_queries=False` the queries and regexes compile on
    first use (a scan of Python files then never compiles the YAML rules)."""
    _, data = read_rule_toml(path)
    rid = data.get("id")
    if not isinstance(rid, str) or not regex.fullmatch(r"[a-z0-9][a-z0-9-]*", rid):
        raise RuleError(f"{path}: needs an 'id' of lowercase letters, digits and dashes")
    where = f"{path} ({rid})"
    unknown = set(data) - _KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
    languages = string_list(data.get("language"), where, "language")
    if not languages:
        raise RuleError(f"{where}: needs a 'language'")
    for lang in languages:
        if lang not in GRAMMARS:
            raise RuleError(f"{where}: unknown language '{lang}' (known: {', '.join(sorted(GRAMMARS))})")
    query_text = data.get("query")
    if not isinstance(query_text, str) or not query_text.strip():
        raise RuleError(f"{where}: needs a 'query'")
    queries: dict[str, Query] = {}
    captures: set[str] = set(_CAPTURE.findall(query_text))
    for lang in languages if compile_queries else ():
        q = compile_query(lang, query_text, where)
        captures |= {q.capture_name(i) for i in range(q.capture_count)}
        queries[lang] = q
    if "finding" not in captures:
        raise RuleError(f"{where}: the query must capture @finding")
    severity = str(data.get("severity", "medium"))
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    confidence = str(data.get("confidence", "high"))
    if confidence not in CONFIDENCES:
        raise RuleError(f"{where}: confidence must be one of {', '.join(CONFIDENCES)}")
    keywords = tuple(k.lower() for k in string_list(data.get("keywords"), where, "keywords"))
    if not keywords or not all(keywords):
        raise RuleError(f"{where}: needs at least one non-empty keyword for the prefilter")
    redact = string_list(data.get("redact"), where, "redact")
    name_capture = data.get("name", "")
    for cap in (*redact, *([name_capture] if name_capture else [])):
        if cap not in captures:
            raise RuleError(f"{where}: @{cap} (redact/name) is not a capture of the query")
    raw_preds = data.get("predicate", [])
    if not isinstance(raw_preds, list):
        raise RuleError(f"{where}: 'predicate' must be an array of tables ([[predicate]])")
    predicates = tuple(_predicate(p, where, captures, compile_queries) for p in raw_preds)
    fix = _fix(data["fix"], where, captures, compile_queries) if "fix" in data else None
    examples = data.get("examples", {})
    if not isinstance(examples, dict):
        raise RuleError(f"{where}: 'examples' must be a table")
    return InsecureRule(
        id=rid,
        languages=languages,
        title=str(data.get("title", rid)),
        description=str(data.get("description", "")),
        query_text=query_text,
        keywords=keywords,
        prefilter=_regex(data.get("prefilter"), where, "prefilter", compile_queries),
        context_keywords=tuple(k.lower() for k in string_list(data.get("context_keywords"), where, "context_keywords")),
        severity=severity,
        confidence=confidence,
        cwe=string_list(data.get("cwe"), where, "cwe"),
        owasp=string_list(data.get("owasp"), where, "owasp"),
        nist=string_list(data.get("nist"), where, "nist"),
        remediation=str(data.get("remediation", "")),
        paths=string_list(data.get("paths"), where, "paths"),
        redact=redact,
        name_capture=str(name_capture),
        predicates=predicates,
        fix=fix,
        examples_match=string_list(examples.get("match"), where, "examples.match"),
        examples_no_match=string_list(examples.get("no_match"), where, "examples.no_match"),
        source=str(path),
        tags=string_list(data.get("tags"), where, "tags"),
        locate=parse_locate(data, where),
        queries=queries,
    )


def insecure_rules_dir() -> Path:
    return builtin_rules_dir() / "insecure"


def load_insecure_rules(
    paths: list[Path] | None = None, include_builtin: bool = True, compile_queries: bool = True
) -> list[InsecureRule]:
    """Built-in insecure-default rules plus extra files or directories; ids must be unique."""
    files: list[Path] = []
    if include_builtin:
        files.extend(sorted(insecure_rules_dir().glob("*/*.toml")))
    for p in paths or []:
        files.extend(sorted(p.rglob("*.toml")) if p.is_dir() else [p])
    seen: dict[str, str] = {}
    out: list[InsecureRule] = []
    for f in files:
        rule = parse_insecure_rule(f, compile_queries)
        if rule.id in seen:
            raise RuleError(f"{f}: duplicate rule id '{rule.id}' (also in {seen[rule.id]})")
        seen[rule.id] = str(f)
        out.append(rule)
    save_parsed_rules()
    return out
