"""The workspace fingerprint index: disk and open-buffer layers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard.engine.occurrences import Occurrence, OccurrenceIndex


def occ(key: str, line: int, fp: str = "sg1:a") -> Occurrence:
    return Occurrence(key, line, 0, line, 10, fp, "github-pat", "file://" + key)


def test_disk_and_open_layers() -> None:
    idx = OccurrenceIndex()
    assert idx.set_disk("/w/a.py", [occ("/w/a.py", 1)]) == {"sg1:a"}
    assert idx.set_disk("/w/b.py", [occ("/w/b.py", 4), occ("/w/b.py", 9, "sg1:b")]) == {"sg1:a", "sg1:b"}
    assert [o.key for o in idx.locations("sg1:a")] == ["/w/a.py", "/w/b.py"]
    # Opening b and removing the secret there hides the disk copy while open.
    assert idx.set_open("/w/b.py", [occ("/w/b.py", 9, "sg1:b")]) == {"sg1:a"}
    assert idx.count("sg1:a") == 1
    # Same content again: nothing changed.
    assert idx.set_open("/w/b.py", [occ("/w/b.py", 9, "sg1:b")]) == set()
    # A moved occurrence changes its fingerprint's locations.
    assert idx.set_open("/w/b.py", [occ("/w/b.py", 10, "sg1:b")]) == {"sg1:b"}
    # Closing shows the disk layer again.
    assert idx.close("/w/b.py") == {"sg1:a", "sg1:b"}
    assert idx.count("sg1:a") == 2
    assert idx.remove_disk("/w/a.py") == {"sg1:a"}
    assert idx.count("sg1:a") == 1
    assert idx.remove_disk("/w/nothing") == set()
    assert idx.close("/w/never-open") == set()


layer_ops = st.lists(
    st.tuples(
        st.sampled_from(["disk", "open", "close", "remove"]),
        st.sampled_from(["/a", "/b", "/c"]),
        st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["sg1:x", "sg1:y"])), max_size=3),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(layer_ops)
def test_index_matches_recomputation(ops: list[tuple[str, str, list[tuple[int, str]]]]) -> None:
    idx = OccurrenceIndex()
    disk: dict[str, set[Occurrence]] = {}
    opened: dict[str, set[Occurrence]] = {}

    def visible() -> dict[str, set[Occurrence]]:
        out: dict[str, set[Occurrence]] = {}
        for key in set(disk) | set(opened):
            for o in opened.get(key, disk.get(key, set())):
                out.setdefault(o.fingerprint, set()).add(o)
        return out

    for op, key, items in ops:
        occs = {occ(key, line, fp) for line, fp in items}
        before = visible()
        if op == "disk":
            changed = idx.set_disk(key, occs)
            disk[key] = occs
        elif op == "open":
            changed = idx.set_open(key, occs)
            opened[key] = occs
        elif op == "close":
            changed = idx.close(key)
            opened.pop(key, None)
        else:
            changed = idx.remove_disk(key)
            disk.pop(key, None)
        after = visible()
        expect = {fp for fp in set(before) | set(after) if before.get(fp) != after.get(fp)}
        assert changed == expect
        for fp in ("sg1:x", "sg1:y"):
            assert set(idx.locations(fp)) == after.get(fp, set())


def test_clear_disk_keeps_open_buffers() -> None:
    idx = OccurrenceIndex()
    idx.set_disk("/w/a.py", [occ("/w/a.py", 1)])
    idx.set_disk("/w/b.py", [occ("/w/b.py", 2)])
    idx.set_open("/w/b.py", [occ("/w/b.py", 3)])
    assert idx.clear_disk() == {"sg1:a"}
    assert [o.key for o in idx.locations("sg1:a")] == ["/w/b.py"]
    assert idx.files() == 1
