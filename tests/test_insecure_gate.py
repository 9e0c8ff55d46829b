"""The insecure-default gate decides which files get parsed: the Hyperscan path must
pick exactly the rules the Aho-Corasick + regex path picks, on any text."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spillguard.engine import accel
from spillguard.engine.insecure import default_ruleset
from spillguard.engine.insecure_gate import Gate, ascii_twin, twin_safe
from spillguard.engine.insecure_rules import load_insecure_rules
from spillguard.engine.parsing import language_for_path

hyperscan = pytest.importorskip("hyperscan")

CORPUS = Path(__file__).parent / "corpus" / "insecure"
# characters of every class the stand-ins stand for, and the case-folding trouble makers
ODD = ["é", "ß", "中", "٣", "\u00a0", "\u2028", "€", "\U0001f600", "\u212a", "\u017f", "\u0130", "\ufffd", "\u0301"]
PATHS = {
    "python": "app/settings.py", "javascript": "src/app.js", "typescript": "src/app.ts", "go": "main.go",
    "java": "App.java", "ruby": "app.rb", "bash": "deploy.sh", "dockerfile": "Dockerfile", "hcl": "main.tf",
    "yaml": ".github/workflows/ci.yml", "tsx": "src/App.tsx",
}


def _ids(rules: list) -> list[str]:
    return [r.id for r in rules]


def test_the_accelerator_flags_are_hyperscans():
    assert accel.CASELESS == hyperscan.HS_FLAG_CASELESS
    assert accel.SINGLEMATCH == hyperscan.HS_FLAG_SINGLEMATCH


def test_every_shipped_prefilter_goes_to_hyperscan_and_is_twin_safe():
    ruleset = default_ruleset()
    for lang, gate in ruleset._gates.items():
        hs = gate._hyperscan()
        assert hs is not None, lang
        assert not hs.rejected, lang
        assert not hs.not_twin_safe, lang


def test_corpus_files_get_the_same_candidates_both_ways():
    ruleset = default_ruleset()
    files = [p for p in CORPUS.rglob("*") if p.is_file() and p.name != "labels.json"]
    assert len(files) > 50
    picked = 0
    for path in files:
        lang = language_for_path(str(path))
        if lang is None:
            continue
        text = path.read_text(errors="replace")
        gate = ruleset._gates[lang]
        fast = _ids(gate.candidates(text, str(path)))
        assert fast == _ids(gate.automaton_candidates(text, str(path))), path
        # and with non-ASCII characters spread through it
        spiced = "".join(ch + (ODD[i % len(ODD)] if ch == " " and i % 7 == 0 else "") for i, ch in enumerate(text))
        assert _ids(gate.candidates(spiced, str(path))) == _ids(gate.automaton_candidates(spiced, str(path))), path
        picked += bool(fast)
    assert picked > 40


@pytest.mark.parametrize("lang", sorted(PATHS))
def test_characters_that_fold_to_ascii_letters_are_seen(lang):
    """KELVIN SIGN lowercases to "k", LONG S matches "s" case-insensitively: a keyword
    spelled with them is a keyword to the automaton path, so it must be to the gate."""
    gate = default_ruleset()._gates[lang]
    checked = 0
    for piece in _pieces(lang):
        for a, b in (("k", "\u212a"), ("K", "\u212a"), ("s", "\u017f"), ("i", "\u0130")):
            text = piece.replace(a, b)
            if text == piece:
                continue
            slow = _ids(gate.automaton_candidates(text, PATHS[lang]))
            assert _ids(gate.candidates(text, PATHS[lang])) == slow, text
            checked += bool(slow)
    if lang == "python":
        assert checked > 5


def _pieces(lang: str) -> list[str]:
    rules = [r for r in load_insecure_rules(compile_queries=False) if lang in r.languages]
    return [ex for r in rules for ex in (*r.examples_match, *r.examples_no_match)]


@pytest.mark.parametrize("lang", ["python", "javascript", "go", "yaml", "bash"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_texts_get_the_same_candidates_both_ways(lang, data):
    pieces = _pieces(lang)
    parts = data.draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=6))
    fillers = data.draw(
        st.lists(st.text(alphabet=st.sampled_from([*ODD, " ", "\n", "a", "(", ")", "'", "_", "0"]), max_size=12),
        min_size=len(parts), max_size=len(parts),
    ))
    # cut some pieces short so prefilters and keywords get split
    cuts = data.draw(st.lists(st.integers(0, 400), min_size=len(parts), max_size=len(parts)))
    text = "".join(f + p[: c or None] for f, p, c in zip(fillers, parts, cuts, strict=True))
    gate = default_ruleset()._gates[lang]
    assert _ids(gate.candidates(text, PATHS[lang])) == _ids(gate.automaton_candidates(text, PATHS[lang]))


def test_ascii_twin_keeps_offsets_and_classes():
    text = "pass é=٣ x\u00a0y €\n中"
    twin = ascii_twin(text)
    assert twin.isascii() and len(twin) == len(text)
    for a, b in zip(text, twin, strict=True):
        for cls in (r"\w", r"\d", r"\s", r"."):
            assert bool(regex.match(cls, a)) == bool(regex.match(cls, b)), (a, cls)


@pytest.mark.parametrize(
    ("pattern", "safe"),
    [
        (r"print\s*\([^)]{0,80}token", True),
        (r"""(?s)\bexec\(\s*[^"'\n]*""", True),
        (r"token[^a-z]", False),  # 'é' is outside a-z, its stand-in 'a' is not
        (r"(?i:[^A])token", False),
        (r"tok\u00e9n", False),
        (r"tok\p{L}n", False),
        ("token é", False),
    ],
)
def test_twin_safety_of_patterns(pattern, safe):
    assert twin_safe(regex.compile(pattern)) is safe


def test_a_prefilter_hyperscan_rejects_is_searched_with_regex():
    base = load_insecure_rules(compile_queries=False)
    rule = next(r for r in base if r.id == "python-flask-debug-true")
    # a lookbehind: the regex module takes it, Hyperscan does not
    odd = type(rule)(**{**{f: getattr(rule, f) for f in rule.__dataclass_fields__}, "id": "custom-lookbehind",
                        "prefilter": regex.compile(r"(?<=\.)run\(\s*debug\s*=\s*True")})
    gate = Gate([rule, odd])
    hs = gate._hyperscan()
    assert hs is not None and hs.rejected == frozenset({1})
    text = "app.run(debug=True)\n"
    assert _ids(gate.candidates(text, "app.py")) == ["python-flask-debug-true", "custom-lookbehind"]
    assert _ids(gate.candidates("task.run(debug=True)\n", "app.py")) == ["custom-lookbehind"]
    assert _ids(gate.candidates("run(debug=True)\n", "app.py")) == []


class TestCache:
    def _patterns(self) -> tuple[list[bytes], list[int], list[int]]:
        return [rb"print\s*\([^)]{0,300}(passw|token|secret)", rb"debug"], [0, 1], [accel.SINGLEMATCH] * 2

    def _hits(self, db: accel.Database, data: bytes) -> set[int]:
        found: set[int] = set()
        db.scan(data, lambda i, *_: found.add(i))
        return found

    def test_a_second_process_loads_instead_of_compiling(self, tmp_path, monkeypatch):
        monkeypatch.setenv("SPILLGUARD_CACHE_DIR", str(tmp_path))
        monkeypatch.setattr(accel, "CACHE_MIN_COMPILE_S", 0.0)
        first = accel.compile_database(*self._patterns())
        assert first is not None and len(list((tmp_path / "hyperscan").glob("*.hsdb"))) == 1

        def refuse(*_a, **_k):
            raise AssertionError("compiled again")

        monkeypatch.setattr(hyperscan, "Database", refuse)
        second = accel.compile_database(*self._patterns())
        assert second is not None
        assert self._hits(second, b"print('token', debug)") == {0, 1}

    def test_a_damaged_entry_is_recompiled(self, tmp_path, monkeypatch):
        monkeypatch.setenv("SPILLGUARD_CACHE_DIR", str(tmp_path))
        monkeypatch.setattr(accel, "CACHE_MIN_COMPILE_S", 0.0)
        accel.compile_database(*self._patterns())
        (entry,) = (tmp_path / "hyperscan").glob("*.hsdb")
        raw = bytearray(entry.read_bytes())
        raw[-10] ^= 0xFF
        entry.write_bytes(bytes(raw))
        db = accel.compile_database(*self._patterns())
        assert db is not None and self._hits(db, b"print(secret)") == {0}
        assert entry.read_bytes() != bytes(raw)  # rewritten

    def test_an_unwritable_cache_is_ignored(self, tmp_path, monkeypatch):
        blocker = tmp_path / "file"
        blocker.write_text("not a directory")
        monkeypatch.setenv("SPILLGUARD_CACHE_DIR", str(blocker / "cache"))
        monkeypatch.setattr(accel, "CACHE_MIN_COMPILE_S", 0.0)
        db = accel.compile_database(*self._patterns())
        assert db is not None and self._hits(db, b"debug") == {1}

    def test_the_cache_keeps_only_the_newest_entries(self, tmp_path, monkeypatch):
        monkeypatch.setenv("SPILLGUARD_CACHE_DIR", str(tmp_path))
        monkeypatch.setattr(accel, "CACHE_MIN_COMPILE_S", 0.0)
        monkeypatch.setattr(accel, "CACHE_KEEP", 3)
        for i in range(6):
            accel.compile_database([f"word{i}".encode()], [0], [0])
        assert len(list((tmp_path / "hyperscan").glob("*.hsdb"))) == 3

    def test_a_built_database_still_scans_after_the_switch_is_set(self, monkeypatch):
        db = accel.compile_database(*self._patterns())
        assert db is not None
        monkeypatch.setenv("SPILLGUARD_NO_HYPERSCAN", "1")
        assert self._hits(db, b"debug") == {1}

    def test_switched_off_by_the_environment(self, monkeypatch):
        monkeypatch.setenv("SPILLGUARD_NO_HYPERSCAN", "1")
        assert accel.compile_database(*self._patterns()) is None
        gate = Gate([r for r in load_insecure_rules(compile_queries=False) if "python" in r.languages])
        assert gate._hyperscan() is None
        assert _ids(gate.candidates("app.run(debug=True)\n", "app.py")) == ["python-flask-debug-true"]


def _whole_tree_findings(text: str, path: str, lang: str) -> list[dict]:
    from spillguard.engine.insecure import _with_offsets, run_rules
    from spillguard.engine.parsing import BytesSource, get_parser
    from spillguard.engine.scanner import line_starts

    ruleset = default_ruleset()
    candidates = ruleset.candidates(lang, path, text)
    if not candidates:
        return []
    data = text.encode("utf-8", "surrogatepass")
    found = run_rules(get_parser(lang).parse(data), BytesSource(data), lang, candidates, path, ruleset, None)
    return [f.to_dict() for f in _with_offsets([f for f, _ in found], line_starts(text))]


@pytest.mark.parametrize("max_rows", [64, 1])
def test_queries_limited_to_keyword_rows_find_what_whole_tree_queries_find(monkeypatch, max_rows):
    """scan_insecure queries each rule only on the rows holding its keywords."""
    from spillguard.engine import insecure_gate
    from spillguard.engine.insecure import scan_insecure_as

    monkeypatch.setattr(insecure_gate, "MAX_KEYWORD_ROWS", max_rows)
    texts = [(str(p), language_for_path(str(p)), p.read_text(errors="replace")) for p in CORPUS.rglob("*") if p.is_file()]
    texts += [(PATHS[lang], lang, ex) for lang in PATHS for ex in _pieces(lang)]
    total = 0
    for path, lang, text in texts:
        if lang is None:
            continue
        fast = [f.to_dict() for f in scan_insecure_as(text, path, lang)]
        assert fast == _whole_tree_findings(text, path, lang), path
        total += len(fast)
    assert total > 200
