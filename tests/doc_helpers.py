"""An insecure-defaults editor document over a byte buffer, edited the way an editor
describes a change (byte offsets and (row, byte column) points)."""

from __future__ import annotations

from spillguard.engine.insecure import InsecureDocument


class EditedDocument:
    def __init__(self, path: str, text: str) -> None:
        self.data = text.encode()
        doc = InsecureDocument.open(path, lambda off, _pt: self.data[off:])
        assert doc is not None
        self.doc = doc

    @property
    def text(self) -> str:
        return self.data.decode()

    def replace(self, old: str, new: str) -> None:
        """Replace the first `old` with `new`, tell the document, and let it update."""
        data = self.data
        start = data.index(old.encode())
        old_b, new_b = old.encode(), new.encode()
        row = data[:start].count(b"\n")
        col = start - (data.rfind(b"\n", 0, start) + 1)
        self.data = data[:start] + new_b + data[start + len(old_b):]
        self.doc.edit(start, start + len(old_b), start + len(new_b),
                      (row, col), (row, col + len(old_b)), (row, col + len(new_b)))
        self.doc.update()
