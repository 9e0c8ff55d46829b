"""Bad input never crashes a scan: binary, invalid UTF-8, empty, huge lines, unreadable, symlink loops."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spillguard.engine.context import Context
from spillguard.engine.project import scan_paths
from spillguard.engine.walk import walk


def _scan(root: Path, *paths: Path):
    ctx = Context.build(root)
    return scan_paths(list(paths) or [root], ctx, jobs=1)


def test_gitignore_and_excludes_are_respected(tmp_path, github_token):
    (tmp_path / ".gitignore").write_text("ignored/\n*.log\n")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "a.py").write_text(f'T = "{github_token}"\n')
    (tmp_path / "debug.log").write_text(f"token {github_token}\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("local.py\n")
    (tmp_path / "sub" / "local.py").write_text(f'T = "{github_token}"\n')
    (tmp_path / "sub" / "kept.py").write_text(f'T = "{github_token}"\n')
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.js").write_text(f'T = "{github_token}"\n')
    found = sorted(p.relative_to(tmp_path).as_posix() for p in walk(tmp_path))
    assert found == [".gitignore", "sub/.gitignore", "sub/kept.py"]
    (tmp_path / ".spillguard.toml").write_text('exclude = ["sub/"]\n')
    result = _scan(tmp_path)
    assert result.findings == []


def test_symlink_loop_and_links_are_not_followed(tmp_path, github_token):
    (tmp_path / "d").mkdir()
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    (tmp_path / "d" / "a.py").write_text(f'T = "{github_token}"\n')
    result = _scan(tmp_path)
    assert [f.path for f in result.findings] == ["d/a.py"]


def test_binary_file_is_skipped_not_scanned(tmp_path, github_token):
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01" + github_token.encode() + b"\x00")
    result = _scan(tmp_path)
    assert result.findings == []
    assert [(s.path, s.reason) for s in result.skipped] == [("blob.bin", "binary")]


def test_invalid_utf8_still_finds_ascii_token(tmp_path, github_token):
    (tmp_path / "latin1.py").write_bytes(b"# caf\xe9 \xff\xfe\n" + f'T = "{github_token}"\n'.encode())
    result = _scan(tmp_path)
    assert [(f.rule_id, f.start_line, f.start_col) for f in result.findings] == [("github-pat", 2, 6)]


def test_empty_file(tmp_path):
    (tmp_path / "empty.py").write_text("")
    result = _scan(tmp_path)
    assert result.findings == [] and result.files == 1


def test_huge_single_line_minified_file(tmp_path, github_token):
    body = "var a=1;" * 2_500_000  # 20 MB on one line
    (tmp_path / "app.min.js").write_text(body + f'var t="{github_token}";' + body)
    ctx = Context.build(tmp_path)
    from dataclasses import replace

    ctx.config = replace(ctx.config, max_file_size=50_000_000)
    result = scan_paths([tmp_path], ctx, jobs=1)
    assert [f.rule_id for f in result.findings] == ["github-pat"]


def test_file_over_size_limit_is_skipped_with_reason(tmp_path):
    (tmp_path / ".spillguard.toml").write_text("max-file-size = 10\n")
    (tmp_path / "big.txt").write_text("x" * 100)
    result = _scan(tmp_path)
    assert result.skipped and "max-file-size" in result.skipped[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_reported_and_skipped(tmp_path, github_token):
    p = tmp_path / "secret.py"
    p.write_text(f'T = "{github_token}"\n')
    p.chmod(0)
    result = _scan(tmp_path)
    assert result.errors and result.errors[0].path == "secret.py"


def test_unreadable_file_as_root_is_reported(tmp_path, monkeypatch, github_token):
    """Root reads everything, so simulate the OS refusing the read."""
    p = tmp_path / "secret.py"
    p.write_text(f'T = "{github_token}"\n')
    (tmp_path / "ok.py").write_text(f'T = "{github_token}"\n')
    real_open = Path.open

    def fake_open(self, *a, **k):
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", fake_open)
    result = _scan(tmp_path)
    assert [(e.path, e.reason) for e in result.errors] == [("secret.py", "cannot read: Permission denied")]
    assert [f.path for f in result.findings] == ["ok.py"]


def test_parallel_scan_equals_serial(tmp_path, github_token):
    for i in range(40):
        (tmp_path / f"f{i}.py").write_text(("x = 1\n" * 20_000) + f'T{i} = "{github_token}"\n')
    ctx = Context.build(tmp_path)
    serial = scan_paths([tmp_path], ctx, jobs=1)
    parallel = scan_paths([tmp_path], ctx, jobs=2)
    assert [f.to_dict() for f in serial.findings] == [f.to_dict() for f in parallel.findings]
    assert len(serial.findings) == 40


def test_scanning_a_subdirectory_keeps_the_projects_ignores_and_config(tmp_path, github_token, monkeypatch, capsys):
    from spillguard.cli import main

    proj = tmp_path / "proj"
    (proj / "src").mkdir(parents=True)
    (proj / ".git").mkdir()
    (proj / ".gitignore").write_text("*.log\n")
    (proj / ".spillguard.toml").write_text('severity = { "github-pat" = "low" }\nexclude = ["src/gen/"]\n')
    (proj / "src" / "a.py").write_text(f'T = "{github_token}"\n')
    (proj / "src" / "debug.log").write_text(github_token + "\n")
    (proj / "src" / "gen").mkdir()
    (proj / "src" / "gen" / "g.py").write_text(f'T = "{github_token}"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "proj/src", "--format", "json"]) == 1
    import json

    doc = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["severity"]) for f in doc["findings"]] == [("src/a.py", "low")]


def test_a_symlink_named_explicitly_is_followed(tmp_path, github_token):
    (tmp_path / "real.py").write_text(f'T = "{github_token}"\n')
    (tmp_path / "link.py").symlink_to(tmp_path / "real.py")
    assert [f.rule_id for f in _scan(tmp_path, tmp_path / "link.py").findings] == ["github-pat"]


def test_a_missing_path_beside_a_real_one_exits_2(tmp_path, github_token, monkeypatch, capsys):
    from spillguard.cli import main

    (tmp_path / "a.py").write_text(f'T = "{github_token}"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "a.py", "missing.py"]) == 2
    captured = capsys.readouterr()
    assert "a.py:1:6" in captured.out and "missing.py: no such file or directory" in captured.err


def test_runaway_user_pattern_is_bounded_and_reported(tmp_path, monkeypatch):
    """A catastrophic user rule cannot hang a scan, and the partial scan is said, not silent."""
    import spillguard.engine.scanner as scanner

    monkeypatch.setattr(scanner, "PATTERN_TIMEOUT_S", 0.3)
    (tmp_path / "bad.toml").write_text(
        'provider = "T"\n[[rule]]\nid = "runaway"\npattern = \'\'\'(x+x+)+y\'\'\'\nkeywords = ["x"]\n'
        'examples.match = ["xxy"]\nexamples.no_match = ["z"]\n'
    )
    (tmp_path / ".spillguard.toml").write_text('extra-rules = ["bad.toml"]\n')
    (tmp_path / "in.txt").write_text(("x" * 5000 + "\n") * 5)
    result = scan_paths([tmp_path / "in.txt"], Context.build(tmp_path), jobs=1)
    assert [(e.path, "runaway" in e.reason and "in part" in e.reason) for e in result.errors] == [("in.txt", True)]


def test_minified_bundle_gets_secret_rules_only(tmp_path, github_token):
    line = "var a=1;" * 30_000 + 'https.request({rejectUnauthorized:false});' + f'var t="{github_token}";'
    (tmp_path / "app.min.js").write_text(line)
    result = scan_paths([tmp_path], Context.build(tmp_path), jobs=1)
    assert [f.kind for f in result.findings] == ["secret"]


def test_a_named_directory_is_scanned_even_if_a_parent_rule_ignores_it(tmp_path, github_token, monkeypatch, capsys):
    from spillguard.cli import main

    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("/versions\n*.log\n")
    lib = tmp_path / "versions" / "lib"
    lib.mkdir(parents=True)
    (lib / "a.py").write_text(f'T = "{github_token}"\n')
    (lib / "x.log").write_text(f"{github_token}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "versions/lib", "--format", "json"]) == 1
    import json

    assert [f["path"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["versions/lib/a.py"]


def test_paths_are_shown_relative_to_the_real_project_root_without_resolving_each_file(tmp_path):
    """scan_paths names files like display_path does (resolving every file was 2/3 of the
    walk's time): through a symlinked project directory, a subdirectory, a named file."""
    from spillguard.engine.project import _Displayer, display_path
    from spillguard.engine.walk import walk

    real = tmp_path / "real"
    (real / "src" / "deep").mkdir(parents=True)
    (real / "src" / "deep" / "a.py").write_text("x = 1\n")
    (real / "b.txt").write_text("y\n")
    (real / "ünï cödé.js").write_text("z\n")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    for root in (real, link):
        real_root = root.resolve()
        for start in (root, root / "src", root / "src" / "deep" / "a.py"):
            shown = _Displayer(start.absolute(), root, real_root)
            files = list(walk(start.absolute(), (), [], base=root.absolute()))
            assert files
            for f in files:
                assert shown(f) == display_path(f, root, real_root), (root, start, f)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "c.py").write_text("w\n")
    shown = _Displayer(outside, real, real)
    (f,) = list(walk(outside, (), [], base=outside))
    assert shown(f) == display_path(f, real, real)


def test_ignore_files_with_only_comments_and_blank_lines_ignore_nothing(tmp_path):
    (tmp_path / ".gitignore").write_text("# nothing here\n\n   \n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("# only a comment\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub" / "b.py").write_text("y = 2\n")
    got = sorted(p.relative_to(tmp_path).as_posix() for p in walk(tmp_path, ("# a comment",)))
    assert got == [".gitignore", "a.py", "sub/.gitignore", "sub/b.py"]
