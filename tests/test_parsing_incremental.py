"""Incremental parsing: after any edits, a document's findings equal a fresh scan."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spillguard.engine.insecure import InsecureDocument, scan_insecure
from spillguard.engine.parsing import IncrementalDocument, language_for_path


def split_lines(text: str) -> list[bytes]:
    """Lines with their breaks. tree-sitter rows break at "\\n" only, so a lone "\\r" stays inside a line."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return [ln.encode("utf-8", "surrogatepass") for ln in lines]


class LineBuffer:
    """What a language server holds: an array of UTF-8 lines, each with its line break."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text)

    def read(self, byte_offset: int, point: tuple[int, int]) -> bytes:
        row, col = point
        if row >= len(self.lines):
            return b""
        return self.lines[row][col:]

    def replace(self, start: int, end: int, new: str) -> tuple:
        """Replace text[start:end] (code points); return tree-sitter edit arguments."""
        old = self.text

        def where(i: int) -> tuple[int, tuple[int, int]]:
            before = old[:i].encode("utf-8", "surrogatepass")
            row = before.count(b"\n")
            return len(before), (row, len(before) - (before.rfind(b"\n") + 1))

        (sb, sp), (eb, ep) = where(start), where(end)
        self.text = old[:start] + new + old[end:]
        self.lines = split_lines(self.text)
        ins = new.encode("utf-8", "surrogatepass")
        nl = ins.count(b"\n")
        new_end = (sp[0] + nl, (sp[1] + len(ins)) if nl == 0 else len(ins) - ins.rfind(b"\n") - 1)
        return sb, eb, sb + len(ins), sp, ep, new_end


SEED = '''"""Module docstring."""
import requests
import yaml


def fetch(url):
    r = requests.get(url, verify=False)
    return yaml.load(r.text)


def fine(url):
    return requests.get(url, verify=True)


class Client:
    def __init__(self):
        self.session = requests.Session()
        self.session.verify = False
'''

FRAGMENTS = [
    "verify=False", "verify=True", "yaml.load(", "yaml.safe_load(", ", Loader=yaml.SafeLoader", "requests.get(u, ",
    ")", "(", "\n", "\n    ", "def g():\n    ", "import secrets\n", "import os\n", "x = 1\n", "#", '"', "'''",
    "False", "True", ".verify = ", "é", "😀", "\r\n", "Loader", "", " ", "\t",
]


# Rules whose predicates read ancestors outside the match (the enclosing function's name or body).
SEED_CONTEXT = '''import random
from flask import request


def make(n):
    return "".join(random.choice(ABC) for _ in range(n))


def calc():
    expr = body("data")
    return eval(expr)


def new_token():
    return random.randint(0, 10)
'''

CONTEXT_FRAGMENTS = [
    "_token", "token", "password", "make", "request.json['e']", "request.form", "expr = request.args['x']\n    ", "\n", "    ",
    "def ", "(", ")", ":", "random.choice(ABC)", "eval(expr)", "#", "\"", "x = 1\n", "",
]


def normalized(findings):
    return [f.with_(start_offset=0, end_offset=0) for f in findings]


edit_strategy = st.tuples(
    st.floats(0, 1), st.integers(0, 12), st.sampled_from(FRAGMENTS), st.booleans()
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit_strategy, min_size=1, max_size=12))
def test_findings_after_random_edits_equal_a_fresh_scan(edits):
    buf = LineBuffer(SEED)
    doc = InsecureDocument.open("app.py", buf.read)
    assert doc is not None
    assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "app.py"))
    for where, length, fragment, reparse_now in edits:
        start = int(where * len(buf.text))
        end = min(len(buf.text), start + length)
        doc.edit(*buf.replace(start, end, fragment))
        if reparse_now:
            doc.update()
            fresh = InsecureDocument.open("app.py", buf.read)
            assert fresh is not None
            assert doc.findings() == fresh.findings(), buf.text
            assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "app.py")), buf.text
    doc.update()
    assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "app.py")), buf.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 8), st.sampled_from(CONTEXT_FRAGMENTS), st.booleans()),
                min_size=1, max_size=12))
def test_findings_that_depend_on_enclosing_functions_follow_edits(edits):
    buf = LineBuffer(SEED_CONTEXT)
    doc = InsecureDocument.open("app.py", buf.read)
    assert doc is not None
    for where, length, fragment, reparse_now in edits:
        start = int(where * len(buf.text))
        end = min(len(buf.text), start + length)
        doc.edit(*buf.replace(start, end, fragment))
        if reparse_now:
            doc.update()
            assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "app.py")), buf.text
    doc.update()
    assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "app.py")), buf.text


def test_renaming_the_enclosing_function_adds_the_finding():
    buf = LineBuffer(SEED_CONTEXT)
    doc = InsecureDocument.open("app.py", buf.read)
    assert doc is not None
    before = {f.rule_id for f in doc.findings()}
    assert before == {"python-insecure-random-token"}  # new_token only
    at = buf.text.index("def make") + len("def make")
    doc.edit(*buf.replace(at, at, "_password"))
    doc.update()
    assert [(f.rule_id, f.start_line) for f in doc.findings()] == [
        ("python-insecure-random-token", 6), ("python-insecure-random-token", 15)]


def test_reading_request_data_above_an_eval_makes_it_a_finding():
    # the edit changes no syntax (text inside a string), yet the eval below becomes a finding
    buf = LineBuffer(SEED_CONTEXT)
    doc = InsecureDocument.open("app.py", buf.read)
    assert doc is not None
    at = buf.text.index('"data"') + 1
    doc.edit(*buf.replace(at, at + len("data"), "request.json"))
    doc.update()
    assert ("python-eval-input", 11) in {(f.rule_id, f.start_line) for f in doc.findings()}
    assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "app.py"))


def test_the_tree_matches_a_fresh_parse_after_edits():
    buf = LineBuffer(SEED)
    doc = IncrementalDocument("python", buf.read)
    doc.edit(*buf.replace(SEED.index("verify=False"), SEED.index("verify=False") + 12, "verify=True"))
    rows = doc.reparse()
    assert rows and all(a <= 6 <= b or b < 6 or a > 6 for a, b in rows)
    assert any(a <= 6 <= b for a, b in rows)  # line 7 (0-based 6) was edited
    fresh = IncrementalDocument("python", buf.read)
    assert str(doc.tree.root_node) == str(fresh.tree.root_node)


def test_an_edit_re_checks_only_the_statements_around_it():
    body = "".join(f"def f{i}(url):\n    return requests.get(url, verify=True)\n\n" for i in range(500))
    buf = LineBuffer(body)
    doc = InsecureDocument.open("big.py", buf.read)
    assert doc is not None and doc.findings() == []
    at = buf.text.index("verify=True", len(body) // 2)
    doc.edit(*buf.replace(at + len("verify="), at + len("verify=True"), "False"))
    rows = doc.update()
    assert sum(b - a + 1 for a, b in rows) <= 4  # the edited function, not 1,500 lines
    [f] = doc.findings()
    assert f.rule_id == "python-tls-verify-false" and f.start_line == buf.text[:at].count("\n") + 1
    assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "big.py"))


def test_import_fix_follows_edits_at_the_top_of_the_file():
    # the fix's import edit depends on the top of the file, not on the finding's lines
    buf = LineBuffer("import requests\n\nrequests.get(u, verify=False)\n")
    doc = InsecureDocument.open("a.py", buf.read)
    assert doc is not None
    doc.edit(*buf.replace(0, 0, '"""doc"""\n'))
    doc.update()
    assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "a.py"))


def test_documents_in_languages_without_grammar_are_not_opened():
    assert InsecureDocument.open("notes.txt", LineBuffer("x").read) is None
    assert language_for_path("Dockerfile.prod") == "dockerfile"
    assert language_for_path("src/App.TSX") == "tsx"


def test_a_tree_with_syntax_errors_equals_a_fresh_parse():
    """Found by the property test above: after these edits tree-sitter's incremental error
    recovery turned `new_token`'s broken call into a finding a fresh parse does not see."""
    buf = LineBuffer(SEED_CONTEXT)
    doc = InsecureDocument.open("app.py", buf.read)
    assert doc is not None
    for where, length, fragment in [(1.0, 0, "password"), (0.9375, 0, "x = 1\n"), (0.484375, 0, "_token")]:
        start = int(where * len(buf.text))
        doc.edit(*buf.replace(start, min(len(buf.text), start + length), fragment))
    doc.update()
    start = int(0.34375 * len(buf.text))
    doc.edit(*buf.replace(start, start, "x = 1\n"))
    doc.update()
    assert "random.randint(x = 1" in buf.text
    assert normalized(doc.findings()) == normalized(scan_insecure(buf.text, "app.py")) == []


@pytest.mark.parametrize("path", ["app.py", "k8s.yaml", "app.js", "main.go", "Dockerfile"])
def test_statements_found_from_the_root_equal_those_found_by_walking_up(path):
    """statement_of(node, root) walks down from the root (fast in wide trees); it must
    name the same statement as walking up through node.parent."""
    from spillguard.engine.parsing import get_parser, statement_of

    texts = {
        "app.py": SEED_CONTEXT + "\nclass A:\n    def f(self):\n        if x:\n            return requests.get(u, verify=False)\n",
        "k8s.yaml": "---\nkind: Pod\nspec:\n  containers:\n    - name: a\n      securityContext:\n        privileged: true\n---\nkind: Secret\nstringData:\n  password: x\n",
        "app.js": "function f() {\n  if (a) { console.log(`t ${process.env.TOKEN}`); }\n}\nconst o = { rejectUnauthorized: false };\n",
        "main.go": "package main\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tx := rand.Intn(10)\n\t}\n}\n",
        "Dockerfile": "FROM alpine AS base\nARG NPM_TOKEN\nENV A=1 B=2\nRUN echo $NPM_TOKEN \\\n  && true\nCOPY . /app\n",
    }
    lang = language_for_path(path)
    tree = get_parser(lang).parse(texts[path].encode())
    root = tree.root_node
    stack, seen = [root], 0
    while stack:
        node = stack.pop()
        assert statement_of(node, root) == statement_of(node), (node.type, node.start_point)
        stack.extend(node.children)
        seen += 1
    assert seen > 20
