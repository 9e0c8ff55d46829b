"""The document store: line splicing, line breaks, clamping, encodings, bytes for tree-sitter."""

from __future__ import annotations

import pytest

from spillguard.lsp.convert import UTF8, UTF16, UTF32, from_client_col, to_client_col
from spillguard.lsp.documents import Document, DocumentStore, split_lines


def doc_of(text: str) -> Document:
    return Document(uri="file:///t.py", version=1, language_id="python", path="/t.py", lines=split_lines(text))


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", [""]),
        ("a", ["a"]),
        ("a\n", ["a\n", ""]),
        ("a\r\nb\rc\n\nd", ["a\r\n", "b\r", "c\n", "\n", "d"]),
        ("x\u2028y\x0cz", ["x\u2028y\x0cz"]),  # only \n, \r\n and \r break lines in LSP
    ],
)
def test_split_lines_follows_lsp(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines
    assert "".join(split_lines(text)) == text


def test_replace_within_a_line_touches_one_line() -> None:
    doc = doc_of("one\ntwo\nthree\n")
    ch = doc.replace((1, 1), (1, 2), "W", single=True)
    assert doc.text() == "one\ntWo\nthree\n"
    assert (ch.start_line, ch.old_end_line, ch.new_end_line, ch.new_end_col) == (1, 1, 1, 2)


def test_replace_across_lines_and_inserting_lines() -> None:
    doc = doc_of("one\ntwo\nthree\n")
    ch = doc.replace((0, 2), (2, 1), "X\nY\nZ", single=True)
    assert doc.text() == "onX\nY\nZhree\n"
    assert (ch.start_line, ch.old_end_line, ch.new_end_line, ch.new_end_col) == (0, 2, 2, 1)
    assert ch.line_delta == 0
    ch = doc.replace((3, 0), (3, 0), "tail", single=True)
    assert doc.text() == "onX\nY\nZhree\ntail" and doc.line_count() == 4


def test_crlf_is_kept_and_a_lone_cr_joins_a_following_lf() -> None:
    doc = doc_of("a\r\nb\rc")
    doc.replace((1, 1), (1, 1), "!", single=True)
    assert doc.text() == "a\r\nb!\rc"
    doc.replace((2, 0), (2, 1), "\nd", single=True)  # "\r" + "\n" is now one line break
    assert doc.text() == "a\r\nb!\r\nd"
    assert doc.lines == ["a\r\n", "b!\r\n", "d"]


def test_positions_past_the_end_are_clamped() -> None:
    doc = doc_of("ab\ncd")
    assert doc.client_position(0, 99, UTF16) == (0, 2)
    assert doc.client_position(99, 0, UTF16) == (1, 2)
    assert doc.client_position(-1, 5, UTF16) == (0, 0)
    doc.replace((0, 50), (7, 7), "!", single=True)
    assert doc.text() == "ab!"


def test_inverted_range_is_treated_as_its_reverse() -> None:
    doc = doc_of("abcdef")
    doc.replace((0, 4), (0, 1), "", single=True)
    assert doc.text() == "aef"


@pytest.mark.parametrize(("encoding", "units"), [(UTF16, [0, 1, 3, 4, 5]), (UTF8, [0, 1, 5, 7, 8]),
                                                  (UTF32, [0, 1, 2, 3, 4])])
def test_column_units(encoding: str, units: list[int]) -> None:
    line = "a😀éb"
    assert [to_client_col(line, cp, encoding) for cp in range(5)] == units
    assert [from_client_col(line, u, encoding) for u in units] == list(range(5))


def test_a_position_inside_a_surrogate_pair_moves_to_the_character_start() -> None:
    assert from_client_col("a😀b", 2, UTF16) == 1
    assert from_client_col("a😀b", 99, UTF16) == 3


def test_byte_offsets_and_read_callback_match_the_utf8_text() -> None:
    text = "x = 1\r\né😀 = 'ü'\nlast"
    doc = doc_of(text)
    data = text.encode()
    for line, body in enumerate(["x = 1", "é😀 = 'ü'", "last"]):
        for col in range(len(body) + 1):
            expected = len("".join(split_lines(text)[:line]).encode()) + len(body[:col].encode())
            assert doc.byte_offset(line, col) == expected
    assert doc.read_bytes(0, (1, 0)) == data[data.index("é".encode()):data.index(b"last")]
    assert doc.read_bytes(0, (2, 2)) == b"st"
    assert doc.read_bytes(0, (9, 0)) == b""
    doc.tree_state = object()  # any tree: replace then describes the edit in bytes
    ch = doc.replace((1, 1), (1, 2), "ab", single=True)
    assert ch.ts_edit == (9, 13, 11, (1, 2), (1, 6), (1, 4))
    assert doc.byte_offset(2, 0) == len("".join(doc.lines[:2]).encode())


def test_store_open_get_close() -> None:
    store = DocumentStore()
    doc = store.open("file:///a.py", 3, "python", "x\n", "/a.py")
    assert store.get("file:///a.py") is doc and "file:///a.py" in store and len(store) == 1
    assert doc.get_range(0, 0, 1, 0) == "x\n"
    assert store.close("file:///a.py") is doc and store.get("file:///a.py") is None
    assert store.close("file:///a.py") is None
