"""Inserted-block detection and range tracking, checked against a
character-by-character model."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard.engine.blocks import (
    BlockSet,
    end_of_insert,
    inserted_range,
    is_inserted_block,
    track,
    utf16_units,
)


def pos_of(text: str, offset: int) -> tuple[int, int]:
    """(line, UTF-16 column) of a code-point offset."""
    before = text[:offset]
    line = before.count("\n")
    col_text = before[before.rfind("\n") + 1 :]
    return line, utf16_units(col_text)


class CharModel:
    """The block as a set of characters; the reference semantics."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.chars = list(text)
        self.flags = [start <= i < end for i in range(len(text))]

    def edit(self, a: int, b: int, new: str) -> None:
        left = a - 1
        inside = left >= 0 and self.flags[left] and b < len(self.flags) and self.flags[b]
        self.chars[a:b] = list(new)
        self.flags[a:b] = [inside] * len(new)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def range(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        idx = [i for i, f in enumerate(self.flags) if f]
        if not idx:
            return None
        return pos_of(self.text, idx[0]), pos_of(self.text, idx[-1] + 1)


alphabet = st.sampled_from(["a", "b", " ", "\n", "é", "😀", "\r"])
texts = st.lists(alphabet, min_size=1, max_size=40).map("".join)


@st.composite
def scenario(draw: st.DrawFn) -> tuple[str, int, int, list[tuple[float, float, str]]]:
    text = draw(texts)
    s = draw(st.integers(0, len(text) - 1))
    e = draw(st.integers(s + 1, len(text)))
    edits = draw(
        st.lists(
            st.tuples(st.floats(0, 1), st.floats(0, 1), st.lists(alphabet, max_size=6).map("".join)),
            max_size=12,
        )
    )
    return text, s, e, edits


@settings(max_examples=600, deadline=None)
@given(scenario())
def test_tracking_matches_character_model(case: tuple[str, int, int, list[tuple[float, float, str]]]) -> None:
    text, s, e, edits = case
    model = CharModel(text, s, e)
    block: tuple[tuple[int, int], tuple[int, int]] | None = (pos_of(text, s), pos_of(text, e))
    for fa, fb, new in edits:
        cur = model.text
        a = int(fa * len(cur))
        b = min(len(cur), a + int(fb * (len(cur) - a + 1)))
        if a == b and not new:
            continue
        start, old_end = pos_of(cur, a), pos_of(cur, b)
        new_end = end_of_insert(start, new, utf16_units)
        model.edit(a, b, new)
        assert new_end == pos_of(model.text, a + len(new))
        if block is not None:
            block = track(block, start, old_end, new_end)
        assert block == model.range(), (cur, a, b, new)


def test_detection_threshold() -> None:
    assert is_inserted_block("def f():\n    return 1\n")
    assert not is_inserted_block("x")
    assert not is_inserted_block("\n    ")  # Enter with auto-indent
    assert not is_inserted_block("one line\n\n\n")
    assert is_inserted_block("a\nb\nc", threshold=3)
    assert not is_inserted_block("a\nb", threshold=3)
    assert not is_inserted_block("a\nb", threshold=0)  # 0 turns detection off
    # With a threshold of 1, a one-line completion is a block, a keystroke still is not.
    assert is_inserted_block("requests.get(url, verify=False)", threshold=1)
    assert not any(is_inserted_block(k, threshold=1) for k in ("x", "()", '""', "\n    "))


def test_hand_typing_never_makes_a_block() -> None:
    code = 'token = "abc"\nprint(token)\n'
    assert not any(is_inserted_block(c) for c in code)


def test_inserted_range_trims_blank_lines_and_indent() -> None:
    assert inserted_range((3, 4), "\n    a = 1\n    b = 2\n") == ((4, 4), (5, 9))
    assert inserted_range((0, 2), "x\ny") == ((0, 2), (1, 1))


def test_blockset_edits_and_merges() -> None:
    blocks = BlockSet()
    b1 = blocks.add((2, 0), (4, 5), "")
    # typing above moves it down
    assert blocks.edit((0, 0), (0, 0), (1, 0))
    assert blocks.get(b1.id) is not None and blocks.get(b1.id).start == (3, 0)  # type: ignore[union-attr]
    # an insertion inside it is part of it, not a new block
    inner = blocks.add((3, 2), (3, 4), "copilot")
    assert inner.id == b1.id and len(blocks.blocks) == 1 and blocks.blocks[0].source == "copilot"
    # deleting all of it removes it
    assert blocks.edit((3, 0), (5, 5), (3, 0))
    assert blocks.blocks == []


def test_blockset_overlapping_marks_merge() -> None:
    blocks = BlockSet()
    blocks.add((0, 0), (2, 0))
    merged = blocks.add((1, 0), (4, 0), "agent")
    assert [(b.start, b.end, b.source) for b in blocks.blocks] == [((0, 0), (4, 0), "agent")]
    assert blocks.remove(merged.id) and not blocks.remove(merged.id)


def test_blockset_limit_drops_oldest() -> None:
    blocks = BlockSet(limit=2)
    for i in range(3):
        blocks.add((i * 3, 0), (i * 3 + 1, 0))
    assert [b.id for b in blocks.blocks] == [2, 3]
