"""The insecure-defaults engine: rule schema, matching, findings, fixes, fallbacks."""

import json
import textwrap
from pathlib import Path

import pytest

from spillguard.engine.context import Context
from spillguard.engine.insecure import InsecureRuleset, scan_insecure
from spillguard.engine.insecure_rules import load_insecure_rules, parse_insecure_rule
from spillguard.engine.rulecheck import apply_edits
from spillguard.engine.rules import RuleError

VERIFY = "python-tls-verify-false"


def write_rule(tmp_path: Path, body: str, name: str = "rule.toml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


RULE = """\
id = "test-rule"
language = "python"
title = "Test"
keywords = ["danger"]
query = '''(call function: (identifier) @fn (#eq? @fn "danger")) @finding'''
"""


def test_a_valid_rule_loads_with_defaults(tmp_path):
    rule = parse_insecure_rule(write_rule(tmp_path, RULE))
    assert rule.id == "test-rule" and rule.languages == ("python",)
    assert rule.severity == "medium" and rule.keywords == ("danger",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("language = \"python\"", "language = \"cobol\""), "unknown language 'cobol'"),
        (("@finding'''", "@other'''"), "must capture @finding"),
        (("(call function", "(call nosuchfield"), "does not compile"),
        (("keywords = [\"danger\"]", "keywords = []"), "keyword"),
        (("title = \"Test\"", "title = \"Test\"\nseverity = \"urgent\""), "severity"),
        (("title = \"Test\"", "title = \"Test\"\nbogus = 1"), "unknown keys: bogus"),
        (("id = \"test-rule\"", "id = \"Test Rule\""), "'id'"),
    ],
)
def test_broken_rules_are_rejected_with_the_file_named(tmp_path, change, message):
    path = write_rule(tmp_path, RULE.replace(*change))
    with pytest.raises(RuleError) as err:
        parse_insecure_rule(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_predicate_and_fix_must_name_captures(tmp_path):
    bad_pred = RULE + "\n[[predicate]]\ncapture = \"nope\"\nmatch = \"x\"\n"
    with pytest.raises(RuleError, match="predicate 'capture'"):
        parse_insecure_rule(write_rule(tmp_path, bad_pred))
    bad_fix = RULE + "\n[fix]\ntitle = \"t\"\nreplace = \"{{nope}}\"\n"
    with pytest.raises(RuleError, match="@nope"):
        parse_insecure_rule(write_rule(tmp_path, bad_fix))
    bad_regex = RULE + "\n[[predicate]]\ncapture = \"fn\"\nmatch = \"(\"\n"
    with pytest.raises(RuleError, match="not a valid regex"):
        parse_insecure_rule(write_rule(tmp_path, bad_regex))


def test_duplicate_ids_across_files_are_rejected(tmp_path):
    write_rule(tmp_path, RULE, "a.toml")
    write_rule(tmp_path, RULE, "b.toml")
    with pytest.raises(RuleError, match="duplicate rule id 'test-rule'"):
        load_insecure_rules([tmp_path], include_builtin=False)


def test_finding_fields_positions_and_fix():
    text = "import requests\n\n# ünïcode first\nr = requests.get('ü', verify=False)\n"
    [f] = scan_insecure(text, "client.py")
    assert (f.rule_id, f.kind, f.severity) == (VERIFY, "insecure", "medium")
    assert "CWE-295" in f.cwe and f.owasp and f.nist and f.remediation
    # 1-based, code-point columns (the ü before is one column, two bytes)
    assert (f.start_line, f.start_col, f.end_line, f.end_col) == (4, 30, 4, 35)
    assert text[f.start_offset : f.end_offset] == "False"
    assert f.preview == "r = requests.get('ü', verify=False)"
    [fix] = f.fixes
    assert fix.safe
    assert apply_edits(text, fix.edits) == text.replace("verify=False", "verify=True")


def test_fingerprint_is_stable_when_code_moves_and_differs_between_rules():
    a = scan_insecure("requests.get(u, verify=False)\n", "a.py")[0]
    b = scan_insecure("\n\nx = 1\nrequests.get(u, verify=False)\n", "b.py")[0]
    assert a.fingerprint == b.fingerprint and a.fingerprint.startswith("sg1:")
    c = scan_insecure("import yaml\nyaml.load(u)\n", "c.py")[0]
    assert c.fingerprint != a.fingerprint


def test_inline_ignore_silences_the_rule_on_that_line():
    text = "requests.get(u, verify=False)  # spillguard:ignore[python-tls-verify-false] internal test host\n"
    assert scan_insecure(text, "a.py") == []
    other = "requests.get(u, verify=False)  # spillguard:ignore[some-other-rule]\n"
    assert [f.rule_id for f in scan_insecure(other, "a.py")] == [VERIFY]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("notes.txt", "requests.get(u, verify=False)"),  # no grammar for .txt
        ("a.py", ""),
        ("a.py", "def broken(:\n    requests.get(u, verify=False\n"),  # syntax errors
        ("a.py", "\x00\x01\ud800 verify=False"),  # lone surrogate, control bytes
        ("a.py", "verify " * 100_000),  # keyword everywhere, nothing to match
    ],
)
def test_unparsable_or_unknown_input_never_raises(path, text):
    assert isinstance(scan_insecure(text, path), list)


def test_code_with_syntax_errors_elsewhere_still_reports():
    text = "def broken(:\n    pass\n\nrequests.get(u, verify=False)\n"
    assert [f.rule_id for f in scan_insecure(text, "a.py")] == [VERIFY]


def test_a_rule_that_fails_at_run_time_does_not_take_the_scan_down(tmp_path, monkeypatch):
    import spillguard.engine.insecure as insecure

    def boom(*args, **kwargs):
        raise RuntimeError("grammar bug")

    monkeypatch.setattr(insecure, "run_rules", boom)
    assert scan_insecure("requests.get(u, verify=False)\n", "a.py") == []


def test_files_without_keywords_are_not_parsed(monkeypatch):
    import spillguard.engine.insecure as insecure

    parsed = []
    real = insecure.get_parser

    def spy(lang):
        parsed.append(lang)
        return real(lang)

    monkeypatch.setattr(insecure, "get_parser", spy)
    scan_insecure("x = 1\nprint(x)\n", "a.py")
    assert parsed == []
    scan_insecure("requests.get(u, verify=False)\n", "a.py")
    assert parsed == ["python"]


def test_disabled_rules_and_severity_overrides():
    rules = load_insecure_rules()
    text = "requests.get(u, verify=False)\n"
    assert scan_insecure(text, "a.py", InsecureRuleset(rules, disabled=frozenset({VERIFY}))) == []
    [f] = scan_insecure(text, "a.py", InsecureRuleset(rules, severity_overrides={VERIFY: "high"}))
    assert f.severity == "high"


def test_paths_limit_a_rule_to_matching_files(tmp_path):
    body = RULE.replace("query =", 'paths = ["settings.py", "*/settings/*.py"]\nquery =')
    rule = parse_insecure_rule(write_rule(tmp_path, body))
    rs = InsecureRuleset([rule])
    assert scan_insecure("danger()\n", "proj/settings.py", rs)
    assert scan_insecure("danger()\n", "proj/settings/prod.py", rs)
    assert scan_insecure("danger()\n", "proj/views.py", rs) == []


def test_redacted_captures_never_reach_the_preview(tmp_path):
    body = RULE.replace(
        "query = '''(call function: (identifier) @fn (#eq? @fn \"danger\")) @finding'''",
        "query = '''(call function: (identifier) @fn arguments: (argument_list (string) @secret)"
        " (#eq? @fn \"danger\")) @finding'''\nredact = [\"secret\"]",
    )
    rule = parse_insecure_rule(write_rule(tmp_path, body))
    secret = "s3cr3t-Value-Xy9QkLmN0pQ"
    [f] = scan_insecure(f'danger("{secret}")\n', "a.py", InsecureRuleset([rule]))
    assert secret not in f.preview and secret[:8] not in f.preview
    assert secret not in json.dumps(f.to_dict())


def test_context_reports_insecure_findings_beside_secrets_and_honours_config(tmp_path):
    (tmp_path / ".spillguard.toml").write_text('severity = { "python-tls-verify-false" = "low" }\n')
    ctx = Context.build(tmp_path)
    found = ctx.analyze("requests.get(u, verify=False)\n", "a.py")
    assert [(f.rule_id, f.kind, f.severity) for f in found] == [(VERIFY, "insecure", "low")]
    (tmp_path / ".spillguard.toml").write_text("insecure-defaults = false\n")
    assert Context.build(tmp_path).analyze("requests.get(u, verify=False)\n", "a.py") == []
    (tmp_path / ".spillguard.toml").write_text('disable = ["python-tls-verify-false"]\n')
    assert Context.build(tmp_path).analyze("requests.get(u, verify=False)\n", "a.py") == []


def test_cli_reports_insecure_findings_in_every_format(tmp_path):
    import subprocess
    import sys

    (tmp_path / "app.py").write_text("import requests\nrequests.get(u, verify=False)\n")
    outs = {}
    for fmt in ("text", "json", "sarif"):
        proc = subprocess.run(
            [sys.executable, "-m", "spillguard", "scan", str(tmp_path), "--format", fmt],
            capture_output=True, text=True, cwd=tmp_path,
        )
        assert proc.returncode == 1, proc.stderr
        outs[fmt] = proc.stdout
    assert VERIFY in outs["text"]
    data = json.loads(outs["json"])
    assert any(f["rule"] == VERIFY and f["kind"] == "insecure" and f["fixes"] for f in data["findings"])
    sarif = json.loads(outs["sarif"])
    assert any(r["ruleId"] == VERIFY for r in sarif["runs"][0]["results"])


BEFORE_RULE = """\
id = "test-before"
language = "python"
title = "Test"
keywords = ["danger"]
query = '''(call function: (identifier) @fn arguments: (argument_list . (identifier) @arg) (#eq? @fn "danger")) @finding'''

[[predicate]]
capture = "finding"
before = 2
depth = 3
match = '''^{{arg}}\\s*=\\s*untrusted\\('''
"""


def _before_lines(text: str, rule_path: Path) -> list[int]:
    rules = InsecureRuleset([parse_insecure_rule(rule_path)])
    return [f.start_line for f in scan_insecure(text, "a.py", rules)]


def test_a_before_predicate_reads_the_statements_before_the_call_with_the_capture_put_in(tmp_path):
    path = write_rule(tmp_path, BEFORE_RULE)
    assert _before_lines("x = untrusted()\ndanger(x)\n", path) == [2]
    assert _before_lines("x = untrusted()\ny = 1\ndanger(x)\n", path) == [3]  # two statements before
    assert _before_lines("x = untrusted()\ny = 1\nz = 2\ndanger(x)\n", path) == []  # three: too far
    assert _before_lines("y = untrusted()\ndanger(x)\n", path) == []  # another variable
    assert _before_lines("danger(x)\nx = untrusted()\n", path) == []  # after, not before
    # before a statement around the call (an if), within `depth` levels
    assert _before_lines("def f():\n    x = untrusted()\n    if x:\n        danger(x)\n", path) == [4]


def test_a_before_predicate_follows_edits_in_an_editor_document(tmp_path):
    from spillguard.engine.insecure import InsecureDocument

    rules = InsecureRuleset([parse_insecure_rule(write_rule(tmp_path, BEFORE_RULE))])
    text = "def f():\n    x = safe()\n    log(1)\n    danger(x)\n"
    data = {"t": text.encode()}
    doc = InsecureDocument.open("a.py", lambda b, p: data["t"][b:b + 4096], rules)
    assert doc is not None and doc.findings() == []
    start = text.index("safe")
    new = text.replace("safe", "untrusted", 1)
    data["t"] = new.encode()
    doc.edit(start, start + 4, start + 9, (1, 8), (1, 12), (1, 17))
    doc.update()
    assert [f.start_line for f in doc.findings()] == [4]
    assert [f.start_line for f in doc.findings()] == _before_lines(new, tmp_path / "rule.toml")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("before = 11", "'before' must be a number"),
        ("before = true", "'before' must be a number"),
        ("before = 2\ninside = { function_definition = \"body\" }", "cannot be combined"),
    ],
)
def test_broken_before_predicates_are_rejected(tmp_path, extra, message):
    path = write_rule(tmp_path, BEFORE_RULE.replace("before = 2", extra))
    with pytest.raises(RuleError, match=message):
        parse_insecure_rule(path)


def test_a_template_must_name_a_capture(tmp_path):
    path = write_rule(tmp_path, BEFORE_RULE.replace("{{arg}}", "{{nope}}"))
    with pytest.raises(RuleError, match="nope"):
        parse_insecure_rule(path)
