"""Scanner mechanics: keyword prefilter, windows for multi-line rules, positions."""

from __future__ import annotations

import functools

from spillguard.engine.rules import parse_rule_file
from spillguard.engine.scanner import Ruleset, scan_text


def _ruleset(tmp_path, body: str) -> Ruleset:
    f = tmp_path / "r.toml"
    f.write_text('provider = "T"\n[[rule]]\nid = "t"\nkeywords = ["secret"]\n' + body)
    return Ruleset(rules=parse_rule_file(f))


def test_two_line_rule_with_max_lines(tmp_path):
    rs = _ruleset(tmp_path, "max_lines = 2\npattern = '''secret: \\|\\n[ ]+(?P<secret>[A-Za-z0-9]{12,})'''\n")
    text = "a: 1\n" * 5000 + "secret: |\n  Qm9vZ3M0dGg1c2Vj\nb: 2\n" + "c: 3\n" * 5000
    found = scan_text(text, "x.yaml", rs)
    assert [(f.start_line, f.start_col) for f in found] == [(5002, 3)]


def test_multiline_rule_windows_reach_across_lines(tmp_path):
    rs = _ruleset(tmp_path, "pattern = '''(?s)BEGIN secret\\n(?P<secret>[A-Za-z0-9\\n]{20,400}?)\\nEND'''\n")
    body = "\n".join(["Zm9vYmFyYmF6cXV4MTIz"] * 5)
    text = "x = 1\n" * 3000 + f"BEGIN secret\n{body}\nEND\n" + "y = 2\n" * 3000
    found = scan_text(text, "k.txt", rs)
    assert [(f.start_line, f.end_line) for f in found] == [(3002, 3006)]


def test_no_keyword_no_pattern_run(tmp_path):
    rs = _ruleset(tmp_path, "pattern = '''(?P<secret>[A-Za-z0-9]{30})'''\n")
    assert scan_text("token = 'Zm9vYmFyYmF6cXV4MTIzZm9vYmFyYmF6cX'", "a.py", rs) == []


def test_non_bmp_characters_keep_columns_in_code_points(tmp_path):
    rs = _ruleset(tmp_path, "pattern = '''secret=(?P<secret>[A-Za-z0-9]{16})'''\n")
    found = scan_text("# 🔑🔑\nx = '🔑 secret=Zm9vYmFyYmF6cXV4'\n", "a.py", rs)
    assert [(f.start_line, f.start_col, f.end_col) for f in found] == [(2, 15, 31)]


def test_dotted_capital_i_keeps_offsets(tmp_path, github_token):
    from spillguard.engine.rules import load_rules

    found = scan_text(f'İİ = "{github_token}"\n', "a.py", Ruleset(rules=load_rules()))
    assert [(f.rule_id, f.start_col) for f in found] == [("github-pat", 7)]


def test_hyperscan_accelerator_finds_exactly_what_the_automaton_finds():
    """The optional accelerator must not change a single finding (corpus + examples, ASCII and not)."""
    import pytest

    pytest.importorskip("hyperscan")
    from pathlib import Path

    from spillguard.engine.rules import load_rules

    rules = load_rules()
    fast = Ruleset(rules=rules)
    assert fast._hyperscan is not None
    slow = Ruleset(rules=rules)
    slow._hyperscan = None
    corpus = Path(__file__).parent / "corpus"
    texts = [(p.name, p.read_text(errors="replace")) for p in corpus.rglob("*") if p.is_file()]
    texts += [("ex.txt", ex) for r in rules for ex in (*r.examples_match, *r.examples_no_match)]
    assert len(texts) > 300
    for name, text in texts:
        a = [f.to_dict() for f in scan_text(text, name, fast)]
        b = [f.to_dict() for f in scan_text(text, name, slow)]
        assert a == b, name


def test_threads_can_scan_with_one_ruleset_at_once(github_token):
    """The language server scans the workspace in a thread while it analyses open documents."""
    from concurrent.futures import ThreadPoolExecutor

    from spillguard.engine.rules import load_rules

    rs = Ruleset(rules=load_rules())
    text = ("x = 1\n" * 20_000) + f'T = "{github_token}"\n'
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: [f.rule_id for f in scan_text(text, "a.py", rs)], range(24)))
    assert results == [["github-pat"]] * 24


def test_rule_prefilters_never_change_what_is_found():
    """A secret rule's prefilter only skips windows where its pattern cannot match:
    every rule with one finds the same with it removed (corpus, examples, generic traps)."""
    import dataclasses
    from pathlib import Path

    from spillguard.engine.rules import load_rules

    rules = load_rules()
    with_prefilter = [r for r in rules if r.prefilter_text]
    assert {r.id for r in with_prefilter} >= {"generic-secret-assignment", "generic-secret-fallback"}
    corpus = Path(__file__).parent / "corpus"
    texts = [(p.name, p.read_text(errors="replace")) for p in corpus.rglob("*") if p.is_file()]
    texts += [("ex.txt", ex) for r in rules for ex in (*r.examples_match, *r.examples_no_match)]
    texts += [("odd.py", 'token = os.environ.get("X") or "s3cr3tValue9"\npassword: "hunter22hunter"\n'
                         'api_key => \\"AbCdEf123456\\"\nsecret ?: `zzzzzzzzz`\n')]
    for rule in with_prefilter:
        plain = dataclasses.replace(rule, prefilter_text="", _compiled=[], _compiled_prefilter=[])
        fast, slow = Ruleset(rules=[rule]), Ruleset(rules=[plain])
        hits = 0
        for name, text in texts:
            a = [f.to_dict() for f in scan_text(text, name, fast)]
            assert a == [f.to_dict() for f in scan_text(text, name, slow)], (rule.id, name)
            hits += len(a)
        assert hits > 5, rule.id


def test_path_globs_match_as_fnmatch_does():
    """Rules limited to some files compile their globs into one regex; the answer is fnmatch's."""
    import fnmatch
    import os

    from spillguard.engine.rules import load_rules
    from spillguard.engine.scanner import _path_ok

    rules = [r for r in load_rules() if r.paths]
    assert rules
    paths = ["a/b/.env", ".env.production", "x/settings.py", "deploy/values.yaml", "k8s/secret.yml",
             "Dockerfile", "a/Dockerfile.dev", "notebook.ipynb", "src/app.py", "C:\\w\\.npmrc", ".npmrc",
             "id_rsa", "a/b/id_ed25519", "config/database.yml", "x.tfvars", "appsettings.Development.json"]
    for rule in rules:
        for path in paths:
            base = os.path.basename(path)
            expected = any(fnmatch.fnmatch(base, g) or fnmatch.fnmatch(path, g) for g in rule.paths)
            assert _path_ok(rule, path) is expected, (rule.id, path)


@functools.cache
def _fast_and_slow() -> tuple[Ruleset, Ruleset]:
    from spillguard.engine.rules import load_rules

    rules = load_rules()
    slow = Ruleset(rules=rules)
    slow._hyperscan = None
    return Ruleset(rules=rules), slow


def _keyword_hits_both_ways(text: str) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    fast, slow = _fast_and_slow()
    assert fast._hyperscan is not None
    return fast.candidates(text), slow.candidates(text)


def test_non_ascii_text_gets_the_automatons_keyword_hits():
    """Hyperscan scans non-ASCII text with NULs for the other characters: same hits, same offsets."""
    import pytest

    pytest.importorskip("hyperscan")
    for text in ['é password = "x"', "tökén: 1\napi_key=2 ?auth=3 é?auth=4 éauth=5", "🔑secret🔑", "\udcff token \udcfe",
                 "İ password", "APİ_KEY = 1", "to\u212aen = 1 password", "x" * 10 + "é" * 5 + "PASSWORD"]:
        fast, slow = _keyword_hits_both_ways(text)
        assert fast == slow, text
        assert fast, text


def test_random_non_ascii_texts_get_the_automatons_keyword_hits():
    import pytest

    pytest.importorskip("hyperscan")
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    words = ["password", "secret", "token", "api_key", "?auth=", "ghp_", "AKIA", "key", "PaSsWoRd"]
    odd = ["é", "İ", "\u212a", "ſ", "🔑", "\udcff", "中", "\u00a0", "?", "_", "\n", " ", "="]

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.one_of(st.sampled_from(words), st.sampled_from(odd)), max_size=30))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        fast, slow = _keyword_hits_both_ways(text)
        assert fast == slow

    check()
