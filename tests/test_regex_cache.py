"""The disk cache of compiled regex programs: a pattern from the cache is the pattern
regex.compile gives, and a cache that is damaged, foreign or unwritable changes nothing."""

from __future__ import annotations

import regex

from spillguard.engine import filters, regex_cache
from spillguard.engine.insecure_rules import load_insecure_rules
from spillguard.engine.rules import load_rules


def _fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("SPILLGUARD_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_memo", {})


def _patterns() -> list[tuple[str, int, list[str]]]:
    """Every bundled pattern with the texts it is tried on: its rule's examples."""
    out: list[tuple[str, int, list[str]]] = []
    for r in load_rules():
        texts = [*r.examples_match, *r.examples_no_match]
        out.append((r.pattern_text, regex.V0, texts))
        if r.prefilter_text:
            out.append((r.prefilter_text, regex.V0, texts))
    for ir in load_insecure_rules(compile_queries=False):
        texts = [*ir.examples_match, *ir.examples_no_match]
        out.extend((p.match.pattern, 0, texts) for p in ir.predicates if p.match is not None)
        out.extend((p.not_match.pattern, 0, texts) for p in ir.predicates if p.not_match is not None)
        if ir.prefilter is not None:
            out.append((ir.prefilter.pattern, 0, texts))
    samples = ["password = 'hunter2'", "${API_KEY}", "<your-token-here>", "AKIAIOSFODNN7EXAMPLE", "x" * 40]
    out.extend((v.pattern, int(v.flags), samples) for v in vars(filters).values() if isinstance(v, regex.Pattern))
    return out


def _same(a: regex.Pattern[str], b: regex.Pattern[str], texts: list[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in texts:
        got = [(m.span(), m.groups()) for m in a.finditer(text, timeout=5)]
        want = [(m.span(), m.groups()) for m in b.finditer(text, timeout=5)]
        assert got == want, (a.pattern[:60], text[:60])


def test_cached_patterns_are_the_patterns_regex_compiles(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    patterns = _patterns()
    assert len(patterns) > 200
    for pattern, flags, texts in patterns:
        _same(regex_cache.compile(pattern, flags), regex.compile(pattern, flags), texts)
    stored = len(list((tmp_path / "regex").glob("*.rx")))
    assert stored >= len({(p, f) for p, f, _ in patterns}) - 5  # a few share text and flags
    # a second process: every pattern comes from the disk
    monkeypatch.setattr(regex_cache, "_memo", {})
    monkeypatch.setattr(regex_cache, "_compile_capturing", _must_not_compile)
    for pattern, flags, texts in patterns:
        _same(regex_cache.compile(pattern, flags), regex.compile(pattern, flags), texts)


def _must_not_compile(pattern, flags):
    raise AssertionError(f"compiled again: {pattern[:60]}")


def test_a_damaged_or_foreign_entry_is_compiled_again(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    pat = r"(?P<name>api_?key)\s*=\s*(?P<secret>[A-Za-z0-9]{16,})"
    regex_cache.compile(pat)
    (entry,) = (tmp_path / "regex").glob("*.rx")
    raw = entry.read_bytes()
    entry.write_bytes(raw[:-3] + b"zzz")  # damaged
    monkeypatch.setattr(regex_cache, "_memo", {})
    _same(regex_cache.compile(pat), regex.compile(pat), ["api_key = ABCDEFGH12345678", "nope"])
    assert entry.read_bytes() == raw  # written again
    # a program changed behind its checksum: another literal in it
    import marshal

    args = list(marshal.loads(raw[32:]))
    args[2] = [c + 1 if c == ord("k") else c for c in args[2]]
    entry.write_bytes(raw[:32] + marshal.dumps(tuple(args)))
    monkeypatch.setattr(regex_cache, "_memo", {})
    _same(regex_cache.compile(pat), regex.compile(pat), ["api_key = ABCDEFGH12345678", "api_ley = ABCDEFGH12345678"])
    # another pattern's program under this pattern's key
    other = r"token\s*:\s*(?P<secret>\w+)"
    regex_cache.compile(other)
    other_entry = next(p for p in (tmp_path / "regex").glob("*.rx") if p != entry)
    entry.write_bytes(other_entry.read_bytes())
    monkeypatch.setattr(regex_cache, "_memo", {})
    _same(regex_cache.compile(pat), regex.compile(pat), ["api_key = ABCDEFGH12345678", "token: abc"])


def test_an_unwritable_cache_is_ignored(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SPILLGUARD_CACHE_DIR", str(blocker))
    monkeypatch.setattr(regex_cache, "_memo", {})
    _same(regex_cache.compile(r"sk_live_\w{24}"), regex.compile(r"sk_live_\w{24}"), ["sk_live_" + "a" * 24])


def test_locale_patterns_are_not_kept(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    regex_cache.compile(r"(?L)\w+", 0)
    assert not list((tmp_path / "regex").glob("*.rx"))


def test_bad_patterns_raise_as_regex_does(monkeypatch, tmp_path):
    import pytest

    _fresh(monkeypatch, tmp_path)
    with pytest.raises(regex.error):
        regex_cache.compile(r"(unclosed")
    assert not list((tmp_path / "regex").glob("*.rx"))
