"""Top-level statement cut points (python_units.py) and the partial parse built on them:
a batch scan that parses only some statements must report what a whole parse reports."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spillguard.engine.insecure as insecure
from spillguard.engine.insecure import default_ruleset, scan_insecure
from spillguard.engine.parsing import get_parser
from spillguard.engine.python_units import spans, statement_units


def _starts(src: str) -> list[int]:
    """1-based lines where the lexer says top-level statements start."""
    units = statement_units(src.encode())
    assert units is not None
    return [r + 1 for r in units.rows]


def _tree_starts(src: str) -> list[int]:
    """The same, from a full tree-sitter parse: rows of the module's non-comment children
    (a decorated definition counted once), and line 1, where the first unit starts."""
    root = get_parser("python").parse(src.encode()).root_node
    assert not root.has_error
    rows = [c.start_point[0] + 1 for c in root.children if c.type != "comment"]
    return rows if rows[:1] == [1] else [1, *rows]


CASES = {
    "plain": "import os\nx = 1\n\ndef f():\n    return 2\n",
    "code-looking lines in a docstring": 'x = 1\nDOC = """\ny = eval(input())\nimport os\n"""\nz = 2\n',
    "single-quoted triple string": "A = '''\nfoo = 1\n'''\nB = 2\n",
    "escaped quotes": 'a = "x\\"\\n"\nb = \'it\\\'s\'\nc = 3\n',
    "brackets with entries at column 0": "X = [\n1,\nfoo,\n]\nY = {\nbar: 1}\nZ = (\ncall()\n)\n",
    "backslash continuation": "x = 1 + \\\n2\ny = 3\n",
    "crlf": "x = 1\r\ny = (\r\nz)\r\nw = 2\r\n",
    "clauses that continue a statement": (
        "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n"
        "try:\n    pass\nexcept ValueError:\n    pass\nfinally:\n    pass\nz = 1\n"
    ),
    "decorators": "@dec\n@other(\n1)\ndef f():\n    pass\n\n@dec\nclass C:\n    pass\nx = 1\n",
    "comments at column 0": "# head\nx = 1\n# between\n\ny = 2\n    # indented\nz = 3\n",
    "brackets and hashes in strings": "a = '(['\nb = \"#)\"\nc = 1  # ]]\nd = 2\n",
    "a quote in a comment": "x = 1  # it's\ny = \"a # b\"\nz = 3\n",
    "names that begin like clauses": "elsewhere = 1\nexceptions = 2\nfinally_ = 3\n",
    "f-strings": "x = f\"{a['k']} {b}\"\ny = rb'\\d'\nz = 1\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cut_points_are_the_top_level_statements(name):
    src = CASES[name]
    assert _starts(src) == _tree_starts(src)


@pytest.mark.parametrize(
    "src",
    [
        "x = 'open\ny = 1\n",  # a string left open
        'x = """never closed\ny = 1\n',
        "x = (1,\ny = 2\n",  # a bracket left open
        "x = 1)\ny = 2\n",
    ],
)
def test_the_lexer_offers_no_cut_points_when_unsure(src):
    assert statement_units(src.encode()) is None


def test_spans_take_the_units_of_the_rows_before_units_and_the_head():
    src = "import os\nimport sys\nX = 1\nY = 2\nZ = 3\ndef f():\n    return 4\nW = 5\n"
    data = src.encode()
    units = statement_units(data)
    assert units is not None
    line = {i + 1: off for i, off in enumerate([0, *[j + 1 for j, c in enumerate(data) if c == 10]])}
    # row 6 (0-based) is inside f: f's unit only
    assert spans(units, data, [6], 0, False) == [(line[6], 5, line[8], 7)]
    # one unit before it, and W at the end of the data
    assert spans(units, data, [6, 7], 1, False) == [(line[5], 4, len(data), -1)]
    # the head: the imports and the first statement after them
    assert spans(units, data, [6], 0, True) == [(0, 0, line[4], 3), (line[6], 5, line[8], 7)]


def _big(body: str) -> str:
    filler = "".join(f"def helper_{i}(a, b):\n    '''Doc {i}.'''\n    return [a, b, ({i},)]\n\n" for i in range(400))
    return filler + body + filler


def _both_ways(text: str, path: str = "app.py") -> tuple[list[dict], list[dict], int]:
    """(findings parsed in part, findings parsed whole, partial parses used: 1 when the
    partial tree was parsed and kept, 0 when not tried, -1 when parsed whole after all)."""
    calls, wholes = [], []
    real_spans, real_parser = insecure.parse_spans, insecure.get_parser

    def counting(*args):
        calls.append(1)
        return real_spans(*args)

    def whole(*args):
        wholes.append(1)
        return real_parser(*args)

    insecure.parse_spans, insecure.get_parser = counting, whole
    try:
        part = [f.to_dict() for f in scan_insecure(text, path, default_ruleset())]
    finally:
        insecure.parse_spans, insecure.get_parser = real_spans, real_parser
    saved = insecure.PARTIAL_MIN_BYTES
    insecure.PARTIAL_MIN_BYTES = 1 << 62
    try:
        whole = [f.to_dict() for f in scan_insecure(text, path, default_ruleset())]
    finally:
        insecure.PARTIAL_MIN_BYTES = saved
    return part, whole, -1 if calls and wholes else len(calls)


def test_a_large_file_is_parsed_in_part_with_the_same_findings_and_fixes():
    body = (
        "import random\n\n"
        "@app.route('/calc')\n"
        "def calc():\n"
        "    expr = request.args['expr']\n"
        "    return eval(expr)\n\n"
        "def token():\n"
        "    return ''.join(random.choice(ALPHABET) for _ in range(32))\n\n"
        "DOC = '''\nresult = eval(input())\n'''\n"
    )
    part, whole, calls = _both_ways(_big(body))
    assert calls == 1
    assert part == whole
    assert {f["rule"] for f in part} == {"python-eval-input", "python-insecure-random-token"}
    token = next(f for f in part if f["rule"] == "python-insecure-random-token")
    assert any("import secrets" in e["newText"] for fx in token["fixes"] for e in fx["edits"])


def test_a_file_the_partial_parse_cannot_read_is_parsed_whole():
    # a statement that is only valid together with what came before would show as an error
    text = _big("x = eval(input())\n") + "def broken(:\n"
    part, whole, _ = _both_ways(text)
    assert part == whole
    assert [f["rule"] for f in part] == ["python-eval-input"]


def test_statements_before_a_top_level_match_are_parsed_for_before_predicates():
    body = "upload = request.files['model']\nx = 1\nmodel = pickle.load(upload)\n"
    part, whole, calls = _both_ways(_big(body))
    assert calls == 1
    assert part == whole
    assert [f["rule"] for f in part] == ["python-pickle-loads"]


def test_rules_whose_matches_span_statements_get_the_whole_file():
    body = "CORS_ALLOW_ALL_ORIGINS = True\nDEBUG = False\nCORS_ALLOW_CREDENTIALS = True\n"
    part, whole, calls = _both_ways(_big(body), "proj/settings.py")
    assert calls == 0
    assert part == whole
    assert [f["rule"] for f in part] == ["python-django-cors-allow-all-with-credentials"]


@pytest.mark.parametrize(
    ("body", "cut_line"),
    [
        # a cut inside a string: the string's end then opens one that never closes
        ("DOC = '''\nx = eval(input())\n'''\ny = eval(input())\n", "x = eval(input())"),
        # a cut inside a function body: the range does not start a statement
        ("def calc():\n    expr = request.args['expr']\n    return eval(expr)\n", "    return eval(expr)"),
    ],
)
def test_wrong_cut_points_are_caught_and_the_file_is_parsed_whole(monkeypatch, body, cut_line):
    """If the lexer ever cut inside a statement, the partial tree would show it."""
    import dataclasses

    text = _big(body)
    units = statement_units(text.encode())
    assert units is not None
    row = text.splitlines().index(cut_line)
    bad = dataclasses.replace(units, offsets=sorted([*units.offsets, text.index(cut_line + "\n")]),
                              rows=sorted([*units.rows, row]))
    monkeypatch.setattr(insecure, "statement_units", lambda data: bad)
    part, whole, calls = _both_ways(text)
    assert calls == -1  # parsed in part, then whole
    assert part == whole
    assert [f["rule"] for f in part] == ["python-eval-input"]


CLASS_CASES = {
    "methods": "class C(Base):\n    '''Doc.'''\n\n    x = 1\n\n    def a(self):\n        return 1\n\n    def b(self):\n        pass\n",
    "decorated members": "class C:\n    @property\n    @other(\n1)\n    def a(self):\n        pass\n    def b(self):\n        pass\n",
    "comments and strings at the body's indent": (
        "class C:\n    # note\n    s = '''\n    not_a_member = 1\n    '''\n    t = (\n    2)\n    def f(self):\n        pass\n"
    ),
    "a header over several lines": "class C(\n    Base,\n):\n    a = 1\n    b = 2\n",
    "a decorated class": "@dataclass\nclass C:\n    a: int = 1\n    b: int = 2\n",
    "tabs": "class C:\n\ta = 1\n\tif a:\n\t\tpass\n\telse:\n\t\tpass\n\tb = 2\n",
}


@pytest.mark.parametrize("name", sorted(CLASS_CASES))
def test_class_bodies_are_cut_at_their_statements(name):
    src = CLASS_CASES[name]
    data = src.encode()
    units = statement_units(data)
    assert units is not None
    got = units.members(0)
    assert got is not None
    root = get_parser("python").parse(data).root_node
    assert not root.has_error
    cls = root.children[0]
    cls = cls.child_by_field_name("definition") or cls
    body = cls.child_by_field_name("body")
    assert got[1] == [c.start_point[0] for c in body.children if c.type != "comment"]


def test_one_line_classes_are_not_cut():
    units = statement_units(b"class C: x = 1\ny = 2\n")
    assert units is not None
    assert units.members(0) is None


def _big_class(body: str) -> str:
    methods = "".join(f"    def helper_{i}(self, a):\n        '''Doc {i}.'''\n        return [a, ({i},)]\n\n"
                      for i in range(300))
    return "import os\n\n\nclass Service(Base):\n    '''A service.'''\n\n" + methods + body + methods


def test_a_class_is_parsed_with_only_the_body_statements_that_matter():
    body = (
        "    @app.route('/calc')\n"
        "    def calc(self):\n"
        "        expr = request.args['expr']\n"
        "        return eval(expr)\n\n"
        "    data = conn.recv(1024)\n"
        "    obj = pickle.loads(data)\n\n"
    )
    text = _big_class(body)
    part, whole, calls = _both_ways(text)
    assert calls == 1
    assert part == whole
    assert sorted(f["rule"] for f in part) == ["python-eval-input", "python-pickle-loads"]
    data = text.encode()
    units = statement_units(data)
    assert units is not None
    eval_row = text.splitlines().index("        return eval(expr)")
    chosen = spans(units, data, [eval_row], 0, False)
    assert sum(e - s for s, _, e, _ in chosen) < 200  # the class line and calc, not 600 methods


PIECES = [
    ex for r in default_ruleset().by_language["python"] for ex in (*r.examples_match, *r.examples_no_match)
] + [
    '"""\n', "'''\n", "x = (\n", ")\n", "@decorator\n", "else:\n    pass\n", "# note\n", "\\\n",
    "def f():\n", "    ", "\n", "y = '''a\nb'''\n", "class C:\n", "class D(Base):\n    x = 1\n",
    "    @staticmethod\n", "    def m(self):\n        pass\n", "        ",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12), st.sampled_from(["app.py", "proj/settings.py"]))
def test_partial_parses_report_what_whole_parses_report(pieces, path):
    saved = insecure.PARTIAL_MIN_BYTES, insecure.PARTIAL_MAX_SHARE
    insecure.PARTIAL_MIN_BYTES, insecure.PARTIAL_MAX_SHARE = 0, 1.0  # every file takes the partial path when it can
    try:
        text = "\n".join(pieces)
        part, whole, _ = _both_ways(text, path)
    finally:
        insecure.PARTIAL_MIN_BYTES, insecure.PARTIAL_MAX_SHARE = saved
    assert part == whole


def test_rules_that_read_class_bodies_keep_classes_whole():
    import dataclasses

    rule = next(r for r in default_ruleset().by_language["python"] if r.id == "python-eval-input")
    assert not insecure._reads_class_body(rule)
    on_blocks = dataclasses.replace(rule, query_text=rule.query_text + "\n(block (expression_statement) @x)")
    assert insecure._reads_class_body(on_blocks)
    pred = dataclasses.replace(rule.predicates[-1], inside=(("class_definition", "body"),))
    assert insecure._reads_class_body(dataclasses.replace(rule, predicates=(pred,)))
