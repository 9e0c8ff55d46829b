"""Insecure-default detection: tree-sitter queries (rules/insecure) → findings with fixes.

Two entry points over the same matching code:

- `scan_insecure(text, path)`: a whole text (the CLI, a fresh open). Files
  whose language has no grammar, or that hold none of the rules' keywords, are
  not parsed. It never raises: a file that cannot be analysed yields no
  insecure findings (the secret rules still run on it).
- `InsecureDocument`: an editor document kept current through edits. After
  `edit(...)` and `update()`, its findings equal those of a fresh scan of the
  same text; only the statements around the change are queried again.

Positions in findings are 1-based lines and code-point columns like secret
findings; fixes carry 0-based `TextEdit`s ready for the language server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import regex
from tree_sitter import Node, QueryCursor, Tree

from . import regex_cache
from .findings import Finding, Fix, TextEdit, fingerprint, redact
from .insecure_gate import Gate, keyword_rows, keyword_rows_all, lower, path_applies
from .insecure_locate import locate
from .insecure_rules import REGEX_TIMEOUT_S, TEMPLATE, InsecureRule, Predicate, Regex, load_insecure_rules
from .parsing import (
    STATEMENT_PARENTS,
    BytesSource,
    IncrementalDocument,
    Point,
    Reader,
    RowEdit,
    RowRange,
    Source,
    ancestry,
    get_parser,
    grow_rows,
    language_for_path,
    merge_rows,
    parse_spans,
    rows_intersect,
    shift_rows,
    statement_of,
)
from .python_units import spans, statement_units
from .rules import RuleError
from .scanner import line_starts
from .suppress import inline_ignored

log = logging.getLogger(__name__)

PREVIEW_CHARS = 120
# Text read per match for the keyword check and predicates is capped.
MAX_CAPTURE_BYTES = 65536
# Python files at least this large are parsed in part when their candidate rules need
# at most this share of the file (a 16 KB file parses in about 1.5 ms: the lexer pass and
# the checks would cost about what they save).
PARTIAL_MIN_BYTES = 16_384
PARTIAL_MAX_SHARE = 0.75
_WS = regex_cache.compile(r"\s+")
_NAME_SPLIT = regex_cache.compile(r"[^A-Za-z0-9]+")
_SECRETISH = regex_cache.compile(r"[A-Za-z0-9+/_\-]{20,}={0,2}")


@dataclass(slots=True)
class InsecureRuleset:
    """Rules grouped by language with one candidate gate per language; build once."""

    rules: list[InsecureRule]
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict)
    key: bytes | None = None
    by_language: dict[str, list[InsecureRule]] = field(default_factory=dict)
    _gates: dict[str, Gate] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for rule in self.rules:
            if rule.id in self.disabled:
                continue
            for lang in rule.languages:
                self.by_language.setdefault(lang, []).append(rule)
        self._gates = {lang: Gate(rules) for lang, rules in self.by_language.items()}

    def candidates(self, language: str, path: str, text: str) -> list[InsecureRule]:
        """Rules of `language` that could match `text` (see insecure_gate.py)."""
        gate = self._gates.get(language)
        return [] if gate is None else gate.candidates(text, path)

    def for_document(self, language: str, path: str) -> list[InsecureRule]:
        return [r for r in self.by_language.get(language, []) if path_applies(r, path)]


_DEFAULT: InsecureRuleset | None = None


def default_ruleset() -> InsecureRuleset:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = InsecureRuleset(load_insecure_rules(compile_queries=False))
    return _DEFAULT


def scan_insecure(text: str, path: str, rules: InsecureRuleset | None = None) -> list[Finding]:
    """Insecure defaults in one text. Never raises; unknown languages give []."""
    return scan_insecure_as(text, path, language_for_path(path), rules)


def scan_insecure_as(
    text: str, path: str, language: str | None, rules: InsecureRuleset | None = None
) -> list[Finding]:
    """`scan_insecure` with the grammar given (e.g. an editor's language id)."""
    try:
        if language is None or not text:
            return []
        ruleset = rules or default_ruleset()
        candidates = ruleset.candidates(language, path, text)
        if not candidates:
            return []
        data = text.encode("utf-8", "surrogatepass")
        lowered, starts = lower(text), line_starts(text)
        # each rule is queried only on the rows holding its keywords
        rows_of = [(rule, keyword_rows(rule, lowered, starts)) for rule in candidates]
        tree = _parse_for(language, data, rows_of, lambda rule: keyword_rows_all(rule, lowered, starts))
        source = BytesSource(data)
        found: list[tuple[Finding, RowRange]] = []
        for rule, rows in rows_of:
            found.extend(run_rules(tree, source, language, [rule], path, ruleset, rows))
        found.sort(key=lambda fe: (fe[0].start_line, fe[0].start_col, fe[0].rule_id))
        return _with_offsets([f for f, _ in found], starts)
    except Exception:  # a grammar or rule bug must never take a scan down
        log.warning("insecure-defaults analysis failed for %s", path, exc_info=True)
        return []


def _parse_for(language: str, data: bytes, rows_of: list[tuple[InsecureRule, list[RowRange] | None]],
               all_rows: Callable[[InsecureRule], list[int]]) -> Tree:
    """The tree the rules need: for a large Python file whose candidate rules look at a
    few statements, only those statements are parsed (see python_units.py): top-level
    statements, and inside classes the body statements. `all_rows(rule)`: every row
    holding one of the rule's keywords."""
    partial = _partial_tree(language, data, rows_of, all_rows)
    return partial if partial is not None else get_parser(language).parse(data)


def _partial_tree(language: str, data: bytes, rows_of: list[tuple[InsecureRule, list[RowRange] | None]],
                  all_rows: Callable[[InsecureRule], list[int]]) -> Tree | None:
    """The partial parse, or None when the whole file must be parsed."""
    rules = [rule for rule, _ in rows_of]
    if language != "python" or len(data) < PARTIAL_MIN_BYTES or any(rule.crosses_statements for rule in rules):
        return None
    units = statement_units(data)
    if units is None:
        return None
    wanted = [row for rule, rows in rows_of
              for row in (all_rows(rule) if rows is None else (r for a, b in rows for r in range(a, b + 1)))]
    before = max((p.before for rule in rules for p in rule.predicates), default=0)
    head = any(rule.fix is not None and rule.fix.add_import for rule in rules)
    chosen = spans(units, data, wanted, before, head, split_classes=not any(map(_reads_class_body, rules)))
    if sum(end - start for start, _, end, _ in chosen) > PARTIAL_MAX_SHARE * len(data):
        return None
    tree = parse_spans(language, data, chosen)
    # Each range must start a statement, and nothing may be broken; otherwise the cut
    # points (or the file) are not what they seemed.
    if tree.root_node.has_error or not all(_starts_statement(tree.root_node, data, start) for start, *_ in chosen):
        return None
    return tree


def _reads_class_body(rule: InsecureRule) -> bool:
    """Could the rule see that a class was parsed with only some of its body: a query
    on class bodies or blocks, or a predicate reading a class, block or module?"""
    text = rule.query_text
    if "class_definition" in text or "(block" in text:
        return True
    return any(node in ("class_definition", "block", "module") for p in rule.predicates for node, _ in p.inside)


_STATEMENT_LISTS = ("module", "block")


def _starts_statement(root: Node, data: bytes, start: int) -> bool:
    """Does a statement begin where a range starts: a top-level statement at `start`, a
    class body's statement after the indentation at `start`?"""
    if start == 0:
        return True  # the file's start: leading comments and blank lines
    pos = start
    while pos < len(data) and data[pos] in b" \t":
        pos += 1
    node = root.descendant_for_byte_range(pos, pos)
    while node is not None and node.parent is not None and node.parent.type not in _STATEMENT_LISTS \
            and node.parent.start_byte == pos:
        node = node.parent
    if node is None or node.start_byte != pos or node.parent is None:
        return False
    # a top-level statement starts the line; a class body's statement is indented
    return pos == start if node.parent.type == "module" else node.parent.type == "block" and pos > start


def _with_offsets(findings: list[Finding], starts: list[int]) -> list[Finding]:
    if not findings:
        return findings
    return [
        f.with_(
            start_offset=starts[f.start_line - 1] + f.start_col - 1,
            end_offset=starts[f.end_line - 1] + f.end_col - 1,
        )
        for f in findings
    ]


# ---------------------------------------------------------------------------
# Matching


@dataclass(slots=True)
class _Match:
    rule: InsecureRule
    captures: dict[str, list[Node]]
    source: Source
    root: Node
    # ancestors an `inside` predicate read: a change in them can change the verdict
    inspected: list[Node] = field(default_factory=list)
    _texts: dict[int, str] = field(default_factory=dict)

    def text(self, node: Node) -> str:
        key = node.id
        cached = self._texts.get(key)
        if cached is None:
            end = min(node.end_byte, node.start_byte + MAX_CAPTURE_BYTES)
            raw = self.source.slice(node.start_byte, end, _pt(node.start_point))
            cached = self._texts[key] = raw.decode("utf-8", "replace")
        return cached

    def first(self, name: str) -> Node | None:
        nodes = self.captures.get(name)
        return nodes[0] if nodes else None


def _pt(p: object) -> Point:
    seq: tuple[int, int] = p  # type: ignore[assignment]
    return int(seq[0]), int(seq[1])


def _search(pat: Regex | regex.Pattern[str], text: str) -> bool:
    try:
        return pat.search(text, timeout=REGEX_TIMEOUT_S) is not None
    except TimeoutError:
        return False


def _predicates_hold(m: _Match, rule: InsecureRule) -> bool:
    """Ungrouped predicates must all hold; of each group, at least one."""
    groups: dict[str, bool] = {}
    for pred in rule.predicates:
        if pred.group:
            if not groups.get(pred.group, False):
                groups[pred.group] = _predicate_holds(m, pred)
        elif not _predicate_holds(m, pred):
            return False
    return all(groups.values())


def _predicate_holds(m: _Match, pred: Predicate) -> bool:
    nodes = m.captures.get(pred.capture, [])
    if not nodes:
        return True  # like tree-sitter's own predicates: a capture this match lacks is not tested
    if pred.inside:
        texts = _ancestor_texts(m, nodes, pred)
    elif pred.before:
        texts = _preceding_texts(m, nodes[0], pred)
    else:
        texts = [m.text(n) for n in nodes]
    if pred.match is not None and not any(_search(_filled(m, pred.match), t) for t in texts):
        return False
    if pred.not_match is not None and any(_search(_filled(m, pred.not_match), t) for t in texts):
        return False
    return True


def _filled(m: _Match, pat: Regex) -> Regex | regex.Pattern[str]:
    """A predicate regex with {{capture}} replaced by that capture's text (escaped)."""
    names = pat.templates
    if not names:
        return pat
    return pat.fill({name: m.text(m.captures[name][0]) for name in names if m.captures.get(name)})


def _preceding_texts(m: _Match, node: Node, pred: Predicate) -> list[str]:
    """Texts of up to `pred.before` statements before each statement that holds `node`,
    from the innermost out, `pred.depth` node levels up at most (0: all)."""
    out: list[str] = []
    chain = ancestry(m.root, node)
    for level, cur in enumerate(reversed(chain[1:]), 0):  # node first, the root's child last
        if pred.depth and level > pred.depth:
            break
        parent = chain[len(chain) - 2 - level]
        if parent.parent is not None and parent.type not in STATEMENT_PARENTS:
            continue
        sib = cur.prev_named_sibling
        for _ in range(pred.before):
            if sib is None:
                break
            m.inspected.append(sib)
            out.append(m.text(sib))
            sib = sib.prev_named_sibling
    return out


def _ancestor_texts(m: _Match, nodes: list[Node], pred: Predicate) -> list[str]:
    wanted = dict(pred.inside)
    out: list[str] = []
    for node in nodes[:1]:
        up = ancestry(m.root, node)[-2::-1]  # parent first, root last
        seen: set[str] = set()
        for steps, cur in enumerate(up, 1):
            if pred.depth and steps > pred.depth:
                break
            ftype = cur.type
            if ftype in wanted and ftype not in seen:
                seen.add(ftype)
                fname = wanted[ftype]
                target = cur.child_by_field_name(fname) if fname else cur
                if target is not None:
                    m.inspected.append(target)
                    out.append(m.text(target))
    return out


def _span_text(m: _Match, nodes: list[Node]) -> str:
    start = min(nodes, key=lambda n: n.start_byte)
    end_byte = max(n.end_byte for n in nodes)
    end_byte = min(end_byte, start.start_byte + MAX_CAPTURE_BYTES)
    return m.source.slice(start.start_byte, end_byte, _pt(start.start_point)).decode("utf-8", "replace")


def _keyword_in(m: _Match) -> bool:
    """A keyword occurs in the text the captures span, and so does the prefilter (if any)
    unless a `before` predicate reads statements before them (then see _prefilter_in)."""
    text = _span_text(m, [n for ns in m.captures.values() for n in ns])
    lowered = lower(text)
    if not any(kw in lowered for kw in m.rule.keywords):
        return False
    return m.rule.prefilter is None or m.rule.reads_before or _search(m.rule.prefilter, text)


def _prefilter_in(m: _Match) -> bool:
    """For rules whose predicates read the statements before a match: the prefilter matches
    in the text of the captures together with those statements (after the predicates ran)."""
    if m.rule.prefilter is None or not m.rule.reads_before:
        return True
    nodes = [n for ns in m.captures.values() for n in ns]
    first = min(n.start_byte for n in nodes)
    return _search(m.rule.prefilter, _span_text(m, nodes + [n for n in m.inspected if n.end_byte <= first]))


def _extent(m: _Match, root: Node) -> RowRange:
    """Rows a change must touch for this match to change: captures widened to their statements."""
    nodes = [n for ns in m.captures.values() for n in ns] + m.inspected
    a = min(n.start_point[0] for n in nodes)
    b = max(n.end_point[0] for n in nodes)
    for n in nodes:
        st = statement_of(n, root)
        a, b = min(a, st.start_point[0]), max(b, st.end_point[0])
    return a, b


def run_rules(
    tree: Tree,
    source: Source,
    language: str,
    rules: Iterable[InsecureRule],
    path: str,
    ruleset: InsecureRuleset,
    rows: list[RowRange] | None,
    watches: list[RowRange] | None = None,
) -> list[tuple[Finding, RowRange]]:
    """Findings (with their extents) of `rules` in the tree, limited to matches meeting `rows`.

    With `watches`, the extents of matches that predicates rejected after
    reading ancestors outside the match are appended to it: an edit there can
    turn them into findings, so an editor document must look at them again."""
    root = tree.root_node
    out: dict[tuple[str, int, int], tuple[Finding, RowRange]] = {}
    for rule in rules:
        try:
            query = rule.query(language)
        except RuleError:
            log.warning("insecure rule %s: query does not compile for %s", rule.id, language)
            continue
        if query is None:
            continue
        spans: list[RowRange | None] = list(rows) if rows is not None else [None]
        for span in spans:
            cursor = QueryCursor(query)
            if span is not None:
                cursor.set_point_range((span[0], 0), (span[1] + 1, 0))
            for _, caps in cursor.matches(root):
                m = _Match(rule, caps, source, root)
                node = m.first("finding")
                if node is None:
                    continue
                key = (rule.id, node.start_byte, node.end_byte)
                if key in out:
                    continue
                if not _keyword_in(m):
                    continue
                if not _predicates_hold(m, rule) or not _prefilter_in(m):
                    if watches is not None and m.inspected:
                        watches.append(_extent(m, root))
                    continue
                spots = locate(rule.locate, node, m.text(node)) if rule.locate is not None else [node]
                for spot in spots:
                    spot_key = (rule.id, spot.start_byte, spot.end_byte)
                    finding = _finding(m, spot, root, path, language, ruleset)
                    if finding is not None and spot_key not in out:
                        out[spot_key] = (finding, _extent(m, root))
    return sorted(out.values(), key=lambda fe: (fe[0].start_line, fe[0].start_col, fe[0].rule_id))


# ---------------------------------------------------------------------------
# Findings


def _line_start(node_start_byte: int, point: Point) -> int:
    return node_start_byte - point[1]


def _position(source: Source, byte: int, point: Point) -> tuple[int, int]:
    """0-based (row, code-point column)."""
    row, bcol = point
    return row, source.column(row, byte - bcol, bcol)


def _finding(m: _Match, node: Node, root: Node, path: str, language: str, ruleset: InsecureRuleset) -> Finding | None:
    rule, source = m.rule, m.source
    sp, ep = _pt(node.start_point), _pt(node.end_point)
    line_text = source.line(sp[0], node.start_byte - sp[1])
    if inline_ignored(line_text, rule.id):
        return None
    srow, scol = _position(source, node.start_byte, sp)
    erow, ecol = _position(source, node.end_byte, ep)
    matched = m.text(node)
    fixes = _fixes(m, root, language)
    name = ""
    if rule.name_capture:
        nn = m.first(rule.name_capture)
        if nn is not None:
            name = env_name(m.text(nn).strip("\"'`"))
    return Finding(
        rule_id=rule.id,
        kind="insecure",
        title=rule.title,
        path=path,
        start_line=srow + 1,
        start_col=scol + 1,
        end_line=erow + 1,
        end_col=ecol + 1,
        preview=_preview(m, line_text, scol),
        fingerprint=fingerprint(rule.id + "\0" + _WS.sub(" ", matched.strip()), ruleset.key),
        severity=ruleset.severity_overrides.get(rule.id, rule.severity),
        confidence=rule.confidence,
        cwe=rule.cwe,
        owasp=rule.owasp,
        nist=rule.nist,
        remediation=rule.remediation,
        help_url=rule.help_url,
        name=name,
        fixes=fixes,
    )


def _preview(m: _Match, line_text: str, col: int) -> str:
    """The finding's line, trimmed around it, with literal secrets redacted."""
    text = line_text
    for cap in m.rule.redact:
        for n in m.captures.get(cap, []):
            secret = m.text(n).strip()
            inner = secret.strip("\"'`")
            for value in (inner, secret):
                if value and value in text:
                    text = text.replace(value, redact(value))
                    break
            else:
                first = secret.splitlines()[0] if secret else ""
                if first:
                    text = text.replace(first, redact(first))
    # belt and braces: anything on the line shaped like a key or token is redacted too
    text = _SECRETISH.sub(lambda t: redact(t.group(0)) if _looks_random(t.group(0)) else t.group(0), text)
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    col = max(0, col - lead)
    text = stripped.rstrip()
    if len(text) <= PREVIEW_CHARS:
        return text
    start = max(0, min(col - 20, len(text) - PREVIEW_CHARS))
    return ("…" if start else "") + text[start : start + PREVIEW_CHARS] + "…"


def _looks_random(word: str) -> bool:
    return sum(c.isdigit() for c in word) >= 3 and any(c.isalpha() for c in word) and len(set(word)) >= 10


def env_name(name: str) -> str:
    """`apiKey` / `api-key` / `api_key` → `API_KEY`."""
    out: list[str] = []
    for p in (p for p in _NAME_SPLIT.split(name) if p):
        out.extend(w for w in regex.split(r"(?<=[a-z0-9])(?=[A-Z])", p) if w)
    return "_".join(w.upper() for w in out)


def _fixes(m: _Match, root: Node, language: str) -> tuple[Fix, ...]:
    spec = m.rule.fix
    if spec is None:
        return ()
    target = m.first(spec.capture)
    if target is None:
        return ()
    for cap, pat in spec.unless:
        if any(_search(pat, m.text(n)) for n in m.captures.get(cap, [])):
            return ()
    if spec.kind == "secret-mount":  # several edits, built by code
        from .fix_docker import secret_mount_fix

        fix, read = secret_mount_fix(target, root, m.source, spec.title, spec.safe)
        m.inspected.extend(read)  # the fix depends on these: an edit inside them recomputes the finding
        return () if fix is None else (fix,)

    def fill(ref: regex.Match[str]) -> str:
        node = m.first(ref.group(1))
        return m.text(node) if node is not None else ""

    new_text = TEMPLATE.sub(fill, spec.replace)
    srow, scol = _position(m.source, target.start_byte, _pt(target.start_point))
    erow, ecol = _position(m.source, target.end_byte, _pt(target.end_point))
    edits = [TextEdit(srow, scol, erow, ecol, new_text)]
    if spec.add_import:
        imp = _import_edit(root, m.source, spec.add_import)
        if imp is not None:
            edits.insert(0, imp)
    return (Fix(spec.title, tuple(edits), spec.safe),)


_IMPORT_TYPES = {"import_statement", "import_from_statement", "future_import_statement"}


def _import_edit(root: Node, source: Source, line: str) -> TextEdit | None:
    """Insert `line` (a Python import) before the file's leading imports, after
    its docstring, leading comments and `from __future__` imports; None when
    the leading imports already hold it."""
    want = _WS.sub(" ", line.strip())
    insert_row: int | None = None
    after_row = 0
    cursor = root.walk()
    first = True
    has_child = cursor.goto_first_child()
    while has_child:
        node = cursor.node
        assert node is not None
        t = node.type
        if t in _IMPORT_TYPES:
            text = _WS.sub(" ", source.text(node).strip())
            if text == want:
                return None
            if t == "future_import_statement" or text.startswith("from __future__"):
                after_row = node.end_point[0] + 1
            elif insert_row is None:
                insert_row = node.start_point[0]
        elif insert_row is not None:
            break  # the first statement after the import block
        elif t == "comment" or (first and t == "expression_statement" and node.named_child_count == 1
                                and node.named_children[0].type == "string"):
            after_row = node.end_point[0] + 1
        else:
            break  # code before any import
        if t != "comment":
            first = False
        has_child = cursor.goto_next_sibling()
    row = max(insert_row if insert_row is not None else after_row, after_row)
    return TextEdit(row, 0, row, 0, line + "\n")


# ---------------------------------------------------------------------------
# Editor documents


class InsecureDocument:
    """Insecure-default findings of one editor document, kept current through edits.

        doc = InsecureDocument.open("app.py", read)    # None when no grammar applies
        findings = doc.findings()                      # everything, as a fresh scan
        ...the caller changes its text, then:
        doc.edit(start_byte, old_end_byte, new_end_byte, start_point, old_end_point, new_end_point)
        changed = doc.update()                         # re-checked rows; doc.findings() is current

    `read(byte_offset, (row, byte_col))` serves the document's current UTF-8
    bytes from any offset (any chunk length; b"" at the end). Findings have
    the same fields as `scan_insecure`'s except `start_offset`/`end_offset`,
    which stay 0 here: offsets into a text the document never joins would
    cost a pass over the whole file.
    """

    def __init__(self, path: str, language: str, read: Reader, rules: InsecureRuleset | None = None) -> None:
        self.path = path
        self.language = language
        self.ruleset = rules or default_ruleset()
        self.rules = self.ruleset.for_document(language, path)
        self._by_id = {r.id: r for r in self.rules}
        self.doc = IncrementalDocument(language, read)
        self._watches: list[RowRange] = []
        self._found: list[tuple[Finding, RowRange]] = self._query(None, self._watches)

    @classmethod
    def open(cls, path: str, read: Reader, rules: InsecureRuleset | None = None) -> InsecureDocument | None:
        language = language_for_path(path)
        if language is None:
            return None
        return cls(path, language, read, rules)

    def edit(
        self,
        start_byte: int,
        old_end_byte: int,
        new_end_byte: int,
        start_point: Point,
        old_end_point: Point,
        new_end_point: Point,
    ) -> None:
        self.doc.edit(start_byte, old_end_byte, new_end_byte, start_point, old_end_point, new_end_point)

    def update(self) -> list[RowRange]:
        """Reparse after edits and refresh the findings around them; returns the rows re-checked."""
        edits = self.doc.take_edits()
        region = self.doc.reparse()
        kept: list[tuple[Finding, RowRange]] = []
        dropped: list[RowRange] = []
        imports = _ImportEdits(self.doc.tree.root_node, self.doc.source)
        for finding, extent in self._found:
            moved: RowRange | None = extent
            for e in edits:
                if moved is None:
                    break
                moved = shift_rows(moved, e)
            if moved is None or rows_intersect(moved, region):
                dropped.append(_grow_all(extent, edits))
                continue
            rule = self._by_id.get(finding.rule_id)
            kept.append((_moved_finding(finding, moved[0] - extent[0], rule, imports), moved))
        watches: list[RowRange] = []
        for extent in self._watches:
            moved = extent
            for e in edits:
                if moved is None:
                    break
                moved = shift_rows(moved, e)
            if moved is None or rows_intersect(moved, region):
                dropped.append(_grow_all(extent, edits))
            else:
                watches.append(moved)
        rows = merge_rows([*region, *dropped])
        watches = [w for w in watches if not rows_intersect(w, rows)]
        fresh = self._query(rows, watches)
        self._watches = sorted(set(watches))
        keys = {(f.rule_id, f.start_line, f.start_col, f.end_line, f.end_col) for f, _ in fresh}
        merged = fresh + [fe for fe in kept if (fe[0].rule_id, fe[0].start_line, fe[0].start_col,
                                                fe[0].end_line, fe[0].end_col) not in keys]
        merged.sort(key=lambda fe: (fe[0].start_line, fe[0].start_col, fe[0].rule_id))
        self._found = merged
        return rows

    def findings(self, rows: list[RowRange] | None = None) -> list[Finding]:
        """Current findings; with `rows`, only those whose range meets these 0-based rows."""
        if rows is None:
            return [f for f, _ in self._found]
        return [f for f, _ in self._found if rows_intersect((f.start_line - 1, f.end_line - 1), rows)]

    def scan(self, rows: list[RowRange] | None = None) -> list[Finding]:
        """Query the current tree afresh (all of it, or matches meeting `rows`)."""
        return [f for f, _ in self._query(rows)]

    def _query(
        self, rows: list[RowRange] | None, watches: list[RowRange] | None = None
    ) -> list[tuple[Finding, RowRange]]:
        try:
            return run_rules(self.doc.tree, self.doc.source, self.language, self.rules, self.path,
                             self.ruleset, rows, watches)
        except Exception:
            log.warning("insecure-defaults analysis failed for %s", self.path, exc_info=True)
            return []


def _grow_all(rows: RowRange, edits: list[RowEdit]) -> RowRange:
    for e in edits:
        rows = grow_rows(rows, e)
    return rows


class _ImportEdits:
    """The import edit for each import line, computed once per update."""

    def __init__(self, root: Node, source: Source) -> None:
        self.root, self.source = root, source
        self._cache: dict[str, TextEdit | None] = {}

    def get(self, line: str) -> TextEdit | None:
        if line not in self._cache:
            self._cache[line] = _import_edit(self.root, self.source, line)
        return self._cache[line]


def _moved_finding(f: Finding, delta: int, rule: InsecureRule | None, imports: _ImportEdits) -> Finding:
    """A kept finding after edits elsewhere: lines shifted; an import edit (which
    depends on the top of the file, not on the finding) computed again."""
    fixes = f.fixes
    if delta:
        fixes = tuple(
            Fix(fx.title, tuple(TextEdit(e.start_line + delta, e.start_col, e.end_line + delta, e.end_col, e.new_text)
                                for e in fx.edits), fx.safe)
            for fx in fixes
        )
    if rule is not None and rule.fix is not None and rule.fix.add_import and fixes:
        fx = fixes[0]
        main = fx.edits[-1]
        imp = imports.get(rule.fix.add_import)
        fixes = (Fix(fx.title, (main,) if imp is None else (imp, main), fx.safe), *fixes[1:])
    if delta == 0 and fixes == f.fixes:
        return f
    return f.with_(start_line=f.start_line + delta, end_line=f.end_line + delta, fixes=fixes)
